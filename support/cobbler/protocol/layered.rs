//! A scenario's [`CallLayer`] in front of any Cobbler transport (the embedded fake, an HTTP
//! server): every call is journaled, and an injected fault becomes exactly what
//! [`super::HttpTransport`] returns when a real server fails that way.

use std::sync::Arc;
use std::time::Instant;

use crate::calls::faults::{FaultKind, HTML_ERROR_PAGE, Malformed};
use crate::calls::layer::CallLayer;
use crate::http::{dropped_detail, reason_phrase, timed_out_detail};

use super::http::{NOT_XML_RPC, body_start};
use super::{CallError, Fault, Transport, Value, to_json};

/// A reply that is not XML-RPC (an unknown element): what a [`Malformed::Garbage`] fault
/// answers, client-side and in fake-cobbler's control API.
pub const GARBAGE_REPLY: &str = "<?xml version='1.0'?>\n<methodResponse><params><param><value><strukt>\
<member><name>name</name></member></strukt></value></param></params></methodResponse>\n";

/// A reply cut off halfway: what a [`Malformed::Truncated`] fault answers.
pub const TRUNCATED_REPLY: &str =
    "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><bool";

/// `inner` with `layer` in front.
#[derive(Debug)]
pub struct LayeredTransport {
    inner: Arc<dyn Transport>,
    layer: CallLayer,
}

impl LayeredTransport {
    /// Calls go through `layer`, then to `inner`.
    pub fn new(inner: Arc<dyn Transport>, layer: CallLayer) -> Self {
        Self { inner, layer }
    }

    /// The error of a call that got no answer within the call timeout.
    fn timed_out(&self, method: &str) -> CallError {
        let url = self.inner.endpoint();
        CallError::Unreachable {
            detail: timed_out_detail(&url),
            method: method.to_owned(),
            url,
        }
    }

    /// The error the HTTP transport gives for a server failing as `kind` says.
    async fn injected(&self, method: &str, kind: &FaultKind) -> CallError {
        let url = self.inner.endpoint();
        let method = method.to_owned();
        match kind {
            FaultKind::Refuse { message } => CallError::Fault {
                method,
                fault: Fault::new(1, format!("<class 'cobbler.cexceptions.CX'>:'{message}'")),
            },
            FaultKind::HttpStatus { status, body } => CallError::HttpStatus {
                method,
                url,
                status: *status,
                body_start: if body.is_empty() {
                    reason_phrase(*status)
                } else {
                    body_start(body)
                },
            },
            FaultKind::Stall => {
                tokio::time::sleep(self.layer.call_timeout()).await;
                self.timed_out(&method)
            }
            FaultKind::Drop => CallError::Unreachable {
                detail: dropped_detail(&url),
                method,
                url,
            },
            FaultKind::Malformed { form } => match form {
                Malformed::Garbage => CallError::Malformed {
                    method,
                    url,
                    detail: NOT_XML_RPC.to_owned(),
                    body_start: body_start(GARBAGE_REPLY),
                },
                Malformed::Truncated => CallError::Malformed {
                    method,
                    url,
                    detail: NOT_XML_RPC.to_owned(),
                    body_start: body_start(TRUNCATED_REPLY),
                },
                Malformed::HtmlPage => CallError::HttpStatus {
                    method,
                    url,
                    status: 502,
                    body_start: body_start(HTML_ERROR_PAGE),
                },
            },
            // Latency is added before the call, never instead of it.
            FaultKind::Latency { .. } => CallError::Encode {
                method,
                detail: "latency is not a failure".to_owned(),
            },
        }
    }
}

#[async_trait::async_trait]
impl Transport for LayeredTransport {
    async fn call(&self, method: &str, args: Vec<Value>) -> Result<Value, CallError> {
        let Some(planned) = self.layer.plan(method) else {
            return self.inner.call(method, args).await;
        };
        let mut arguments = serde_json::Value::Array(args.iter().map(to_json).collect());
        if method == "login" {
            // login(user, password): the password never enters the journal.
            if let Some(password) = arguments.get_mut(1) {
                *password = serde_json::Value::String("[redacted]".to_owned());
            }
        }
        let started = Instant::now();
        if !planned.delay.is_zero() {
            // Even a zero sleep waits for the timer's next tick (a millisecond): only real
            // latency is slept.
            tokio::time::sleep(planned.delay).await;
        }
        let limit = self.layer.call_timeout();
        let result = match &planned.failure {
            None => match tokio::time::timeout(limit, self.inner.call(method, args)).await {
                Ok(result) => result,
                Err(_) => Err(self.timed_out(method)),
            },
            Some(kind) => Err(self.injected(method, kind).await),
        };
        let outcome = match &result {
            Ok(value) => Ok(to_json(value)),
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
