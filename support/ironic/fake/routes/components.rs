//! What the `fake-hardware` interfaces report about a node's components: no BIOS settings
//! (1.40), no firmware components (1.86), no virtual media support (1.89: the fake
//! management interface implements none of it); and `/v1/volume` (1.32), the root of the
//! volume connectors and targets, whose lists are empty (creating them is not faked).

use super::super::State;
use super::super::errors::ApiError;
use super::super::json::{Json, obj};
use super::super::nodes::{DRIVER, links};
use super::{Ctx, Reply, empty, find_node, ok};

/// Answers `/v1/nodes/<ident>/<part>[/<rest>]` for `bios`, `firmware` and `vmedia`.
pub(crate) fn of_node(
    state: &State,
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
    let uuid = state.nodes[at].uuid();
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
        // Attaching and detaching are accepted at once (the conductor's later work is not
        // faked: nothing to attach to).
        ("vmedia", "POST" | "DELETE", []) => empty(204, None),
        _ => Err(ApiError::not_allowed("GET")),
    }
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
