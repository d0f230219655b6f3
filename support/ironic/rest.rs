//! Ironic's REST API as calls: the microversion header always sent, http_basic credentials,
//! JSON bodies, and every error body (three shapes) parsed into one [`ApiError`].

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use super::exchange::{Exchange, ExchangeError, RawRequest, RawResponse};

/// The microversion provspec speaks when the server offers it (Ironic 39's maximum).
pub const MICROVERSION: &str = "1.115";

/// How many characters of an unexpected body an error shows.
const BODY_START_CHARS: usize = 200;

/// A user and password for `auth_strategy = http_basic`. The password is never printed.
#[derive(Clone)]
pub struct BasicAuth {
    /// The user.
    pub user: String,
    password: SecretString,
}

impl BasicAuth {
    /// Credentials for `user` with `password`.
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            user: user.into(),
            password: SecretString::from(password.into()),
        }
    }

    /// The password, for a fake that must accept the same login (`provspec conformance`);
    /// never print it.
    pub fn password(&self) -> &str {
        self.password.expose_secret()
    }

    /// The `Authorization` header value.
    pub(crate) fn header(&self) -> String {
        let pair = format!("{}:{}", self.user, self.password.expose_secret());
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    }
}

impl fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicAuth")
            .field("user", &self.user)
            .field("password", &"[redacted]")
            .finish()
    }
}

/// Why an Ironic call failed. Every variant names the call (`POST /v1/nodes`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The server answered with an error status and a message.
    #[error("{call}: HTTP {status}: {message}{}", request_id_note(request_id))]
    Refused {
        /// The method and path.
        call: String,
        /// The HTTP status.
        status: u16,
        /// The faultstring, the description (or title), or the auth error's message.
        message: String,
        /// `x-openstack-request-id`, to find the call in the server's log.
        request_id: Option<String>,
    },
    /// The server could not be reached or did not answer in time.
    #[error("{call}: {source}")]
    Unreachable {
        /// The method and path.
        call: String,
        /// What the exchange said.
        #[source]
        source: ExchangeError,
    },
    /// The server answered something that is not what Ironic sends.
    #[error("{call}: HTTP {status}: {detail}; the body starts: {body_start:?}")]
    Malformed {
        /// The method and path.
        call: String,
        /// The HTTP status.
        status: u16,
        /// What was wrong.
        detail: String,
        /// The first characters of the body.
        body_start: String,
    },
}

fn request_id_note(request_id: &Option<String>) -> String {
    request_id
        .as_ref()
        .map(|id| format!(" (request {id})"))
        .unwrap_or_default()
}

impl ApiError {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Refused { status, .. } | ApiError::Malformed { status, .. } => Some(*status),
            ApiError::Unreachable { .. } => None,
        }
    }

    /// The server's message (faultstring), when it refused.
    pub fn message(&self) -> Option<&str> {
        match self {
            ApiError::Refused { message, .. } => Some(message),
            _ => None,
        }
    }
}

/// A successful answer: its status and JSON body (if any).
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    /// The HTTP status (200, 201, 202, 204).
    pub status: u16,
    /// The body as JSON; `Null` for an empty body.
    pub body: Value,
}

/// Calls to one Ironic API through an [`Exchange`].
#[derive(Clone, Debug)]
pub struct RestClient {
    exchange: Arc<dyn Exchange>,
    microversion: String,
    auth: Option<BasicAuth>,
}

impl RestClient {
    /// The same client with `layer` (journal, faults) in front of its exchange.
    pub fn layered(&self, layer: crate::calls::layer::CallLayer) -> Self {
        Self {
            exchange: Arc::new(super::layered::LayeredExchange::new(
                self.exchange.clone(),
                layer,
            )),
            ..self.clone()
        }
    }

    /// A client sending `X-OpenStack-Ironic-API-Version: microversion` on every call.
    pub fn new(exchange: Arc<dyn Exchange>, microversion: &str, auth: Option<BasicAuth>) -> Self {
        Self {
            exchange,
            microversion: microversion.to_owned(),
            auth,
        }
    }

    /// The same client with other credentials.
    pub fn with_auth(&self, auth: Option<BasicAuth>) -> Self {
        Self {
            auth,
            ..self.clone()
        }
    }

    /// Where the calls go.
    pub fn endpoint(&self) -> String {
        self.exchange.endpoint()
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Result<Reply, ApiError> {
        self.call("GET", path, None).await
    }

    /// Sends `method path` with an optional JSON body; an error status becomes an
    /// [`ApiError`] carrying the server's message.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Reply, ApiError> {
        let call = format!("{method} {}", path.split('?').next().unwrap_or(path));
        let request = RawRequest::json(
            method,
            path,
            Some(&self.microversion),
            self.auth.as_ref().map(BasicAuth::header),
            body,
        );
        tracing::debug!(%call, "ironic call");
        let response =
            self.exchange
                .exchange(request)
                .await
                .map_err(|source| ApiError::Unreachable {
                    call: call.clone(),
                    source,
                })?;
        interpret(&call, response)
    }
}

/// A response as a [`Reply`] (2xx) or an [`ApiError`] with the message of whichever error
/// shape the body has.
pub fn interpret(call: &str, response: RawResponse) -> Result<Reply, ApiError> {
    let status = response.status;
    let text = String::from_utf8_lossy(&response.body);
    let parsed: Option<Value> = if text.trim().is_empty() {
        Some(Value::Null)
    } else {
        serde_json::from_str(&text).ok()
    };
    if (200..300).contains(&status) {
        return match parsed {
            Some(body) => Ok(Reply { status, body }),
            None => Err(ApiError::Malformed {
                call: call.to_owned(),
                status,
                detail: "the body is not JSON".to_owned(),
                body_start: body_start(&text),
            }),
        };
    }
    match parsed.as_ref().and_then(error_message) {
        Some(message) => Err(ApiError::Refused {
            call: call.to_owned(),
            status,
            message,
            request_id: response.header("x-openstack-request-id").map(str::to_owned),
        }),
        None => Err(ApiError::Malformed {
            call: call.to_owned(),
            status,
            detail: "an error status without an Ironic error body".to_owned(),
            body_start: body_start(&text),
        }),
    }
}

/// The message of an Ironic error body, whichever of its three shapes it has:
/// `{"error_message": "<JSON of {faultcode, faultstring, debuginfo}>"}`,
/// `{"error_message": "<JSON of {code, title, description}>"}` (routing and version errors),
/// and http_basic's `{"error": {"message", "code"}}`.
pub fn error_message(body: &Value) -> Option<String> {
    if let Some(inner) = body.get("error_message") {
        let inner = match inner {
            Value::String(text) => {
                serde_json::from_str(text).unwrap_or(Value::String(text.clone()))
            }
            other => other.clone(),
        };
        if let Some(fault) = inner.get("faultstring").and_then(Value::as_str) {
            return Some(fault.to_owned());
        }
        let description = inner.get("description").and_then(Value::as_str);
        let title = inner.get("title").and_then(Value::as_str);
        return match (title, description) {
            (Some(title), Some(d)) if !d.is_empty() => Some(format!("{title}: {d}")),
            (Some(title), _) => Some(title.to_owned()),
            (None, Some(d)) => Some(d.to_owned()),
            (None, None) => inner.as_str().map(str::to_owned),
        };
    }
    body.get("error")
        .and_then(|e| e.get("message"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn body_start(text: &str) -> String {
    text.chars().take(BODY_START_CHARS).collect()
}

/// `segment` made safe for a URL path (names may hold any character).
pub fn segment(segment: &str) -> String {
    const UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(segment, UNRESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::Mutex;

    fn response(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            headers: vec![("x-openstack-request-id".to_owned(), "req-1234".to_owned())],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn the_fault_shape_is_parsed_twice() {
        let body = r#"{"error_message": "{\"faultcode\": \"Client\", \"faultstring\": \"A node with name node-1 already exists.\", \"debuginfo\": null}"}"#;
        let error = interpret("POST /v1/nodes", response(409, body)).unwrap_err();
        assert_eq!(
            error,
            ApiError::Refused {
                call: "POST /v1/nodes".into(),
                status: 409,
                message: "A node with name node-1 already exists.".into(),
                request_id: Some("req-1234".into()),
            }
        );
        assert_eq!(
            error.to_string(),
            "POST /v1/nodes: HTTP 409: A node with name node-1 already exists. (request req-1234)"
        );
    }

    #[test]
    fn the_routing_and_version_shape_gives_title_and_description() {
        let body = r#"{"error_message": "{\"code\": 406, \"title\": \"Not Acceptable\", \"description\": \"Version 1.999 was requested but the minor version is not supported by this service. The supported version range is: [1.1, 1.115].\"}"}"#;
        let error = interpret("GET /v1/nodes", response(406, body)).unwrap_err();
        assert_eq!(error.status(), Some(406));
        assert_eq!(
            error.message(),
            Some(
                "Not Acceptable: Version 1.999 was requested but the minor version is not supported by this service. The supported version range is: [1.1, 1.115]."
            )
        );
        let body = r#"{"error_message": "{\"code\": 404, \"title\": \"Not Found\", \"description\": \"\"}"}"#;
        let error = interpret("GET /v1/nosuch", response(404, body)).unwrap_err();
        assert_eq!(error.message(), Some("Not Found"));
    }

    #[test]
    fn the_http_basic_shape_is_plain_json() {
        let body = r#"{"error":{"message":"Incorrect username or password","code":401}}"#;
        let error = interpret("GET /v1/nodes", response(401, body)).unwrap_err();
        assert_eq!(error.message(), Some("Incorrect username or password"));
        assert_eq!(error.status(), Some(401));
    }

    #[test]
    fn bodies_that_are_not_ironic_errors_are_shown() {
        let error =
            interpret("GET /v1/nodes", response(502, "<html>Bad Gateway</html>")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "GET /v1/nodes: HTTP 502: an error status without an Ironic error body; the body starts: \"<html>Bad Gateway</html>\""
        );
        let error = interpret("GET /v1/nodes", response(200, "{truncated")).unwrap_err();
        assert!(
            matches!(error, ApiError::Malformed { status: 200, .. }),
            "{error}"
        );
        let empty = interpret("PUT /v1/nodes/x/states/power", response(202, "")).unwrap();
        assert_eq!(
            empty,
            Reply {
                status: 202,
                body: Value::Null
            }
        );
    }

    /// Records the requests it is sent and answers 200 `{}`.
    #[derive(Debug, Default)]
    struct Recorder(Mutex<Vec<RawRequest>>);

    #[async_trait::async_trait]
    impl Exchange for Recorder {
        async fn exchange(&self, request: RawRequest) -> Result<RawResponse, ExchangeError> {
            self.0.lock().unwrap().push(request);
            Ok(response(200, "{}"))
        }
        fn endpoint(&self) -> String {
            "recorder".into()
        }
    }

    #[tokio::test]
    async fn every_call_sends_the_microversion_and_credentials_never_show() {
        let recorder = Arc::new(Recorder::default());
        let auth = BasicAuth::new("admin", "s3cret");
        let client = RestClient::new(recorder.clone(), MICROVERSION, Some(auth.clone()));
        client.get("/v1/nodes").await.unwrap();
        client
            .call("POST", "/v1/nodes", Some(&json!({"name": "n"})))
            .await
            .unwrap();
        let sent = recorder.0.lock().unwrap().clone();
        for request in &sent {
            assert_eq!(
                request.header("x-openstack-ironic-api-version"),
                Some("1.115")
            );
            assert_eq!(
                request.header("authorization"),
                Some("Basic YWRtaW46czNjcmV0")
            );
        }
        assert_eq!(sent[1].header("content-type"), Some("application/json"));
        assert_eq!(sent[1].body, br#"{"name":"n"}"#);
        assert!(!format!("{client:?} {auth:?}").contains("s3cret"));
    }

    #[test]
    fn names_are_escaped_in_paths() {
        assert_eq!(segment("web-01--ab12-3"), "web-01--ab12-3");
        assert_eq!(segment("bad name/x"), "bad%20name%2Fx");
    }
}
