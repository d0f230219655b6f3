//! Cobbler's kinds as data for the backend seam: attributes read off a real 3.3.10 server,
//! references between kinds, and the defaults a new item gets.

use super::entities::attributes::{
    DISTRO, FILE, IMAGE, MENU, MGMTCLASS, PACKAGE, PROFILE, REPO, SYSTEM,
};
use crate::backend::{Catalogue, KindSpec, NameRule};

/// Names as Cobbler 3.3 accepts them (`RE_OBJECT_NAME` in `items/item.py`).
const NAMES: NameRule = NameRule {
    accepts: |name| {
        NameRule::chars(name, usize::MAX, |c| {
            c.is_ascii_alphanumeric() || "_.:-".contains(c)
        })
    },
    description: "letters, digits and _ . : -",
};

/// Template and snippet paths: no `..` (cobblerd refuses it) and no leading `/`.
const FILE_NAMES: NameRule = NameRule {
    accepts: |name| {
        !name.contains("..")
            && !name.starts_with('/')
            && NameRule::chars(name, usize::MAX, |c| {
                c.is_ascii_alphanumeric() || "_.:-/".contains(c)
            })
    },
    description: "letters, digits and _ . : - / (no .. and no leading /)",
};

/// The kinds provspec drives on Cobbler: all nine of 3.3. References follow cobblerd's
/// `Item.TYPE_DEPENDENCIES` (lists such as a profile's `repos` take several aliases).
pub static CATALOGUE: Catalogue = Catalogue {
    // Removing these targets (recursively too) leaves the item: a menu's removal empties the
    // `menu` of its profiles and images, the rest keep the name.
    naming_references: &[
        ("distro", "mgmt_classes"),
        ("profile", "menu"),
        ("profile", "repos"),
        ("profile", "mgmt_classes"),
        ("profile", "autoinstall"),
        ("system", "mgmt_classes"),
        ("system", "autoinstall"),
        ("image", "menu"),
        ("image", "autoinstall"),
        ("mgmtclass", "packages"),
        ("mgmtclass", "files"),
    ],
    login_call: Some("login"),
    state_paths: &[],
    // cobblerd 3.3.10 fails concurrent save_system calls on one profile now and then with
    // `AttributeError: Attribute "boot_loaders" did not exist on object type Profile`.
    concurrent_creates: 1,
    family: "cobbler",
    kinds: &[
        KindSpec {
            name: "distro",
            plural: "distros",
            attributes: DISTRO,
            maps: &[],
            references: &[("mgmt_classes", "mgmtclass")],
            defaults: &[
                ("kernel", "{boot}/vmlinuz"),
                ("initrd", "{boot}/initrd.img"),
            ],
            names: NAMES,
        },
        KindSpec {
            name: "profile",
            plural: "profiles",
            attributes: PROFILE,
            maps: &[],
            references: &[
                ("distro", "distro"),
                ("parent", "profile"),
                ("menu", "menu"),
                ("repos", "repo"),
                ("mgmt_classes", "mgmtclass"),
                ("autoinstall", "template"),
            ],
            defaults: &[],
            names: NAMES,
        },
        KindSpec {
            name: "system",
            plural: "systems",
            attributes: SYSTEM,
            maps: &["interfaces"],
            references: &[
                ("profile", "profile"),
                ("image", "image"),
                ("mgmt_classes", "mgmtclass"),
                ("autoinstall", "template"),
            ],
            defaults: &[],
            names: NAMES,
        },
        KindSpec {
            name: "image",
            plural: "images",
            attributes: IMAGE,
            maps: &[],
            references: &[("menu", "menu"), ("autoinstall", "template")],
            defaults: &[],
            names: NAMES,
        },
        KindSpec {
            name: "repo",
            plural: "repos",
            attributes: REPO,
            maps: &[],
            references: &[],
            defaults: &[],
            names: NAMES,
        },
        KindSpec {
            name: "menu",
            plural: "menus",
            attributes: MENU,
            maps: &[],
            references: &[("parent", "menu")],
            defaults: &[],
            names: NAMES,
        },
        KindSpec {
            name: "file",
            plural: "files",
            attributes: FILE,
            maps: &[],
            references: &[],
            // What cobblerd requires of a file before it saves one.
            defaults: &[
                ("path", "/tmp/provspec-file"),
                ("owner", "root"),
                ("group", "root"),
                ("mode", "0644"),
                ("template", "/etc/hostname"),
            ],
            names: NAMES,
        },
        KindSpec {
            name: "mgmtclass",
            plural: "mgmtclasses",
            attributes: MGMTCLASS,
            maps: &[],
            references: &[("packages", "package"), ("files", "file")],
            defaults: &[],
            names: NAMES,
        },
        KindSpec {
            name: "package",
            plural: "packages",
            attributes: PACKAGE,
            maps: &[],
            references: &[],
            defaults: &[],
            names: NAMES,
        },
        // Autoinstall templates and snippets: files on the server, named by their path.
        KindSpec {
            name: "template",
            plural: "templates",
            attributes: &["content"],
            maps: &[],
            references: &[],
            defaults: &[],
            names: FILE_NAMES,
        },
        KindSpec {
            name: "snippet",
            plural: "snippets",
            attributes: &["content"],
            maps: &[],
            references: &[],
            defaults: &[],
            names: FILE_NAMES,
        },
    ],
    built_in_factory_book: include_str!("../../factories/cobbler.toml"),
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cobbler::Kind;
    use crate::cobbler::boot_files::{INITRD, KERNEL};

    #[test]
    fn every_cobbler_kind_is_in_the_catalogue_with_its_attributes() {
        for kind in Kind::ALL {
            let spec = CATALOGUE.kind(kind.name()).unwrap();
            assert_eq!(spec.plural, kind.plural());
            assert_eq!(spec.attributes, crate::cobbler::entities::attributes(kind));
        }
        assert_eq!(
            CATALOGUE.kinds[0].defaults,
            &[
                ("kernel", &*format!("{{boot}}/{KERNEL}")),
                ("initrd", &*format!("{{boot}}/{INITRD}"))
            ]
        );
    }
}
