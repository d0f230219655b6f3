//! Phrasing that belongs to Cobbler: profiles built on a distro, systems on a profile, and
//! systems' interfaces. Distros and images need none beyond the generic steps.

mod profiles;
mod systems;
