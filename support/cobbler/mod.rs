//! Cobbler 3.3 (XML-RPC): protocol, session, entities with verbs, and a fake that answers as
//! a real cobblerd 3.3.10 does.
//!
//! - [`protocol`]: XML-RPC values, faults, call errors, the [`protocol::Transport`] trait and
//!   its HTTP implementation.
//! - [`session`]: an authenticated session that logs in lazily and re-authenticates once.
//! - [`entities`]: distros, profiles, systems and images as objects with verbs over a session.
//! - [`backend`]: all of it behind the backend-neutral [`crate::backend::Backend`] trait.
//! - [`fake`]: an in-process Cobbler 3.3 that behaves like the real one.
//! - [`bmc`]: a system's power fields for an (emulated) BMC.
//! - [`boot_files`]: dummy kernel and initrd files for distros.
//! - [`preflight`]: the up-front check of a server before a run.
//! - [`server_settings`]: a server's own settings, given to the fake a conformance run compares.

pub mod backend;
pub mod bmc;
pub mod boot_files;
pub mod catalogue;
pub mod conformance;
pub mod entities;
pub mod error;
pub mod fake;
pub mod family;
pub mod kind;
pub mod preflight;
pub mod protocol;
pub mod server_settings;
pub mod session;

pub use error::Error;
pub use kind::Kind;
