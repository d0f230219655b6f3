//! provspec: a behaviour-driven test DSL for provisioning servers.
//!
//! With the `runner` feature (on by default), the library holds the whole tool:
//! - [`world`]: the World (one scenario's session, entities by alias, cleanup stack) and the
//!   feature runner ([`world::runner`]).
//! - [`steps`]: the built-in steps, registered explicitly ([`world::step_definitions`]): a
//!   crate of its own adds its steps beside them and runs both.
//!
//! The rest knows nothing of cucumber, and the fake-server binaries need only it:
//!
//! Generic parts, written once for every backend:
//! - [`backend`]: the seam. The [`backend::Backend`] trait every server family implements,
//!   kinds as data ([`backend::KindSpec`]), backend-neutral records and errors.
//! - [`backends`]: choosing and connecting a backend by name (`fake`, `cobbler`,
//!   `fake-ironic`, `ironic`).
//! - [`naming`]: unique real names for the aliases features use.
//! - [`assertions`]: should-style assertions with clear diffs, and `eventually`.
//! - [`processes`]: process plans (spawn, wait, kill, logs per scenario); [`servers`]: servers
//!   on free ports from definitions, ready checks, restarts.
//!
//! One folder per backend, each with its protocol, session, entities and fake:
//! - [`cobbler`]: Cobbler 3.3 over XML-RPC.
//! - [`ironic`]: OpenStack Ironic over REST and JSON.

pub mod assertions;
pub mod backend;
pub mod backends;
pub mod bmc;
pub mod calls;

pub mod cobbler;
pub mod conformance;
pub mod factories;
pub mod fake_control;
pub mod fake_server;
pub mod http;
pub mod interrupt;
pub mod ironic;
pub mod naming;
pub mod options;
pub mod processes;
pub mod project;
pub mod servers;
pub mod sweep;

#[cfg(feature = "runner")]
#[path = "../world/mod.rs"]
pub mod world;

/// cucumber, as provspec uses it: a crate with steps of its own reaches `gherkin::Step` and
/// `Parameter` here, at the version the World is built with.
#[cfg(feature = "runner")]
pub use cucumber;

#[cfg(feature = "runner")]
#[path = "../steps/mod.rs"]
pub mod steps;
