//! What the `fake-hardware` interfaces report about a node's components: no BIOS settings
//! (1.40), no firmware components (1.86), no virtual media (1.89: the fake management
//! interface implements none of it: reading is refused, attaching and detaching fail later); and `/v1/volume` (1.32), the root of the
//! volume connectors and targets, whose lists are empty (creating them is not faked).

use super::super::State;
use super::super::errors::ApiError;
use super::super::json::{Json, obj};
use super::super::nodes::{DRIVER, links};
use super::{Ctx, Reply, body, empty, find_node, ok};

/// Answers `/v1/nodes/<ident>/<part>[/<rest>]` for `bios`, `firmware` and `vmedia`.
pub(crate) fn of_node(
    state: &mut State,
    ctx: &Ctx,
    ident: &str,
    part: &str,
    rest: &[&str],
) -> Result<Reply, ApiError> {
    let since = match part {
        "bios" => 40,
        "firmware" => 86,
        _ => 89,
    };
    if ctx.version < since {
        return Err(ApiError::routing(404, ""));
    }
    let method = ctx.request.method.to_ascii_uppercase();
    let at = find_node(state, ident, ctx.version, false)?;
    let uuid = state.nodes[at].uuid().to_owned();
    match (part, method.as_str(), rest) {
        ("bios" | "firmware", "GET", []) => ok(200, obj(vec![(part, Json::Array(Vec::new()))])),
        ("bios", "GET", [name]) => Err(ApiError::client(
            404,
            format!("Node {uuid} doesn't have a BIOS setting '{name}'"),
        )),
        ("vmedia", "GET", []) => Err(ApiError::client(
            400,
            format!(
                "Driver {DRIVER} does not support get_virtual_media (disabled or not implemented)."
            ),
        )),
        // Attaching and detaching are accepted; the conductor then fails, as its error on
        // the node says (the real one a moment later).
        ("vmedia", "POST", []) => {
            let body = body(ctx)?.unwrap_or_else(Json::empty);
            let device = vmedia_device(&body)?;
            let error = format!(
                "Could not attach device {device} to node {uuid}: Publishing images is not supported for driver {DRIVER}"
            );
            state.nodes[at].doc.set("last_error", Json::Str(error));
            empty(204, None)
        }
        ("vmedia", "DELETE", []) => {
            let error = format!(
                "Could not detach device(s) None from node {uuid}: Driver {DRIVER} does not support detach_virtual_media (disabled or not implemented)."
            );
            state.nodes[at].doc.set("last_error", Json::Str(error));
            empty(204, None)
        }
        _ => Err(ApiError::not_allowed("GET")),
    }
}

/// The device type of an attach body, checked as the real schema checks its required members.
fn vmedia_device(body: &Json) -> Result<String, ApiError> {
    for required in ["device_type", "image_url"] {
        if body.get(required).is_none() {
            return Err(ApiError::client(
                400,
                format!("Schema error for vmedia: '{required}' is a required property"),
            ));
        }
    }
    let device = body.get("device_type").cloned().unwrap_or(Json::Null);
    Ok(device.as_str().map_or_else(|| device.repr(), str::to_owned))
}

/// Answers `/v1/volume[/<rest>]`.
pub(crate) fn volume(ctx: &Ctx, rest: &[&str]) -> Result<Reply, ApiError> {
    if ctx.version < 32 {
        return Err(ApiError::client(
            404,
            "The API is not supported for this version",
        ));
    }
    let method = ctx.request.method.to_ascii_uppercase();
    match (method.as_str(), rest) {
        ("GET", []) => {
            let root = |name: &str| links(ctx.base, &format!("volume/{name}"));
            ok(
                200,
                obj(vec![
                    ("links", root("")),
                    ("connectors", root("connectors")),
                    ("targets", root("targets")),
                ]),
            )
        }
        ("GET", [kind @ ("connectors" | "targets")]) => {
            ok(200, obj(vec![(kind, Json::Array(Vec::new()))]))
        }
        (_, ["connectors" | "targets", ..]) => {
            Err(ApiError::not_faked("volume connectors and targets"))
        }
        // Ironic 39's volume controller takes no path below it: a TypeError.
        (_, [_, ..]) => Err(ApiError::server(format!(
            "VolumeController.get() takes 1 positional argument but {} were given",
            rest.len() + 1
        ))),
        _ => Err(ApiError::not_allowed("GET")),
    }
}
