//! `/v1/chassis[/…]`: list (short, detail, fields, pages), show, create, patch, delete
//! (refused while nodes are in it) and a chassis' nodes, as Ironic 39 answers them. A
//! chassis is named by uuid only.

use super::super::State;
use super::super::chassis::{self, Chassis};
use super::super::errors::ApiError;
use super::super::ids::{is_uuid_like, timestamp};
use super::super::json::Json;
use super::super::list;
use super::super::patch;
use super::{Ctx, NextLink, Reply, body, created, empty, fields_param, list_nodes, listing, ok};

/// Answers `/v1/chassis/<rest>`.
pub(crate) fn route(
    state: &mut State,
    ctx: &Ctx,
    rest: &[&str],
    query: &[(String, String)],
) -> Result<Reply, ApiError> {
    let method = ctx.request.method.to_ascii_uppercase();
    match (method.as_str(), rest) {
        ("GET", []) => list_chassis(state, ctx, query, false),
        ("POST", []) => create(state, ctx),
        ("GET", ["detail"]) => list_chassis(state, ctx, query, true),
        ("GET", [ident]) => {
            let at = find(state, ident, "chassis_uuid")?;
            let fields = fields_param(query)?;
            if let Some(fields) = &fields {
                chassis::check_fields(fields)?;
            }
            let shown = state.chassis[at].only(fields.as_deref(), ctx.version, ctx.base);
            ok(200, shown)
        }
        ("PATCH", [ident]) => patch_chassis(state, ctx, ident),
        ("DELETE", [ident]) => delete(state, ident),
        ("GET", [ident, "nodes", tail @ ..]) if tail.is_empty() || tail == ["detail"] => {
            let at = find(state, ident, "chassis_uuid")?;
            let mut query = query.to_vec();
            query.push((
                "chassis_uuid".to_owned(),
                state.chassis[at].uuid().to_owned(),
            ));
            list_nodes(state, ctx, &query, !tail.is_empty())
        }
        (_, [] | ["detail"]) => Err(ApiError::not_allowed("GET, POST")),
        _ => Err(ApiError::not_allowed("DELETE, GET, PATCH")),
    }
}

/// A chassis by uuid; `what` names the parameter in the error for anything else.
pub(crate) fn find(state: &State, ident: &str, what: &str) -> Result<usize, ApiError> {
    if !is_uuid_like(ident) {
        return Err(ApiError::client(
            400,
            format!("Expected UUID for {what}: {ident}"),
        ));
    }
    let lower = ident.to_ascii_lowercase();
    state
        .chassis
        .iter()
        .position(|c| c.uuid() == lower)
        .ok_or_else(|| ApiError::not_found("Chassis", ident))
}

fn list_chassis(
    state: &State,
    ctx: &Ctx,
    query: &[(String, String)],
    detail_path: bool,
) -> Result<Reply, ApiError> {
    list::refuse_sort_keys(query, &["extra"])?;
    let p = list::params(
        query,
        &[],
        &["id", "uuid", "created_at", "updated_at", "description"],
    )?;
    if let Some(fields) = &p.fields {
        chassis::check_fields(fields)?;
    }
    let candidates: Vec<&Chassis> = state.chassis.iter().collect();
    let rows = list::rows(&candidates, &p.sort_key, |c| (c.id, c.uuid(), &c.doc));
    let kept = list::page(&rows, &p, |m| ApiError::not_found("Chassis", m))?;
    let detail = detail_path || p.detail == Some(true);
    let short = vec!["uuid".to_owned(), "description".to_owned()];
    let wanted = (!detail).then(|| p.fields.as_deref().unwrap_or(&short));
    let shown = kept
        .iter()
        .map(|i| {
            (
                candidates[*i].only(wanted, ctx.version, ctx.base),
                candidates[*i].uuid(),
            )
        })
        .collect();
    let resource = if detail_path {
        "chassis/detail"
    } else {
        "chassis"
    };
    let fields = (!detail).then(|| p.fields_raw.as_deref().unwrap_or("uuid,description"));
    let next = NextLink {
        resource: resource.to_owned(),
        fields,
    };
    listing(ctx, &p, "chassis", shown, next)
}

fn create(state: &mut State, ctx: &Ctx) -> Result<Reply, ApiError> {
    let body = body(ctx)?.unwrap_or_else(Json::empty);
    let doc = chassis::create(&body, ctx.now.wall)?;
    state.next_id += 1;
    let chassis = Chassis {
        id: state.next_id,
        doc,
    };
    if state.chassis.iter().any(|c| c.uuid() == chassis.uuid()) {
        return Err(ApiError::client(
            409,
            format!("A chassis with UUID {} already exists.", chassis.uuid()),
        ));
    }
    let reply = chassis.only(None, ctx.version, ctx.base);
    let location = format!("{}/v1/chassis/{}", ctx.base, chassis.uuid());
    state.chassis.push(chassis);
    created(reply, location)
}

fn patch_chassis(state: &mut State, ctx: &Ctx, ident: &str) -> Result<Reply, ApiError> {
    if !is_uuid_like(ident) {
        return Err(ApiError::client(
            400,
            format!("Schema error: {} is not a 'uuid'", Json::str(ident).repr()),
        ));
    }
    let body = body(ctx)?.unwrap_or(Json::Null);
    let ops = patch::parse(&body)?;
    patch::check_allowed(&ops, chassis::SETTABLE)?;
    let at = find(state, ident, "chassis_uuid")?;
    let mut doc = state.chassis[at].doc.clone();
    patch::apply(&mut doc, &ops)?;
    chassis::check_types("patch", &doc)?;
    if doc.get("uuid").and_then(Json::as_str) != Some(state.chassis[at].uuid()) {
        return Err(ApiError::not_faked("changing a chassis' uuid"));
    }
    patch::refill_removed(&mut doc, &["extra"], &["description"]);
    doc.set("updated_at", Json::str(timestamp(ctx.now.wall)));
    state.chassis[at].doc = doc;
    ok(200, state.chassis[at].only(None, ctx.version, ctx.base))
}

fn delete(state: &mut State, ident: &str) -> Result<Reply, ApiError> {
    let at = find(state, ident, "chassis_uuid")?;
    let uuid = state.chassis[at].uuid().to_owned();
    if state
        .nodes
        .iter()
        .any(|n| n.text("chassis_uuid") == Some(uuid.as_str()))
    {
        return Err(ApiError::client(
            400,
            format!("Cannot complete the requested action because chassis {uuid} contains nodes."),
        ));
    }
    state.chassis.remove(at);
    empty(204, None)
}

/// A node's `chassis_uuid` (on a create or a patch): a uuid of an existing chassis, or none.
pub(crate) fn check_node_chassis(state: &State, doc: &Json) -> Result<(), ApiError> {
    let Some(ident) = doc.get("chassis_uuid").and_then(Json::as_str) else {
        return Ok(());
    };
    find(state, ident, "chassis_uuid")
        .map(|_| ())
        .map_err(|mut e| {
            // Not found is the client's mistake here: 400, with the same text.
            e.status = 400;
            e
        })
}
