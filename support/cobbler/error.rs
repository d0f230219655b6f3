//! The error of every provspec operation: what was being done, and why it failed.

use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::Fault;
use crate::cobbler::session::SessionError;

/// Why an operation on the provisioning server, or on the input describing it, failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// A call to the server failed; `action` says what provspec was doing.
    #[error("{action}: {source}")]
    Server {
        /// What was being done, e.g. `creating system "web-01--k3x9-4"`.
        action: String,
        /// The session's error (fault text verbatim, tokens redacted).
        #[source]
        source: SessionError,
    },
    /// An attribute the kind does not have.
    #[error("unknown {kind} attribute {attribute:?}; known {kind} attributes: {known}")]
    UnknownAttribute {
        /// The kind.
        kind: Kind,
        /// What was asked for.
        attribute: String,
        /// Every attribute the kind has, comma-separated.
        known: String,
    },
    /// An interface column provspec does not know.
    #[error("unknown interface field {field:?}; known interface fields: {known}")]
    UnknownInterfaceField {
        /// What was asked for.
        field: String,
        /// The known fields, comma-separated.
        known: String,
    },
    /// The server answered `False` to `modify_*`: it has no such field, or no such item.
    #[error(
        "{method} returned False for {attribute:?} of {kind} {name:?}: the server has no such field or no such {kind}"
    )]
    FieldRefused {
        /// The XML-RPC method.
        method: String,
        /// The kind.
        kind: Kind,
        /// The item's real name.
        name: String,
        /// The attribute.
        attribute: String,
    },
    /// A call answered something other than what its contract says.
    #[error("{method}: expected {expected}, got {got}")]
    UnexpectedResult {
        /// The XML-RPC method.
        method: String,
        /// What the contract says.
        expected: String,
        /// What came back.
        got: String,
    },
    /// Input that provspec refuses before calling the server.
    #[error("{0}")]
    Invalid(String),
}

impl Error {
    /// The server's fault, if the failure is one.
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            Error::Server { source, .. } => source.fault(),
            _ => None,
        }
    }
}
