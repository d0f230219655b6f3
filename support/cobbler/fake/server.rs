//! The fake over real XML-RPC HTTP, at `/`, `/RPC2` (as cobblerd serves) and `/cobbler_api`
//! (where Apache proxies it in a real deployment).

use std::future::Future;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use dxr::{FaultResponse, MethodCall, MethodResponse};
use tokio::net::TcpListener;

use super::FakeCobbler;
use super::python::exception;
use crate::cobbler::protocol::Fault;

/// The paths the API answers on.
pub const PATHS: [&str; 3] = ["/", "/RPC2", "/cobbler_api"];

/// An axum router serving `fake` on [`PATHS`].
pub fn router(fake: FakeCobbler) -> Router {
    PATHS
        .iter()
        .fold(Router::new(), |router, path| {
            router.route(path, post(handle).get(needs_post))
        })
        .with_state(fake)
}

/// Serves `fake` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    fake: FakeCobbler,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(fake))
        .with_graceful_shutdown(shutdown)
        .await
}

pub use crate::fake_server::bind;

async fn needs_post() -> Response {
    (StatusCode::NOT_IMPLEMENTED, "XML-RPC needs POST\n").into_response()
}

async fn handle(State(fake): State<FakeCobbler>, body: String) -> Response {
    let result = match MethodCall::from_xml(&body) {
        // Python's SimpleXMLRPCServer answers unparsable requests with a fault, not an HTTP error.
        Err(_) => Err(exception(
            "xml.parsers.expat.ExpatError",
            "not well-formed (invalid token)",
        )),
        Ok(call) => {
            tracing::debug!(method = %call.name, "fake-cobbler call");
            fake.dispatch(&call.name, &call.params)
        }
    };
    let xml = match result {
        Ok(value) => MethodResponse { value }.to_xml(),
        Err(fault) => FaultResponse {
            fault: dxr::Fault::from(&fault),
        }
        .to_xml(),
    };
    match xml {
        Ok(xml) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/xml")],
            format!("<?xml version='1.0'?>\n{xml}"),
        )
            .into_response(),
        Err(e) => {
            let fault = Fault::new(1, format!("cannot encode the response: {e}"));
            (StatusCode::INTERNAL_SERVER_ERROR, fault.string).into_response()
        }
    }
}
