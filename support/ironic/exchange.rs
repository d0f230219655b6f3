//! One HTTP request and its response, as plain data, and the [`Exchange`] trait that carries
//! them: over the network (reqwest) or straight into the embedded fake Ironic.
//!
//! The REST client above it (microversion header, error bodies) never knows which one it
//! talks to, so the embedded fake answers exactly the bytes a real server would.

use std::fmt;

/// An HTTP request: method, path with query, headers and body bytes. Its `Debug` hides the
/// value of an `Authorization` header.
#[derive(Clone, Default, PartialEq, Eq)]
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
    /// A request of Ironic's REST API: the microversion header (when given), `Accept: JSON`, the
    /// `Authorization` value (when given), and `body` as JSON with its content type.
    pub fn json(
        method: &str,
        path: &str,
        microversion: Option<&str>,
        authorization: Option<String>,
        body: Option<&serde_json::Value>,
    ) -> Self {
        let mut headers = Vec::new();
        if let Some(version) = microversion {
            headers.push((
                "X-OpenStack-Ironic-API-Version".to_owned(),
                version.to_owned(),
            ));
        }
        headers.push(("Accept".to_owned(), "application/json".to_owned()));
        if let Some(authorization) = authorization {
            headers.push(("Authorization".to_owned(), authorization));
        }
        let body = match body {
            Some(json) => {
                headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
                json.to_string().into_bytes()
            }
            None => Vec::new(),
        };
        Self {
            method: method.to_owned(),
            path: path.to_owned(),
            headers,
            body,
        }
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

impl fmt::Debug for RawRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if name.eq_ignore_ascii_case("authorization") {
                    "[redacted]"
                } else {
                    value.as_str()
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("RawRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_credentials() {
        let request = RawRequest {
            method: "GET".into(),
            path: "/v1/nodes".into(),
            headers: vec![("Authorization".into(), "Basic YWRtaW46czNjcmV0".into())],
            body: Vec::new(),
        };
        let shown = format!("{request:?}");
        assert!(shown.contains("[redacted]"), "{shown}");
        assert!(!shown.contains("YWRtaW46czNjcmV0"), "{shown}");
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
