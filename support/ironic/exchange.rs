//! One HTTP request and its response, as plain data, and the [`Exchange`] trait that carries
//! them: over the network (reqwest) or straight into the embedded fake Ironic.
//!
//! The REST client above it (microversion header, error bodies) never knows which one it
//! talks to, so the embedded fake answers exactly the bytes a real server would.

use std::fmt;

/// An HTTP request: method, path with query, headers and body bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawRequest {
    /// `GET`, `POST`, `PATCH`, `PUT`, `DELETE`.
    pub method: String,
    /// The path and query, e.g. `/v1/nodes?limit=1&fields=name`.
    pub path: String,
    /// Header names (any case) and values.
    pub headers: Vec<(String, String)>,
    /// The body; empty for none.
    pub body: Vec<u8>,
}

impl RawRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

/// An HTTP response: status, headers and body bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawResponse {
    /// The status code, e.g. 201.
    pub status: u16,
    /// Header names (any case) and values.
    pub headers: Vec<(String, String)>,
    /// The body; empty for none (a 202 or 204).
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Why no response came back at all (a response with an error status is not one of these).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExchangeError {
    /// The server could not be reached, or did not answer in time.
    #[error("cannot reach {url}: {detail}")]
    Unreachable {
        /// Where the request went.
        url: String,
        /// What the HTTP client said (timeouts say "timed out").
        detail: String,
    },
}

/// Carries one request to an Ironic API and brings back its response.
#[async_trait::async_trait]
pub trait Exchange: Send + Sync + fmt::Debug {
    /// Sends `request` and returns the response, whatever its status.
    async fn exchange(&self, request: RawRequest) -> Result<RawResponse, ExchangeError>;

    /// Where the requests go, for messages: a URL, or "the embedded fake Ironic".
    fn endpoint(&self) -> String;
}
