//! The error of every backend operation, as the World sees it.

/// Why an operation on a backend, or the input describing it, failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server refused or failed the call; the backend's own typed error, which names the
    /// call, the item and what the server said (secrets redacted).
    #[error("{0}")]
    Server(Box<dyn std::error::Error + Send + Sync>),
    /// A kind the backend does not offer.
    #[error("the {family} backend has no kind {kind:?}; its kinds: {known}")]
    UnknownKind {
        /// The backend family.
        family: &'static str,
        /// What was asked for.
        kind: String,
        /// The kinds it has, comma-separated.
        known: String,
    },
    /// An attribute the kind does not have.
    #[error("unknown {kind} attribute {attribute:?}; known {kind} attributes: {known}")]
    UnknownAttribute {
        /// The kind.
        kind: &'static str,
        /// What was asked for.
        attribute: String,
        /// Every attribute the kind has, comma-separated.
        known: String,
    },
    /// Something the backend cannot do at all (rename on Ironic, provision states on Cobbler).
    #[error("the {family} backend cannot {what}")]
    Unsupported {
        /// The backend family.
        family: &'static str,
        /// What was asked, e.g. `rename a node`.
        what: String,
    },
    /// Input that provspec refuses before calling the server.
    #[error("{0}")]
    Invalid(String),
}

impl Error {
    /// Wraps a backend's own error.
    pub fn server(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error::Server(Box::new(error))
    }
}
