//! Servers a scenario starts from definitions: a command template with `{port}` and generated
//! configuration files, a readiness check (a TCP connect, an HTTP status at a path, or a line
//! on stdout), a free port with another try on a clash (3 in all), and a restart on the same
//! port. In the spirit of Glance's functional tests; built on [`crate::processes`].
//!
//! - [`Definitions`], [`ServerDef`]: the definitions, read from `servers/servers.toml`
//!   ([`definition`]).
//! - [`Values`]: the placeholders a definition's templates are filled with ([`values`]).
//! - [`Ports`]: free ports, and ports offered first (a test's taken port) ([`ports`]).
//! - [`Readiness`] and its check ([`readiness`]).
//! - [`Server`]: a started server, its restart ([`server`]).
//! - [`serve::serve`]: one server outside a feature run (`provspec serve`).
//! - [`ServerError`] ([`error`]).

pub mod definition;
pub mod error;
pub mod ports;
pub mod readiness;
pub mod serve;
pub mod server;
pub mod values;

pub use definition::{Definitions, ServerDef};
pub use error::ServerError;
pub use ports::Ports;
pub use readiness::Readiness;
pub use server::{Server, Target};
pub use values::Values;
