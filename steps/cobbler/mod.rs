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
