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
}

impl Kind {
    /// Every kind, parents before children.
    pub const ALL: [Kind; 4] = [Kind::Distro, Kind::Profile, Kind::System, Kind::Image];

    /// The API's name of the kind: `distro`, `profile`, `system`, `image`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Distro => "distro",
            Kind::Profile => "profile",
            Kind::System => "system",
            Kind::Image => "image",
        }
    }

    /// The plural, as in `get_distros`.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Distro => "distros",
            Kind::Profile => "profiles",
            Kind::System => "systems",
            Kind::Image => "images",
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
