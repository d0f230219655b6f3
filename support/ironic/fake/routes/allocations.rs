//! `/v1/allocations[/…]` and `/v1/nodes/<node>/allocation`: list, show, create (processed
//! by the conductor's matching after the answer, which still says `allocating`), patch and
//! delete, as Ironic 39 answers them.

use super::super::State;
use super::super::allocations::{self, Allocation, SINCE};
use super::super::errors::ApiError;
use super::super::ids::{is_valid_logical_name, timestamp, uuid4};
use super::super::json::Json;
use super::super::list;
use super::super::patch;
use super::super::trait_names;
use super::{
    Ctx, NextLink, Reply, body, created, empty, fields_param, find_by, find_node, listing, ok,
    too_early,
};

/// What a POST may set.
const CREATABLE: &[&str] = &[
    "candidate_nodes",
    "extra",
    "name",
    "node",
    "owner",
    "resource_class",
    "traits",
    "uuid",
];

/// Answers `/v1/allocations/<rest>`.
pub(crate) fn route(
    state: &mut State,
    ctx: &Ctx,
    rest: &[&str],
    query: &[(String, String)],
) -> Result<Reply, ApiError> {
    let method = ctx.request.method.to_ascii_uppercase();
    if ctx.version < SINCE {
        return Err(too_early(
            ctx,
            false,
            "The API version does not allow allocations",
        ));
    }
    match (method.as_str(), rest) {
        ("GET", []) => list_allocations(state, ctx, query),
        ("POST", []) => create(state, ctx),
        ("GET", [ident]) => {
            let at = find(state, ident)?;
            let fields = fields_param(query)?;
            ok(
                200,
                state.allocations[at].only(fields.as_deref(), ctx.version, ctx.base),
            )
        }
        ("PATCH", [ident]) => patch_allocation(state, ctx, ident),
        ("DELETE", [ident]) => {
            let at = find(state, ident)?;
            remove(state, at)
        }
        (_, []) => Err(ApiError::not_allowed("GET, POST")),
        _ => Err(ApiError::not_allowed("DELETE, GET, PATCH")),
    }
}

/// `GET` and `DELETE /v1/nodes/<ident>/allocation`.
pub(crate) fn of_node(
    state: &mut State,
    ctx: &Ctx,
    ident: &str,
    query: &[(String, String)],
) -> Result<Reply, ApiError> {
    if ctx.version < SINCE {
        return Err(ApiError::routing(404, ""));
    }
    let node = find_node(state, ident, ctx.version, false)?;
    let uuid = state.nodes[node].uuid().to_owned();
    let at = state
        .allocations
        .iter()
        .position(|a| a.text("node_uuid") == Some(uuid.as_str()))
        .ok_or_else(|| {
            ApiError::client(404, format!("Allocation for node {ident} was not found"))
        })?;
    match ctx.request.method.to_ascii_uppercase().as_str() {
        "GET" => {
            let fields = fields_param(query)?;
            ok(
                200,
                state.allocations[at].only(fields.as_deref(), ctx.version, ctx.base),
            )
        }
        "DELETE" => remove(state, at),
        _ => Err(ApiError::not_allowed("DELETE, GET")),
    }
}

/// An allocation by uuid or logical name.
fn find(state: &State, ident: &str) -> Result<usize, ApiError> {
    find_by(
        &state.allocations,
        "Allocation",
        ident,
        Allocation::uuid,
        |a| a.text("name"),
    )
}

fn remove(state: &mut State, at: usize) -> Result<Reply, ApiError> {
    allocations::release(state, at)?;
    state.allocations.remove(at);
    empty(204, None)
}

fn list_allocations(
    state: &State,
    ctx: &Ctx,
    query: &[(String, String)],
) -> Result<Reply, ApiError> {
    let sortable: Vec<&str> = allocations::FIELDS
        .iter()
        .map(|(f, _)| *f)
        .chain(["id"])
        .collect();
    let p = list::params(
        query,
        &["node", "resource_class", "state", "owner"],
        &sortable,
    )?;
    let mut node_uuid = None;
    for (k, v) in &p.filters {
        if k == "node" {
            let at = find_node(state, v, ctx.version, false)?;
            node_uuid = Some(state.nodes[at].uuid().to_owned());
        }
    }
    let candidates: Vec<&Allocation> = state
        .allocations
        .iter()
        .filter(|a| node_uuid.is_none() || a.text("node_uuid") == node_uuid.as_deref())
        .filter(|a| {
            p.filters.iter().all(|(k, v)| {
                !matches!(k.as_str(), "resource_class" | "state" | "owner")
                    || a.text(k) == Some(v.as_str())
            })
        })
        .collect();
    let rows = list::rows(&candidates, &p.sort_key, |a| (a.id, a.uuid(), &a.doc));
    let kept = list::page(&rows, &p, |m| ApiError::not_found("Allocation", m))?;
    let fields = p.fields.as_deref();
    let shown = kept
        .iter()
        .map(|i| {
            (
                candidates[*i].only(fields, ctx.version, ctx.base),
                candidates[*i].uuid(),
            )
        })
        .collect();
    let next = NextLink {
        resource: "allocations".to_owned(),
        fields: p.fields_raw.as_deref(),
    };
    listing(ctx, &p, "allocations", shown, next)
}

/// The checked POST body's candidate nodes as uuids.
fn candidate_uuids(state: &State, ctx: &Ctx, body: &Json) -> Result<Json, ApiError> {
    let Some(Json::Array(items)) = body.get("candidate_nodes") else {
        return Ok(Json::Array(Vec::new()));
    };
    let mut uuids = Vec::new();
    let mut missing = Vec::new();
    for item in items {
        let ident = item.as_str().unwrap_or_default();
        match find_node(state, ident, ctx.version, false) {
            Ok(at) => uuids.push(Json::str(state.nodes[at].uuid())),
            Err(_) => missing.push(ident.to_owned()),
        }
    }
    if !missing.is_empty() {
        return Err(ApiError::client(
            400,
            format!("Nodes cannot be found: {}", missing.join(", ")),
        ));
    }
    Ok(Json::Array(uuids))
}

/// The schema checks of a POST body.
fn check_body(body: &Json) -> Result<(), ApiError> {
    let Json::Object(members) = body else {
        return Err(ApiError::client(
            400,
            format!("Schema error: {} is not of type 'object'", body.repr()),
        ));
    };
    if let Some((k, _)) = members
        .iter()
        .find(|(k, _)| !CREATABLE.contains(&k.as_str()))
    {
        return Err(ApiError::client(
            400,
            format!("Schema error: Additional properties are not allowed ('{k}' was unexpected)"),
        ));
    }
    for item in match body.get("traits") {
        Some(Json::Array(items)) => items.as_slice(),
        _ => &[],
    } {
        if let Some(name) = item.as_str()
            && !trait_names::is_valid(name)
        {
            let repr = Json::str(name).repr();
            return Err(ApiError::client(
                400,
                format!(
                    "Schema error: {repr} is not valid under any of the given schemas. Possible root cause: {repr} does not match '^CUSTOM_[A-Z0-9_]+$'"
                ),
            ));
        }
    }
    if let Some(name) = body.get("name").and_then(Json::as_str)
        && !name.is_empty()
        && !is_valid_logical_name(name)
    {
        return Err(ApiError::client(
            400,
            format!(
                "Cannot create allocation with invalid name {}",
                Json::str(name).repr()
            ),
        ));
    }
    if body.get("node").is_some() {
        return Err(ApiError::not_faked("backfilling an allocation (`node`)"));
    }
    let class = body.get("resource_class");
    if class.is_none_or(|c| c.is_null() || c.as_str() == Some("")) {
        return Err(ApiError::client(
            400,
            "The resource_class field is mandatory when not backfilling",
        ));
    }
    Ok(())
}

fn create(state: &mut State, ctx: &Ctx) -> Result<Reply, ApiError> {
    let body = body(ctx)?.unwrap_or_else(Json::empty);
    check_body(&body)?;
    let candidates = candidate_uuids(state, ctx, &body)?;
    let name = body.get("name").and_then(Json::as_str);
    if let Some(name) = name
        && state
            .allocations
            .iter()
            .any(|a| a.text("name") == Some(name))
    {
        return Err(ApiError::client(
            409,
            format!("An allocation with name {name} already exists."),
        ));
    }
    let uuid = body
        .get("uuid")
        .and_then(Json::as_str)
        .map_or_else(uuid4, str::to_ascii_lowercase);
    let mut doc = Json::Object(Vec::new());
    for (field, _) in allocations::FIELDS {
        let value = match *field {
            "links" => continue,
            "uuid" => Json::str(&uuid),
            "created_at" => Json::str(timestamp(ctx.now.wall)),
            "candidate_nodes" => candidates.clone(),
            "extra" => body
                .get("extra")
                .cloned()
                .filter(|v| !v.is_null())
                .unwrap_or_else(Json::empty),
            "traits" => body
                .get("traits")
                .cloned()
                .filter(|v| !v.is_null())
                .unwrap_or(Json::Array(Vec::new())),
            "state" => Json::str("allocating"),
            f => body.get(f).cloned().unwrap_or(Json::Null),
        };
        doc.set(field, value);
    }
    state.next_id += 1;
    let allocation = Allocation {
        id: state.next_id,
        doc,
    };
    let reply = allocation.only(None, ctx.version, ctx.base);
    let location = format!("{}/v1/allocations/{uuid}", ctx.base);
    state.allocations.push(allocation);
    let at = state.allocations.len() - 1;
    allocations::process(state, at);
    state.allocations[at]
        .doc
        .set("updated_at", Json::str(timestamp(ctx.now.wall)));
    created(reply, location)
}

fn patch_allocation(state: &mut State, ctx: &Ctx, ident: &str) -> Result<Reply, ApiError> {
    let body = body(ctx)?.unwrap_or(Json::Null);
    let ops = patch::parse(&body)?;
    let at = find(state, ident)?;
    patch::check_allowed(&ops, allocations::PATCHABLE)?;
    let mut doc = state.allocations[at].doc.clone();
    patch::apply(&mut doc, &ops)?;
    if let Some(name) = doc.get("name").and_then(Json::as_str)
        && state
            .allocations
            .iter()
            .any(|a| a.uuid() != state.allocations[at].uuid() && a.text("name") == Some(name))
    {
        return Err(ApiError::client(
            409,
            format!("An allocation with name {name} already exists."),
        ));
    }
    patch::refill_removed(&mut doc, &["extra"], &["name"]);
    doc.set("updated_at", Json::str(timestamp(ctx.now.wall)));
    state.allocations[at].doc = doc;
    ok(200, state.allocations[at].only(None, ctx.version, ctx.base))
}
