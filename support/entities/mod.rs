//! Distros, profiles, systems and images as objects with verbs over a [`crate::session::Session`]:
//! create, get, find, modify, rename, copy, remove, interfaces and power.

mod attributes;
mod cobbler;
mod interface;
mod power;
mod record;

pub use attributes::{attributes, check_attribute};
pub use cobbler::Cobbler;
pub use interface::{INTERFACE_FIELDS, InterfaceSpec};
pub use power::PowerAction;
pub use record::Record;
