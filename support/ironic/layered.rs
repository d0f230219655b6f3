//! A scenario's [`CallLayer`] in front of any Ironic exchange (the embedded fake, an HTTP
//! server): every request is journaled, and an injected fault becomes the response (or the
//! transport error) a real Ironic, or a proxy in front of it, would give.

use std::sync::Arc;
use std::time::Instant;

use serde_json::{Value, json};

use crate::calls::faults::{FaultKind, Malformed};
use crate::calls::layer::CallLayer;

use super::exchange::{Exchange, ExchangeError, RawRequest, RawResponse};

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
            detail: format!(
                "error sending request for url ({url}): operation timed out (timed out)"
            ),
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
        let json_headers = || vec![("Content-Type".to_owned(), "application/json".to_owned())];
        let fault = |status: u16, code: &str, message: &str| {
            RawResponse {
            status,
            headers: json_headers(),
            body: json!({"error_message": json!({"faultcode": code, "faultstring": message, "debuginfo": null}).to_string()})
                .to_string()
                .into_bytes(),
        }
        };
        match kind {
            FaultKind::Refuse { message } => Ok(fault(400, "Client", message)),
            FaultKind::HttpStatus { status, body } if body.is_empty() => {
                Ok(fault(*status, "Server", &crate::http::reason_phrase(*status)))
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
                detail: format!(
                    "error sending request for url ({url}): client error (SendRequest): connection closed before message completed"
                ),
                url,
            }),
            FaultKind::Malformed { form } => Ok(match form {
                Malformed::Garbage => RawResponse {
                    status: 200,
                    headers: json_headers(),
                    body: b"{\"nodes\": [{\"uuid\": \"1be26c0b\",, }".to_vec(),
                },
                Malformed::Truncated => RawResponse {
                    status: 200,
                    headers: json_headers(),
                    body: b"{\"uuid\": \"1be26c0b-03f2-4d2e-ae87-c02d7f33c123\", \"name\": \"n".to_vec(),
                },
                Malformed::HtmlPage => RawResponse {
                    status: 502,
                    headers: vec![("Content-Type".to_owned(), "text/html".to_owned())],
                    body: b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"
                        .to_vec(),
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
