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

use super::python::exception;
use super::{FakeCobbler, MAX_NESTING, too_deep};
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
    // dxr's reader recurses and gives up at 42 levels; answer what the fake answers in process.
    if xml_nesting(&body) > MAX_NESTING {
        return xml_response(Err(too_deep()));
    }
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
    xml_response(result)
}

fn xml_response(result: Result<dxr::Value, Fault>) -> Response {
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

/// How deep `<array>` and `<struct>` elements nest in `xml`, counted without parsing it.
fn xml_nesting(xml: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for (at, _) in xml.match_indices('<') {
        let tag = &xml[at + 1..];
        let (closing, tag) = match tag.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, tag),
        };
        let Some(rest) = tag
            .strip_prefix("array")
            .or_else(|| tag.strip_prefix("struct"))
        else {
            continue;
        };
        match rest.chars().next() {
            Some('/') => {}
            Some('>' | ' ' | '\t' | '\r' | '\n') if closing => depth = depth.saturating_sub(1),
            Some('>' | ' ' | '\t' | '\r' | '\n') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::xml_nesting;

    #[test]
    fn nesting_counts_arrays_and_structs_only() {
        let deep = |n: usize| {
            format!(
                "<value>{}<int>1</int>{}</value>",
                "<array><data><value>".repeat(n),
                "</value></data></array>".repeat(n)
            )
        };
        assert_eq!(xml_nesting(&deep(0)), 0);
        assert_eq!(xml_nesting(&deep(3)), 3);
        assert_eq!(
            xml_nesting("<struct><member><value><struct ></struct></value></member></struct>"),
            2
        );
        assert_eq!(xml_nesting("<array/><arrays><structure>"), 0);
        assert_eq!(xml_nesting(&format!("{}{}", deep(2), deep(2))), 2);
    }
}
