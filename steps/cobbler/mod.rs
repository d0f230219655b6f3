//! Phrasing that belongs to Cobbler: profiles built on a distro, systems on a profile,
//! systems' interfaces, token sessions, and autoinstall templates rendered. Distros and images need none beyond the generic
//! steps.

mod profiles;
mod session;
mod systems;
mod templates;
