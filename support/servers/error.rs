//! What can go wrong with a server: its definition, its start, its readiness.

use std::path::PathBuf;
use std::time::Duration;

use crate::processes::ProcessError;

/// An error about a server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The definitions file cannot be read or parsed.
    #[error("cannot read the server definitions in {}: {why}", path.display())]
    Definitions {
        /// The file.
        path: PathBuf,
        /// Why.
        why: String,
    },
    /// No definition has that name.
    #[error("unknown server {name:?}; known servers: {} (in {})", known.join(", "), path.display())]
    Unknown {
        /// The name asked for.
        name: String,
        /// The names there are.
        known: Vec<String>,
        /// The definitions file.
        path: PathBuf,
    },
    /// A template names a placeholder that has no value.
    #[error("the server {server:?}: {template:?} uses {{{placeholder}}}, which has no value here; known: {}", known.join(", "))]
    Placeholder {
        /// The server.
        server: String,
        /// The template.
        template: String,
        /// The placeholder.
        placeholder: String,
        /// The placeholders there are.
        known: Vec<String>,
    },
    /// No free port could be had.
    #[error("cannot find a free port on 127.0.0.1: {0}")]
    Port(#[source] std::io::Error),
    /// The process failed.
    #[error(transparent)]
    Process(#[from] ProcessError),
    /// The server ended before it was ready (and not for a port clash).
    #[error("the server {name:?} ended before it was ready, with {exit}{tail}")]
    Exited {
        /// The server.
        name: String,
        /// How it ended.
        exit: crate::processes::Exit,
        /// The last lines of its logs.
        tail: String,
    },
    /// Every try found its port taken.
    #[error("the server {name:?} found its port taken {tries} times in a row{tail}")]
    Clashes {
        /// The server.
        name: String,
        /// How many tries.
        tries: u32,
        /// The last try's logs.
        tail: String,
    },
    /// It did not become ready in time.
    #[error("the server {name:?} was not ready ({ready}) within {:.1} s{tail}", waited.as_secs_f64())]
    NotReady {
        /// The server.
        name: String,
        /// The check.
        ready: String,
        /// How long it was given.
        waited: Duration,
        /// The last lines of its logs.
        tail: String,
    },
    /// A server the scenario never started.
    #[error("unknown server {name:?} in this scenario; {}", if started.is_empty() { "it started none yet".to_owned() } else { format!("started: {}", started.join(", ")) })]
    NotStarted {
        /// The name asked for.
        name: String,
        /// The servers the scenario started.
        started: Vec<String>,
    },
    /// The server serves no backend a scenario could be pointed at.
    #[error("the server {name:?} serves no backend (its definition has no `backend` and `url`)")]
    NoBackend {
        /// The server.
        name: String,
    },
}
