//! The error of an Ironic operation: what provspec was doing, and the call that failed.

use super::rest::ApiError;

/// Why an operation on Ironic failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A call failed; `action` says what provspec was doing.
    #[error("{action}: {source}")]
    Call {
        /// What was being done, e.g. `creating node "web-01--k3x9-4"`.
        action: String,
        /// The call's error, with the server's message.
        #[source]
        source: ApiError,
    },
    /// The server answered, but not what its contract says.
    #[error("{action}: {detail}")]
    Unexpected {
        /// What was being done.
        action: String,
        /// What was wrong.
        detail: String,
    },
}

impl Error {
    /// The HTTP status of the failed call, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Call { source, .. } => source.status(),
            Error::Unexpected { .. } => None,
        }
    }
}
