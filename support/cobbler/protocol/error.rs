use super::Fault;

/// Why one XML-RPC call did not produce a value. Every variant names the method.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CallError {
    /// The server answered with an XML-RPC fault.
    #[error("{method}: {fault}")]
    Fault {
        /// The XML-RPC method.
        method: String,
        /// The fault, verbatim.
        fault: Fault,
    },
    /// The server could not be reached (refused, DNS, timeout).
    #[error("{method}: cannot reach {url}: {detail}")]
    Unreachable {
        /// The XML-RPC method.
        method: String,
        /// The endpoint.
        url: String,
        /// What the HTTP client said.
        detail: String,
    },
    /// The server answered with an HTTP error status.
    #[error("{method}: {url} answered HTTP {status}; the body starts: {body_start:?}")]
    HttpStatus {
        /// The XML-RPC method.
        method: String,
        /// The endpoint.
        url: String,
        /// The HTTP status code.
        status: u16,
        /// The first characters of the body.
        body_start: String,
    },
    /// The server answered 200 with something that is not an XML-RPC response.
    #[error(
        "{method}: {url} sent a response that is not XML-RPC ({detail}); the body starts: {body_start:?}"
    )]
    Malformed {
        /// The XML-RPC method.
        method: String,
        /// The endpoint.
        url: String,
        /// Why it could not be parsed.
        detail: String,
        /// The first characters of the body.
        body_start: String,
    },
    /// The request could not be encoded.
    #[error("{method}: cannot encode the request: {detail}")]
    Encode {
        /// The XML-RPC method.
        method: String,
        /// What went wrong.
        detail: String,
    },
}

impl CallError {
    /// The fault the server sent, if this is a fault.
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            CallError::Fault { fault, .. } => Some(fault),
            _ => None,
        }
    }

    /// The XML-RPC method the call was for.
    pub fn method(&self) -> &str {
        match self {
            CallError::Fault { method, .. }
            | CallError::Unreachable { method, .. }
            | CallError::HttpStatus { method, .. }
            | CallError::Malformed { method, .. }
            | CallError::Encode { method, .. } => method,
        }
    }

    /// Replaces every occurrence of `secret` in the texts this error carries (faults quote tokens).
    pub fn redact(mut self, secret: &str, replacement: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        match &mut self {
            CallError::Fault { fault, .. } => {
                fault.string = fault.string.replace(secret, replacement)
            }
            CallError::HttpStatus { body_start, .. } | CallError::Malformed { body_start, .. } => {
                *body_start = body_start.replace(secret, replacement)
            }
            CallError::Unreachable { detail, .. } | CallError::Encode { detail, .. } => {
                *detail = detail.replace(secret, replacement)
            }
        }
        self
    }
}
