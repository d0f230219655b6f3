//! The fake Ironic over real HTTP: every method and path goes to [`FakeIronic::handle`],
//! behind the control API of [`crate::fake_control`] under `/_provspec/` (requests are
//! journaled and faulted as `VERB /path`).

use std::future::Future;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use serde_json::Value;
use tokio::net::TcpListener;

use super::errors::ApiError;
use super::{FakeIronic, ids, limits};
use crate::fake_control::{Control, Family};
use crate::ironic::exchange::{RawRequest, RawResponse};
use crate::ironic::layered::{GARBAGE_REPLY, TRUNCATED_REPLY};

/// The largest request body read (bytes): the largest the real server takes.
const MAX_BODY: usize = limits::MAX_PROVISION_BODY;

/// An axum router answering every method and path with `fake`, with a control API of its
/// own (see [`control`]).
pub fn router(fake: FakeIronic) -> Router {
    router_with(fake, &control())
}

/// An axum router answering every method and path with `fake` behind `control`'s fault rules
/// and journal, with its control API under `/_provspec/`.
pub fn router_with(fake: FakeIronic, control: &Control) -> Router {
    control.wrap(Router::new().fallback(answer).with_state(fake))
}

/// An empty fault plan and journal for a fake Ironic: requests are named `VERB /path`
/// (without the query), their JSON bodies are the arguments, a refusal is a 400 with Ironic's
/// fault body.
pub fn control() -> Control {
    Control::new(RestCalls)
}

/// Serves `fake` on `listener` until `shutdown` completes (stalled calls then end at once).
pub async fn serve(
    listener: TcpListener,
    fake: FakeIronic,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let control = control();
    axum::serve(listener, router_with(fake, &control))
        .with_graceful_shutdown(control.releasing(shutdown))
        .await
}

/// Fake Ironic's part of the control API.
#[derive(Debug)]
struct RestCalls;

impl Family for RestCalls {
    fn server(&self) -> &'static str {
        "fake-ironic"
    }

    fn max_body(&self) -> usize {
        MAX_BODY
    }

    fn call(&self, method: &Method, path: &str, body: &[u8]) -> (String, Value) {
        let arguments = if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(body).unwrap_or_else(|_| {
                // It may hold a password that redaction cannot find: its size only.
                Value::String(format!("[{} bytes, not JSON]", body.len()))
            })
        };
        (format!("{method} {path}"), arguments)
    }

    fn refusal(&self, message: &str) -> Response {
        error_response(ApiError::client(400, message))
    }

    fn error_status(&self, status: StatusCode) -> Response {
        error_response(ApiError::for_status(status.as_u16()))
    }

    fn garbage(&self) -> Response {
        json_text(GARBAGE_REPLY)
    }

    fn truncated(&self) -> Response {
        json_text(TRUNCATED_REPLY)
    }

    fn too_large(&self) -> Response {
        error_response(limits::too_large())
    }
}

/// An error as the fake answers it: its body and headers, JSON, a request id, `ironic_api`.
fn error_response(error: ApiError) -> Response {
    let request_id = format!("req-{}", ids::uuid4());
    let mut headers = error.headers;
    headers.extend([
        ("Content-Type".to_owned(), "application/json".to_owned()),
        ("x-openstack-request-id".to_owned(), request_id.clone()),
        ("openstack-request-id".to_owned(), request_id),
        ("Server".to_owned(), "ironic_api".to_owned()),
    ]);
    into_response(RawResponse {
        status: error.status,
        headers,
        body: error.body.into_bytes(),
    })
}

fn json_text(body: &str) -> Response {
    into_response(RawResponse {
        status: 200,
        headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
        body: body.as_bytes().to_vec(),
    })
}

pub use crate::fake_server::bind;

async fn answer(State(fake): State<FakeIronic>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body): Result<Bytes, _> = axum::body::to_bytes(body, MAX_BODY).await else {
        return into_response(fake.too_large());
    };
    let raw = RawRequest {
        method: parts.method.as_str().to_owned(),
        path: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_owned(), |pq| pq.as_str().to_owned()),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
    };
    into_response(fake.handle_async(&raw).await)
}

fn into_response(reply: RawResponse) -> Response {
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in reply.headers {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            response.headers_mut().append(n, v);
        }
    }
    response
}
