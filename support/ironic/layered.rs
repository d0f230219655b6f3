//! A scenario's [`CallLayer`] in front of any Ironic exchange (the embedded fake, an HTTP
//! server): every request is journaled, and an injected fault becomes the response (or the
//! transport error) a real Ironic, or a proxy in front of it, would give.

use std::sync::Arc;
use std::time::Instant;

use serde_json::{Value, json};

use crate::calls::faults::{FaultKind, HTML_ERROR_PAGE, Malformed};
use crate::calls::layer::CallLayer;
use crate::http::{dropped_detail, timed_out_detail};

use super::exchange::{Exchange, ExchangeError, RawRequest, RawResponse};
use super::fake::errors::ApiError;

/// A reply that is not JSON: what a [`Malformed::Garbage`] fault answers, client-side and in
/// fake-ironic's control API.
pub const GARBAGE_REPLY: &str = "{\"nodes\": [{\"uuid\": \"1be26c0b\",, }";

/// A reply cut off halfway: what a [`Malformed::Truncated`] fault answers.
pub const TRUNCATED_REPLY: &str =
    "{\"uuid\": \"1be26c0b-03f2-4d2e-ae87-c02d7f33c123\", \"name\": \"n";

/// `inner` with `layer` in front.
#[derive(Debug)]
pub struct LayeredExchange {
    inner: Arc<dyn Exchange>,
    layer: CallLayer,
}

impl LayeredExchange {
    /// Requests go through `layer`, then to `inner`.
    pub fn new(inner: Arc<dyn Exchange>, layer: CallLayer) -> Self {
        Self { inner, layer }
    }

    /// The error of a request that got no answer within the call timeout.
    fn timed_out(&self, request: &RawRequest) -> ExchangeError {
        let url = format!("{}{}", self.inner.endpoint(), request.path);
        ExchangeError::Unreachable {
            detail: timed_out_detail(&url),
            url,
        }
    }

    /// What the client gets from a server failing as `kind` says.
    async fn injected(
        &self,
        request: &RawRequest,
        kind: &FaultKind,
    ) -> Result<RawResponse, ExchangeError> {
        let url = format!("{}{}", self.inner.endpoint(), request.path);
        let json = |body: &str, status: u16| RawResponse {
            status,
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: body.as_bytes().to_vec(),
        };
        // The fake's error bodies are the real server's, byte for byte.
        let api_error = |error: ApiError| json(&error.body, error.status);
        match kind {
            FaultKind::Refuse { message } => Ok(api_error(ApiError::client(400, message))),
            FaultKind::HttpStatus { status, body } if body.is_empty() => {
                Ok(api_error(ApiError::for_status(*status)))
            }
            FaultKind::HttpStatus { status, body } => Ok(RawResponse {
                status: *status,
                headers: Vec::new(),
                body: body.clone().into_bytes(),
            }),
            FaultKind::Stall => {
                tokio::time::sleep(self.layer.call_timeout()).await;
                Err(self.timed_out(request))
            }
            FaultKind::Drop => Err(ExchangeError::Unreachable {
                detail: dropped_detail(&url),
                url,
            }),
            FaultKind::Malformed { form } => Ok(match form {
                Malformed::Garbage => json(GARBAGE_REPLY, 200),
                Malformed::Truncated => json(TRUNCATED_REPLY, 200),
                Malformed::HtmlPage => RawResponse {
                    status: 502,
                    headers: vec![("Content-Type".to_owned(), "text/html".to_owned())],
                    body: HTML_ERROR_PAGE.as_bytes().to_vec(),
                },
            }),
            // Latency is added before the call, never instead of it.
            FaultKind::Latency { .. } => self.inner.exchange(request.clone()).await,
        }
    }
}

/// A body as JSON for the journal: parsed, or as text when it is not JSON, `null` when empty.
fn body_json(body: &[u8]) -> Value {
    if body.is_empty() {
        return Value::Null;
    }
    serde_json::from_slice(body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()))
}

#[async_trait::async_trait]
impl Exchange for LayeredExchange {
    async fn exchange(&self, request: RawRequest) -> Result<RawResponse, ExchangeError> {
        let raw_name = format!("{} {}", request.method, request.path);
        let Some(planned) = self.layer.plan(&raw_name) else {
            return self.inner.exchange(request).await;
        };
        let arguments = body_json(&request.body);
        let started = Instant::now();
        if !planned.delay.is_zero() {
            // Even a zero sleep waits for the timer's next tick (a millisecond): only real
            // latency is slept.
            tokio::time::sleep(planned.delay).await;
        }
        let limit = self.layer.call_timeout();
        let result = match &planned.failure {
            None => {
                let shown = RawRequest {
                    body: Vec::new(),
                    ..request.clone()
                };
                match tokio::time::timeout(limit, self.inner.exchange(request)).await {
                    Ok(result) => result,
                    Err(_) => Err(self.timed_out(&shown)),
                }
            }
            Some(kind) => self.injected(&request, kind).await,
        };
        let outcome = match &result {
            Ok(response) if response.status < 400 => {
                Ok(json!({"status": response.status, "body": body_json(&response.body)}))
            }
            Ok(response) => Err(format!(
                "HTTP {}: {}",
                response.status,
                String::from_utf8_lossy(&response.body)
            )),
            Err(error) => Err(error.to_string()),
        };
        self.layer
            .record(&planned, arguments, outcome, started.elapsed());
        result
    }

    fn endpoint(&self) -> String {
        self.inner.endpoint()
    }
}
