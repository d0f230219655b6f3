//! provspec's support library: everything the feature suite stands on, with no knowledge of
//! cucumber.
//!
//! - [`protocol`]: XML-RPC values, faults, call errors, the [`protocol::Transport`] trait and its
//!   HTTP implementation.
//! - [`session`]: an authenticated session that logs in lazily and re-authenticates once.
//! - [`entities`]: distros, profiles, systems and images as objects with verbs over a session.
//! - [`fake`]: an in-process Cobbler 3.3 that behaves like the real one.
//! - [`assertions`]: should-style assertions with clear diffs, and `eventually`.
//! - [`naming`]: unique real names for the aliases features use.
//! - [`boot_files`]: dummy kernel and initrd files for distros.
//! - [`preflight`]: the up-front check of a server before a run.

pub mod assertions;
pub mod boot_files;
pub mod entities;
pub mod error;
pub mod fake;
pub mod ironic;
pub mod kind;
pub mod naming;
pub mod preflight;
pub mod protocol;
pub mod session;

pub use error::Error;
pub use kind::Kind;
