//! `GET /v1/nodes/<node>/validate` and `GET /v1/drivers/<driver>/properties`: what the
//! `fake-hardware` interfaces answer (every interface valid; the two properties the fake
//! interfaces declare).

use super::super::State;
use super::super::errors::ApiError;
use super::super::json::{Json, obj};
use super::super::nodes::DRIVER;
use super::{Ctx, Reply, find_node, ok};

/// The interfaces `validate` reports, in the real server's order.
const INTERFACES: &[&str] = &[
    "boot",
    "deploy",
    "management",
    "network",
    "power",
    "bios",
    "console",
    "firmware",
    "inspect",
    "raid",
    "rescue",
    "storage",
];

/// `GET /v1/nodes/<ident>/validate`: every fake interface validates. A node powered through
/// a BMC (`redfish`) would be validated against its `driver_info`, which is not faked.
pub(crate) fn route(state: &State, ctx: &Ctx, ident: &str) -> Result<Reply, ApiError> {
    let at = find_node(state, ident, ctx.version, false)?;
    let node = &state.nodes[at];
    let redfish = ["power_interface", "management_interface"]
        .iter()
        .any(|field| node.text(field) == Some("redfish"));
    if redfish {
        return Err(ApiError::not_faked(
            "validate of a node with the redfish interfaces",
        ));
    }
    let valid = || obj(vec![("result", Json::Bool(true))]);
    ok(
        200,
        Json::Object(
            INTERFACES
                .iter()
                .map(|name| (name.to_string(), valid()))
                .collect(),
        ),
    )
}

/// `GET /v1/drivers/<name>/properties`.
pub(crate) fn properties(_ctx: &Ctx, name: &str) -> Result<Reply, ApiError> {
    if name != DRIVER {
        return Err(ApiError::client(
            404,
            format!("The driver '{name}' is unknown."),
        ));
    }
    ok(
        200,
        obj(vec![
            ("B1", Json::str("B1 description. Required.")),
            ("B2", Json::str("B2 description. Required.")),
        ]),
    )
}
