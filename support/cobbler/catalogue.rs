//! Cobbler's kinds as data for the backend seam: attributes read off a real 3.3.10 server,
//! references between kinds, and the defaults a new item gets.

use super::entities::attributes::{DISTRO, IMAGE, PROFILE, SYSTEM};
use crate::backend::{Catalogue, KindSpec, NameRule};

/// Names as Cobbler 3.3 accepts them (`validate.validate_obj_name`).
const NAMES: NameRule = NameRule {
    accepts: |name| {
        NameRule::chars(name, usize::MAX, |c| {
            c.is_ascii_alphanumeric() || "_.:+-".contains(c)
        })
    },
    description: "letters, digits and _ . : + -",
};

/// The kinds provspec drives on Cobbler, parents before children.
pub static CATALOGUE: Catalogue = Catalogue {
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
            references: &[],
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
            references: &[("distro", "distro"), ("parent", "profile")],
            defaults: &[],
            names: NAMES,
        },
        KindSpec {
            name: "system",
            plural: "systems",
            attributes: SYSTEM,
            maps: &["interfaces"],
            references: &[("profile", "profile"), ("image", "image")],
            defaults: &[],
            names: NAMES,
        },
        KindSpec {
            name: "image",
            plural: "images",
            attributes: IMAGE,
            maps: &[],
            references: &[],
            defaults: &[],
            names: NAMES,
        },
    ],
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
