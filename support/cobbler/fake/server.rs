//! The fake over real XML-RPC HTTP, at `/`, `/RPC2` (as cobblerd serves) and `/cobbler_api`
//! (where Apache proxies it in a real deployment), with the control API of
//! [`crate::fake_control`] under `/_provspec/`: calls are journaled and faulted by their
//! XML-RPC method name.

use std::future::Future;

use axum::Router;
use axum::extract::State;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use dxr::MethodCall;
use serde_json::Value as Json;
use tokio::net::TcpListener;

use super::python::{cx, exception};
use super::{FakeCobbler, MAX_NESTING, too_deep, wire};
use crate::cobbler::protocol::{GARBAGE_REPLY, TRUNCATED_REPLY, to_json};
use crate::fake_control::{Control, Family};

/// The paths the API answers on.
pub const PATHS: [&str; 3] = ["/", "/RPC2", "/cobbler_api"];

/// The largest request body read (bytes): axum's default limit, which the handler's `String`
/// body has.
const MAX_BODY: usize = 2 * 1024 * 1024;

/// An axum router serving `fake` on [`PATHS`], with a control API of its own (see
/// [`control`]).
pub fn router(fake: FakeCobbler) -> Router {
    router_with(fake, &control())
}

/// An axum router serving `fake` on [`PATHS`] behind `control`'s fault rules and journal,
/// with its control API under `/_provspec/`.
pub fn router_with(fake: FakeCobbler, control: &Control) -> Router {
    let api = PATHS
        .iter()
        .fold(Router::new(), |router, path| {
            router.route(path, post(handle).get(needs_post))
        })
        .with_state(fake);
    control.wrap(api)
}

/// An empty fault plan and journal for a fake Cobbler: calls are named by their XML-RPC
/// method (`VERB /path` for a request without one), a login's password is redacted, a
/// refusal is a `CX` fault.
pub fn control() -> Control {
    Control::new(XmlRpcCalls)
}

/// Serves `fake` on `listener` until `shutdown` completes (stalled calls then end at once).
pub async fn serve(
    listener: TcpListener,
    fake: FakeCobbler,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let control = control();
    axum::serve(listener, router_with(fake, &control))
        .with_graceful_shutdown(control.releasing(shutdown))
        .await
}

pub use crate::fake_server::bind;

async fn needs_post() -> Response {
    (StatusCode::NOT_IMPLEMENTED, "XML-RPC needs POST\n").into_response()
}

async fn handle(State(fake): State<FakeCobbler>, body: String) -> Response {
    // dxr's reader recurses and gives up at 42 levels; answer what the fake answers in process.
    if xml_nesting(&body) > MAX_NESTING {
        return ok_response(wire::fault_response(&too_deep()));
    }
    let result = match MethodCall::from_xml(&body) {
        // Python's SimpleXMLRPCServer answers unparsable requests with a fault, not an HTTP error.
        Err(_) => Err(exception(
            "xml.parsers.expat.ExpatError",
            "not well-formed (invalid token)",
        )),
        Ok(call) => {
            tracing::debug!(method = %call.name, "fake-cobbler call");
            fake.dispatch_async(&call.name, &call.params).await
        }
    };
    match result {
        Ok(value) => fake.with_dict_orders(|given| ok_response(wire::response(&value, given))),
        Err(fault) => ok_response(wire::fault_response(&fault)),
    }
}

fn ok_response(xml: String) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/xml")], xml).into_response()
}

/// Fake Cobbler's part of the control API.
#[derive(Debug)]
struct XmlRpcCalls;

impl Family for XmlRpcCalls {
    fn server(&self) -> &'static str {
        "fake-cobbler"
    }

    fn max_body(&self) -> usize {
        MAX_BODY
    }

    fn call(&self, method: &Method, path: &str, body: &[u8]) -> (String, Json) {
        let xml = std::str::from_utf8(body).unwrap_or_default();
        let name = (method == Method::POST).then(|| method_name(xml)).flatten();
        let Some(name) = name else {
            let arguments = if body.is_empty() {
                Json::Null
            } else {
                not_xml_rpc(body.len())
            };
            return (format!("{method} {path}"), arguments);
        };
        let call = (xml_nesting(xml) <= MAX_NESTING)
            .then(|| MethodCall::from_xml(xml).ok())
            .flatten();
        let Some(call) = call else {
            return (name, not_xml_rpc(body.len()));
        };
        let mut arguments = Json::Array(call.params.iter().map(to_json).collect());
        if name == "login" {
            // login(user, password): the password never enters the journal.
            if let Some(password) = arguments.get_mut(1) {
                *password = Json::String("[redacted]".to_owned());
            }
        }
        (name, arguments)
    }

    fn refusal(&self, message: &str) -> Response {
        ok_response(wire::fault_response(&cx(message)))
    }

    fn garbage(&self) -> Response {
        xml_text(GARBAGE_REPLY)
    }

    fn truncated(&self) -> Response {
        xml_text(TRUNCATED_REPLY)
    }
}

/// The `<methodName>` of an XML-RPC request, found without parsing it.
fn method_name(xml: &str) -> Option<String> {
    const OPEN: &str = "<methodName>";
    let start = xml.find(OPEN)? + OPEN.len();
    let end = start + xml[start..].find("</methodName>")?;
    let name = xml[start..end].trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// A body that is not XML-RPC, shown by its size only (it may hold a password).
fn not_xml_rpc(bytes: usize) -> Json {
    Json::String(format!("[{bytes} bytes, not XML-RPC]"))
}

fn xml_text(body: &'static str) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/xml")], body).into_response()
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
    use super::{method_name, xml_nesting};

    #[test]
    fn the_method_name_is_found_without_parsing() {
        assert_eq!(
            method_name("<?xml version=\"1.0\"?><methodCall><methodName> login </methodName>")
                .as_deref(),
            Some("login")
        );
        assert_eq!(method_name("<methodCall><methodName></methodName>"), None);
        assert_eq!(method_name("<methodName>ping"), None);
    }

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
