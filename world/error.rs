//! The one error a step fails with: what kind of failure it is (the feature's mistake, the
//! backend's limits, the server's refusal, a check that did not hold, a time limit, the
//! machine, a bug) and its context. It stays typed, with the server's real names, until the
//! step ends; there ([`super::step_timeout`]) it becomes text once, real names read back as
//! the feature's aliases.

use std::fmt;

use crate::assertions::{AssertionFailed, WaitError};
use crate::backend::Error as BackendError;
use crate::processes::ProcessError;
use crate::servers::ServerError;

/// What a World method or a step returns.
pub type StepResult<T = ()> = Result<T, WorldError>;

/// Why a step failed.
#[derive(Debug, thiserror::Error)]
pub enum WorldError {
    /// A mistake in the feature: an unknown alias, kind, attribute, lab or step argument; a
    /// table of the wrong shape; a step used out of order.
    #[error("{0}")]
    Authoring(String),
    /// Something the run's backend cannot do at all.
    #[error("{0}")]
    Unsupported(String),
    /// The server refused or failed a call the step needed.
    #[error("{}", refused_text(.action.as_deref(), .source))]
    Refused {
        /// What the step was doing, in the feature's words ("creating system \"web-01\"").
        action: Option<String>,
        /// The backend's error: the call, the item and what the server said.
        source: BackendError,
    },
    /// A check that did not hold: expected and actual.
    #[error(transparent)]
    Assertion(#[from] AssertionFailed),
    /// The step, or what it waited for, took longer than its limit.
    #[error("{0}")]
    TimedOut(String),
    /// Something on this machine failed: a process, server or BMC the scenario started, a
    /// file it reads or writes.
    #[error("{0}")]
    Environment(String),
    /// The step's code panicked: a bug in the step, not a verdict on the server.
    #[error("the step's code panicked (a bug in the step, not a verdict on the server): {0}")]
    Panicked(String),
}

/// The kinds of [`WorldError`], as reports name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// [`WorldError::Authoring`].
    Authoring,
    /// [`WorldError::Unsupported`].
    Unsupported,
    /// [`WorldError::Refused`].
    Refused,
    /// [`WorldError::Assertion`].
    Assertion,
    /// [`WorldError::TimedOut`].
    TimedOut,
    /// [`WorldError::Environment`].
    Environment,
    /// [`WorldError::Panicked`].
    Panicked,
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FailureKind::Authoring => "authoring mistake",
            FailureKind::Unsupported => "unsupported by the backend",
            FailureKind::Refused => "refused by the server",
            FailureKind::Assertion => "assertion",
            FailureKind::TimedOut => "timeout",
            FailureKind::Environment => "environment",
            FailureKind::Panicked => "bug in the step",
        })
    }
}

/// Fails the scenario's hook or step with `message`, the one way cucumber knows (an unwind
/// whose payload is the text), without the panic hook: a failed scenario is no crash, so stderr
/// gets no "thread panicked" line nor a backtrace for it.
pub fn fail_scenario(message: String) -> ! {
    std::panic::resume_unwind(Box::new(message))
}

/// The message a panic carried: a step's end fails its step with its text as a `String`, and
/// `panic!("…")` gives a `String` or a `&str`.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "(the failure carried no message)".to_owned())
}

fn refused_text(action: Option<&str>, source: &BackendError) -> String {
    match action {
        Some(action) => format!("{action} failed: {source}"),
        None => source.to_string(),
    }
}

impl WorldError {
    /// A mistake in the feature.
    pub fn authoring(message: impl Into<String>) -> Self {
        WorldError::Authoring(message.into())
    }

    /// A check that one sentence describes.
    pub fn assertion(message: impl Into<String>) -> Self {
        WorldError::Assertion(AssertionFailed::new(message))
    }

    /// A failure on this machine.
    pub fn environment(message: impl Into<String>) -> Self {
        WorldError::Environment(message.into())
    }

    /// A backend's error while doing `action`, classified by what the backend said: the
    /// server's refusal, a mistake in the feature (unknown kind or attribute, input refused
    /// before the call), or something the backend cannot do.
    pub fn backend(action: impl Into<String>, source: BackendError) -> Self {
        let action = action.into();
        match source {
            BackendError::Server(_) => WorldError::Refused {
                action: Some(action),
                source,
            },
            other => WorldError::from(other).in_context(&format!("{action} failed")),
        }
    }

    /// A wait for `subject` ("system \"web-01\" should reach \"active\"") that ended without
    /// it: out of time, or stopped by a state that will not change (an assertion failed).
    pub fn waited(subject: impl fmt::Display, error: WaitError) -> Self {
        match error {
            WaitError::TimedOut { .. } => WorldError::TimedOut(format!("{subject}: {error}")),
            WaitError::Failed { .. } => WorldError::assertion(format!("{subject}: {error}")),
        }
    }

    /// The same error with `context` in front: "creating system \"web-01\": …" (a refusal
    /// reads "creating system \"web-01\" failed: …").
    pub fn in_context(self, context: &str) -> Self {
        match self {
            WorldError::Authoring(m) => WorldError::Authoring(format!("{context}: {m}")),
            WorldError::Unsupported(m) => WorldError::Unsupported(format!("{context}: {m}")),
            WorldError::Refused {
                action: None,
                source,
            } => WorldError::Refused {
                action: Some(context.to_owned()),
                source,
            },
            WorldError::Environment(m) => WorldError::Environment(format!("{context}: {m}")),
            WorldError::TimedOut(m) => WorldError::TimedOut(format!("{context}: {m}")),
            WorldError::Assertion(failed) => WorldError::Assertion(AssertionFailed {
                summary: format!("{context}: {}", failed.summary),
                ..failed
            }),
            other => other,
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> FailureKind {
        match self {
            WorldError::Authoring(_) => FailureKind::Authoring,
            WorldError::Unsupported(_) => FailureKind::Unsupported,
            WorldError::Refused { .. } => FailureKind::Refused,
            WorldError::Assertion(_) => FailureKind::Assertion,
            WorldError::TimedOut(_) => FailureKind::TimedOut,
            WorldError::Environment(_) => FailureKind::Environment,
            WorldError::Panicked(_) => FailureKind::Panicked,
        }
    }
}

impl From<BackendError> for WorldError {
    fn from(source: BackendError) -> Self {
        match source {
            BackendError::Server(_) => WorldError::Refused {
                action: None,
                source,
            },
            BackendError::Unsupported { .. } => WorldError::Unsupported(source.to_string()),
            BackendError::UnknownKind { .. }
            | BackendError::UnknownAttribute { .. }
            | BackendError::Invalid(_) => WorldError::Authoring(source.to_string()),
        }
    }
}

impl From<ProcessError> for WorldError {
    /// A process the scenario started: a wrong or missing exit is a check that did not hold,
    /// a name or command line the feature got wrong is its mistake, the rest is the machine.
    fn from(error: ProcessError) -> Self {
        match error {
            ProcessError::WrongExit { .. }
            | ProcessError::UnexpectedExit { .. }
            | ProcessError::Timeout { .. } => WorldError::assertion(error.to_string()),
            ProcessError::CommandLine { .. }
            | ProcessError::Unknown { .. }
            | ProcessError::Taken { .. } => WorldError::Authoring(error.to_string()),
            ProcessError::Spawn { .. }
            | ProcessError::Files { .. }
            | ProcessError::Signal { .. }
            | ProcessError::Unkillable { .. } => WorldError::Environment(error.to_string()),
        }
    }
}

impl From<ServerError> for WorldError {
    /// A server the scenario started: names and placeholders are the feature's (or its
    /// definitions') mistake; a server that will not come up is the machine's.
    fn from(error: ServerError) -> Self {
        match error {
            ServerError::Process(process) => WorldError::from(process),
            ServerError::Unknown { .. }
            | ServerError::Placeholder { .. }
            | ServerError::NotStarted { .. }
            | ServerError::NoBackend { .. }
            | ServerError::Definitions { .. } => WorldError::Authoring(error.to_string()),
            ServerError::Port(_)
            | ServerError::Exited { .. }
            | ServerError::Clashes { .. }
            | ServerError::NotReady { .. } => WorldError::Environment(error.to_string()),
        }
    }
}

/// `authoring!("unknown lab {name:?}")`: a [`WorldError::Authoring`] from a format string.
#[macro_export]
macro_rules! authoring {
    ($($message:tt)+) => { $crate::world::error::WorldError::Authoring(format!($($message)+)) };
}

/// `assertion!("no call to {name:?}")`: a [`WorldError::Assertion`] from a format string.
#[macro_export]
macro_rules! assertion {
    ($($message:tt)+) => { $crate::world::error::WorldError::assertion(format!($($message)+)) };
}

/// `environment!("cannot start {name:?}: {e}")`: a [`WorldError::Environment`] from a format
/// string.
#[macro_export]
macro_rules! environment {
    ($($message:tt)+) => { $crate::world::error::WorldError::Environment(format!($($message)+)) };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server_error() -> BackendError {
        BackendError::server(std::io::Error::other("fault 1: duplicate name web-01-r1s2"))
    }

    #[test]
    fn a_backend_error_is_classified_by_what_the_backend_said() {
        assert_eq!(
            WorldError::from(server_error()).kind(),
            FailureKind::Refused
        );
        let unknown = BackendError::UnknownKind {
            family: "acme",
            kind: "distor".into(),
            known: "distro".into(),
        };
        assert_eq!(WorldError::from(unknown).kind(), FailureKind::Authoring);
        let cannot = BackendError::Unsupported {
            family: "acme",
            what: "rename a node".into(),
        };
        assert_eq!(WorldError::from(cannot).kind(), FailureKind::Unsupported);
    }

    #[test]
    fn the_action_is_said_once_in_front_of_the_servers_words() {
        let error = WorldError::backend("creating system \"web-01\"", server_error());
        assert_eq!(
            error.to_string(),
            "creating system \"web-01\" failed: fault 1: duplicate name web-01-r1s2"
        );
        let invalid = WorldError::backend("modifying", BackendError::Invalid("no".into()));
        assert_eq!(invalid.to_string(), "modifying failed: no");
        assert_eq!(invalid.kind(), FailureKind::Authoring);
    }

    #[test]
    fn macros_make_the_kind_they_name() {
        let name = "racks";
        assert_eq!(
            authoring!("unknown lab {name:?}").kind(),
            FailureKind::Authoring
        );
        assert_eq!(assertion!("no call").kind(), FailureKind::Assertion);
        assert_eq!(environment!("gone").to_string(), "gone");
    }
}
