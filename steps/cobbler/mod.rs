//! Phrasing that belongs to Cobbler: profiles built on a distro, systems on a profile,
//! systems' interfaces, token sessions, and autoinstall templates rendered. Distros and images need none beyond the generic
//! steps.

mod profiles;
mod session;
mod systems;
mod templates;

/// Registers this family's steps.
pub(crate) fn register(steps: &mut crate::world::step_definitions::Steps) {
    profiles::register(steps);
    session::register(steps);
    systems::register(steps);
    templates::register(steps);
}

/// The source of this family's steps files, for the catalogue.
pub(crate) const SOURCES: &[(&str, &str)] = &[
    ("steps/cobbler/profiles.rs", include_str!("profiles.rs")),
    ("steps/cobbler/session.rs", include_str!("session.rs")),
    ("steps/cobbler/systems.rs", include_str!("systems.rs")),
    ("steps/cobbler/templates.rs", include_str!("templates.rs")),
];
