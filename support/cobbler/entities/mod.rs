//! Distros, profiles, systems and images as objects with verbs over a [`crate::cobbler::session::Session`]:
//! create, get, find, modify, rename, copy, remove, interfaces and power.

pub(crate) mod attributes;
mod cobbler;
mod interface;
pub mod templates;

pub use crate::backend::PowerAction;
pub use attributes::{attributes, check_attribute};
pub use cobbler::Cobbler;
pub use interface::{INTERFACE_FIELDS, InterfaceSpec};
