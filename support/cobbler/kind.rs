//! The kinds of Cobbler item provspec works with.

use std::fmt;

/// A kind of Cobbler item. The API's method names are built from [`Kind::name`]
/// (`new_distro`, `get_profiles`, `remove_system`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A kernel and initrd pair.
    Distro,
    /// A distro plus settings; systems are built from profiles.
    Profile,
    /// One machine: a profile (or image), interfaces, power settings.
    System,
    /// A prebuilt image (ISO, disk) that systems can boot instead of a profile.
    Image,
    /// A package repository mirrored for installs (`repos` of a profile).
    Repo,
    /// A boot menu (`menu` of a profile or image); menus nest through `parent`.
    Menu,
    /// A file a configuration-management class puts on a system.
    File,
    /// A configuration-management class (`mgmt_classes` of a distro, profile or system).
    Mgmtclass,
    /// A package a configuration-management class installs.
    Package,
}

impl Kind {
    /// Every kind Cobbler 3.3 has, in the order of [`Kind::index`].
    pub const ALL: [Kind; 9] = [
        Kind::Distro,
        Kind::Profile,
        Kind::System,
        Kind::Image,
        Kind::Repo,
        Kind::Menu,
        Kind::File,
        Kind::Mgmtclass,
        Kind::Package,
    ];

    /// The API's name of the kind: `distro`, `profile`, `system`, `image`, `repo`, `menu`,
    /// `file`, `mgmtclass`, `package`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Distro => "distro",
            Kind::Profile => "profile",
            Kind::System => "system",
            Kind::Image => "image",
            Kind::Repo => "repo",
            Kind::Menu => "menu",
            Kind::File => "file",
            Kind::Mgmtclass => "mgmtclass",
            Kind::Package => "package",
        }
    }

    /// The plural, as in `get_distros` and `get_mgmtclasses`.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Distro => "distros",
            Kind::Profile => "profiles",
            Kind::System => "systems",
            Kind::Image => "images",
            Kind::Repo => "repos",
            Kind::Menu => "menus",
            Kind::File => "files",
            Kind::Mgmtclass => "mgmtclasses",
            Kind::Package => "packages",
        }
    }

    /// Parses `distro`/`distros` and so on.
    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| text == k.name() || text == k.plural())
    }

    /// A position for per-kind arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
