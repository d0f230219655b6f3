//! Phrasing that belongs to Cobbler: profiles built on a distro, systems on a profile,
//! systems' interfaces, and token sessions. Distros and images need none beyond the generic
//! steps.

mod profiles;
mod session;
mod systems;
