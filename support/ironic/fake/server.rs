//! The fake Ironic over real HTTP: every method and path goes to [`FakeIronic::handle`].

use std::future::Future;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use tokio::net::TcpListener;

use super::{FakeIronic, limits};
use crate::ironic::exchange::{RawRequest, RawResponse};

/// The largest request body read (bytes): the largest the real server takes.
const MAX_BODY: usize = limits::MAX_PROVISION_BODY;

/// An axum router answering every method and path with `fake`.
pub fn router(fake: FakeIronic) -> Router {
    Router::new().fallback(answer).with_state(fake)
}

/// Serves `fake` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    fake: FakeIronic,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(fake))
        .with_graceful_shutdown(shutdown)
        .await
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
    into_response(fake.handle(&raw))
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
