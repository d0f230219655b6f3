//! `/v1/nodes/<node>/vifs` (microversion 1.28) with the `noop` network interface, the only
//! one `fake-hardware` enables here: attaching and detaching are accepted and change
//! nothing, so the list stays empty, as on the real server.

use super::super::State;
use super::super::errors::ApiError;
use super::super::json::{Json, obj};
use super::{Ctx, Reply, body, empty, find_node, ok};

/// The microversion that brought VIFs.
const SINCE: u32 = 28;

/// Answers `/v1/nodes/<ident>/vifs[/<vif>]`.
pub(crate) fn route(
    state: &State,
    ctx: &Ctx,
    ident: &str,
    vif: Option<&str>,
) -> Result<Reply, ApiError> {
    if ctx.version < SINCE {
        return Err(ApiError::routing(404, ""));
    }
    let method = ctx.request.method.to_ascii_uppercase();
    match (method.as_str(), vif) {
        ("GET", None) => {
            find_node(state, ident, ctx.version, false)?;
            ok(200, obj(vec![("vifs", Json::Array(Vec::new()))]))
        }
        ("POST", None) => {
            let body = body(ctx)?.unwrap_or_else(Json::empty);
            check_vif(&body)?;
            find_node(state, ident, ctx.version, false)?;
            empty(204, None)
        }
        ("DELETE", Some(_)) => {
            find_node(state, ident, ctx.version, false)?;
            empty(204, None)
        }
        (_, None) => Err(ApiError::not_allowed("GET, POST")),
        (_, Some(_)) => Err(ApiError::not_allowed("DELETE")),
    }
}

/// The real schema of an attach body: an object with an `id`.
fn check_vif(body: &Json) -> Result<(), ApiError> {
    let schema = |text: String| ApiError::client(400, format!("Schema error for vif: {text}"));
    let Json::Object(_) = body else {
        return Err(schema(format!("{} is not of type 'object'", body.repr())));
    };
    match body.get("id") {
        None => Err(schema("'id' is a required property".to_owned())),
        Some(Json::Str(_)) => Ok(()),
        Some(other) => Err(schema(format!("{} is not of type 'string'", other.repr()))),
    }
}
