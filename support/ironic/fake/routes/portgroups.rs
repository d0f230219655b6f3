//! `/v1/portgroups[/…]` and `/v1/nodes/<uuid>/portgroups`: list (short, detail, fields,
//! filters, pages), show, create, patch and delete, as Ironic 39 answers them.

use super::super::State;
use super::super::errors::ApiError;
use super::super::ids::{is_uuid_like, timestamp};
use super::super::json::Json;
use super::super::list::{self, ListParams};
use super::super::patch;
use super::super::portgroups::{self, Portgroup, SINCE};
use super::{
    Ctx, NextLink, Reply, body, created, empty, fields_param, find_by, find_node, list_ports,
    listing, node_of_sublist, ok,
};

/// The sort keys the real server refuses for portgroups.
const UNSORTABLE: &[&str] = &["extra", "internal_info", "properties"];

/// Answers `/v1/portgroups/<rest>` (`rest` after `portgroups`).
pub(crate) fn route(
    state: &mut State,
    ctx: &Ctx,
    rest: &[&str],
    query: &[(String, String)],
) -> Result<Reply, ApiError> {
    if ctx.version < SINCE {
        return Err(ApiError::client(
            404,
            "The API is not supported for this version",
        ));
    }
    let method = ctx.request.method.to_ascii_uppercase();
    match (method.as_str(), rest) {
        ("GET", []) => list_portgroups(state, ctx, query, false, None),
        ("POST", []) => create(state, ctx),
        ("GET", ["detail"]) => list_portgroups(state, ctx, query, true, None),
        ("GET", [ident]) => {
            let at = find(state, ident)?;
            let fields = fields_param(query)?;
            if let Some(fields) = &fields {
                portgroups::check_fields(fields)?;
            }
            ok(
                200,
                state.portgroups[at].only(fields.as_deref(), ctx.version, ctx.base),
            )
        }
        ("PATCH", [ident]) => patch_portgroup(state, ctx, ident),
        ("DELETE", [ident]) => delete(state, ident),
        ("GET", [ident, "ports", tail @ ..]) if tail.is_empty() || tail == ["detail"] => {
            ports_of(state, ctx, ident, query, !tail.is_empty())
        }
        (_, [] | ["detail"]) => Err(ApiError::not_allowed("GET, POST")),
        _ => Err(ApiError::not_allowed("DELETE, GET, PATCH")),
    }
}

/// `GET /v1/nodes/<ident>/portgroups[/detail]`: like the node's ports, a name answers
/// `Portgroup None could not be found.` in Ironic 39.
pub(crate) fn of_node(
    state: &State,
    ctx: &Ctx,
    ident: &str,
    query: &[(String, String)],
    detail: bool,
) -> Result<Reply, ApiError> {
    let node = node_of_sublist(state, ident)?;
    list_portgroups(state, ctx, query, detail, Some(&node))
}

/// A portgroup by uuid or logical name.
pub(crate) fn find(state: &State, ident: &str) -> Result<usize, ApiError> {
    find_by(
        &state.portgroups,
        "Portgroup",
        ident,
        Portgroup::uuid,
        Portgroup::name,
    )
}

fn list_params(query: &[(String, String)]) -> Result<ListParams, ApiError> {
    list::refuse_sort_keys(query, UNSORTABLE)?;
    let sortable: Vec<&str> = portgroups::FIELDS
        .iter()
        .map(|(f, _)| *f)
        .chain(["id"])
        .filter(|f| !UNSORTABLE.contains(f))
        .collect();
    list::params(
        query,
        &["node", "address", "shard", "conductor_groups"],
        &sortable,
    )
}

/// The portgroups a list's filters keep (`node` of the path first).
fn filtered<'a>(
    state: &'a State,
    ctx: &Ctx,
    p: &ListParams,
    node: Option<&str>,
) -> Result<Vec<&'a Portgroup>, ApiError> {
    let exclusive =
        p.filters.iter().filter(|(_, v)| !v.is_empty()).count() + usize::from(node.is_some());
    if exclusive > 1 {
        return Err(ApiError::client(
            400,
            "Filtering by node, address, or shard simultaneously is not supported.",
        ));
    }
    let mut node_uuid = node.map(str::to_owned);
    for (k, v) in &p.filters {
        if k == "node" {
            let at = find_node(state, v, ctx.version, false)?;
            node_uuid = Some(state.nodes[at].uuid().to_owned());
        }
    }
    let address = p.filters.iter().find(|(k, _)| k == "address");
    Ok(state
        .portgroups
        .iter()
        .filter(|pg| node_uuid.as_deref().is_none_or(|n| pg.node_uuid() == n))
        .filter(|pg| address.is_none_or(|(_, a)| pg.address() == Some(a.as_str())))
        .collect())
}

fn list_portgroups(
    state: &State,
    ctx: &Ctx,
    query: &[(String, String)],
    detail_path: bool,
    node: Option<&str>,
) -> Result<Reply, ApiError> {
    let p = list_params(query)?;
    if let Some(fields) = &p.fields {
        if p.detail == Some(true) {
            return Err(ApiError::client(
                400,
                "Can not specify ?detail=True and fields in the same request.",
            ));
        }
        portgroups::check_fields(fields)?;
    }
    let candidates = filtered(state, ctx, &p, node)?;
    let rows = list::rows(&candidates, &p.sort_key, |pg| (pg.id, pg.uuid(), &pg.doc));
    let kept = list::page(&rows, &p, |m| ApiError::not_found("Portgroup", m))?;
    let detail = detail_path || p.detail == Some(true);
    let short = vec!["uuid".to_owned(), "address".to_owned(), "name".to_owned()];
    let wanted = if detail {
        None
    } else {
        Some(p.fields.as_deref().unwrap_or(&short))
    };
    let shown = kept
        .iter()
        .map(|i| {
            (
                candidates[*i].only(wanted, ctx.version, ctx.base),
                candidates[*i].uuid(),
            )
        })
        .collect();
    let resource = match (node, detail_path) {
        (Some(n), true) => format!("nodes/{n}/portgroups/detail"),
        (Some(n), false) => format!("nodes/{n}/portgroups"),
        (None, true) => "portgroups/detail".to_owned(),
        (None, false) => "portgroups".to_owned(),
    };
    let fields = (!detail).then(|| p.fields_raw.as_deref().unwrap_or("uuid,address,name"));
    listing(ctx, &p, "portgroups", shown, NextLink { resource, fields })
}

fn create(state: &mut State, ctx: &Ctx) -> Result<Reply, ApiError> {
    let body = body(ctx)?.unwrap_or_else(Json::empty);
    let doc = portgroups::create(&body, ctx.version, ctx.now.wall)?;
    let node_uuid = doc.get("node_uuid").and_then(Json::as_str).unwrap_or("");
    if !state.nodes.iter().any(|n| n.uuid() == node_uuid) {
        let given = body.get("node_uuid").and_then(Json::as_str).unwrap_or("");
        return Err(ApiError::client(
            400,
            format!("Node {given} could not be found."),
        ));
    }
    portgroups::check_name(body.get("name").and_then(Json::as_str), None)?;
    state.portgroup_ids += 1;
    let portgroup = Portgroup {
        id: state.portgroup_ids,
        doc,
    };
    check_unique(state, &portgroup)?;
    let reply = portgroup.only(None, ctx.version, ctx.base);
    let location = format!("{}/v1/portgroups/{}", ctx.base, portgroup.uuid());
    state.portgroups.push(portgroup);
    created(reply, location)
}

/// 409 when another portgroup has the same MAC, name or uuid.
fn check_unique(state: &State, portgroup: &Portgroup) -> Result<(), ApiError> {
    let others = || state.portgroups.iter().filter(|p| p.id != portgroup.id);
    if let Some(address) = portgroup.address()
        && others().any(|p| p.address() == Some(address))
    {
        return Err(portgroups::duplicate_mac(address));
    }
    if let Some(name) = portgroup.name()
        && others().any(|p| p.name() == Some(name))
    {
        return Err(ApiError::client(
            409,
            format!("A portgroup with name {name} already exists."),
        ));
    }
    if others().any(|p| p.uuid() == portgroup.uuid()) {
        return Err(ApiError::client(
            409,
            format!("A portgroup with UUID {} already exists.", portgroup.uuid()),
        ));
    }
    Ok(())
}

fn patch_portgroup(state: &mut State, ctx: &Ctx, ident: &str) -> Result<Reply, ApiError> {
    let body = body(ctx)?.unwrap_or(Json::Null);
    let ops = patch::parse(&body)?;
    let at = find(state, ident)?;
    let touches = |field: &str| ops.iter().any(|op| op.field() == field);
    if ctx.version < 26 && (touches("mode") || touches("properties")) {
        return Err(ApiError::client(406, "Request not acceptable."));
    }
    patch::check_allowed(&ops, portgroups::PATCHABLE)?;
    if touches("node_uuid") {
        // Ironic 39 rewrites the uuid of the portgroup's node instead (a 500 naming database ids).
        return Err(ApiError::not_faked("moving a portgroup to another node"));
    }
    let mut doc = state.portgroups[at].doc.clone();
    patch::apply(&mut doc, &ops)?;
    if touches("name") {
        portgroups::check_name(doc.get("name").and_then(Json::as_str), Some(ident))?;
    }
    portgroups::check_patched(&mut doc)?;
    doc.set("updated_at", Json::str(timestamp(ctx.now.wall)));
    let patched = Portgroup {
        id: state.portgroups[at].id,
        doc,
    };
    check_unique(state, &patched)?;
    let reply = patched.only(None, ctx.version, ctx.base);
    state.portgroups[at] = patched;
    ok(200, reply)
}

fn delete(state: &mut State, ident: &str) -> Result<Reply, ApiError> {
    let at = find(state, ident)?;
    let portgroup = &state.portgroups[at];
    if state
        .ports
        .iter()
        .any(|p| p.doc.get("portgroup_uuid").and_then(Json::as_str) == Some(portgroup.uuid()))
    {
        // The real text names the portgroup's database id.
        return Err(ApiError::client(
            400,
            format!(
                "Cannot complete the requested action because portgroup {} contains ports.",
                portgroup.id
            ),
        ));
    }
    state.portgroups.remove(at);
    empty(204, None)
}

/// `GET /v1/portgroups/<uuid>/ports[/detail]`: by uuid only (a name is not found).
fn ports_of(
    state: &State,
    ctx: &Ctx,
    ident: &str,
    query: &[(String, String)],
    detail: bool,
) -> Result<Reply, ApiError> {
    let lower = ident.to_ascii_lowercase();
    if !is_uuid_like(ident) || !state.portgroups.iter().any(|p| p.uuid() == lower) {
        return Err(ApiError::not_found("Portgroup", ident));
    }
    let mut query = query.to_vec();
    query.push(("portgroup".to_owned(), lower));
    list_ports(state, ctx, &query, detail, None)
}
