//! `/v1/runbooks[/…]`: list (short, `detail=`, fields, pages), show, create, patch (with the
//! owner and public rules), delete and the runbook's traits (1.112), as Ironic 39 answers them
//! with noauth or http_basic (no project: a runbook has no owner at creation).

use super::super::State;
use super::super::errors::ApiError;
use super::super::ids::timestamp;
use super::super::json::{Json, obj};
use super::super::patch;
use super::super::runbooks::{self, Runbook, SINCE};
use super::super::step_rules;
use super::named::{NamedList, check_unique, list_named};
use super::traits::{checked_put, put_into, traits_of};
use super::{Ctx, Reply, body, created, empty, fields_param, find_by, ok, too_early};

/// Answers `/v1/runbooks/<rest>`.
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
            true,
            "The API version does not allow runbooks",
        ));
    }
    match (method.as_str(), rest) {
        ("GET", []) => list_named(ctx, query, &state.runbooks, &LIST, |f| {
            check_fields(f, ctx.version)
        }),
        ("POST", []) => create(state, ctx),
        ("GET", [ident]) => {
            let at = find(state, ident)?;
            let fields = fields_param(query)?;
            if let Some(fields) = &fields {
                check_fields(fields, ctx.version)?;
            }
            ok(
                200,
                state.runbooks[at].only(fields.as_deref(), ctx.version, ctx.base),
            )
        }
        ("PATCH", [ident]) => patch_runbook(state, ctx, ident),
        ("DELETE", [ident]) => {
            let at = find(state, ident)?;
            state.runbooks.remove(at);
            empty(204, None)
        }
        (_, [ident, "traits", tail @ ..]) if tail.len() <= 1 => {
            runbook_traits(state, ctx, ident, tail.first().copied())
        }
        (_, []) => Err(ApiError::not_allowed("GET, POST")),
        _ => Err(ApiError::not_allowed("DELETE, GET, PATCH")),
    }
}

fn find(state: &State, ident: &str) -> Result<usize, ApiError> {
    find_by(
        &state.runbooks,
        "Runbook",
        ident,
        Runbook::uuid,
        Runbook::name,
    )
}

/// `?fields=` of runbooks: the ports' kind of error.
fn check_fields(fields: &[String], version: u32) -> Result<(), ApiError> {
    let bad: Vec<&str> = fields
        .iter()
        .filter(|f| {
            !runbooks::FIELDS
                .iter()
                .any(|(name, since)| name == f && version >= *since)
        })
        .map(String::as_str)
        .collect();
    if bad.is_empty() {
        return Ok(());
    }
    Err(ApiError::client(
        400,
        format!("Field(s) \"{}\" are not valid", bad.join(", ")),
    ))
}

/// How runbooks list.
const LIST: NamedList = NamedList {
    resource: "runbooks",
    kind: "Runbook",
    unsortable: &["extra", "steps", "traits"],
    filters: &["project"],
    sortable: &[
        "id",
        "uuid",
        "name",
        "created_at",
        "updated_at",
        "public",
        "owner",
    ],
};

fn create(state: &mut State, ctx: &Ctx) -> Result<Reply, ApiError> {
    let body = body(ctx)?.unwrap_or_else(Json::empty);
    let doc = runbooks::create(&body, ctx.version, ctx.now.wall)?;
    let runbook = Runbook {
        id: state.next_id + 1,
        doc,
    };
    check_unique(
        &state.runbooks,
        "runbook",
        runbook.name(),
        runbook.uuid(),
        None,
    )?;
    state.next_id += 1;
    let reply = runbook.only(None, ctx.version, ctx.base);
    let location = format!("{}/v1/runbooks/{}", ctx.base, runbook.uuid());
    state.runbooks.push(runbook);
    created(reply, location)
}

/// The owner and public rules of a runbook patch (before it is applied).
fn owner_rules(doc: &mut Json, ops: &[patch::Op], raw: &Json) -> Result<(), ApiError> {
    let values = |field: &str| -> Vec<Json> {
        ops.iter()
            .filter(|op| op.field() == field && op.op != "remove")
            .filter_map(|op| op.value.clone())
            .collect()
    };
    let owner = values("owner");
    let public = values("public");
    let truthy = |v: &Json| !matches!(v, Json::Null | Json::Bool(false)) && v != &Json::str("");
    if owner.iter().any(truthy) {
        let public_now = doc.get("public") == Some(&Json::Bool(true));
        let public_value = public.first().is_some_and(truthy);
        if (public_now && public.is_empty()) || public_value {
            return Err(ApiError::client(
                400,
                format!(
                    "Couldn't apply patch '{}'. Reason: There cannot be an owner for a public runbook",
                    raw.repr()
                ),
            ));
        }
    }
    if !public.is_empty() {
        doc.set("owner", Json::Null);
    }
    Ok(())
}

fn patch_runbook(state: &mut State, ctx: &Ctx, ident: &str) -> Result<Reply, ApiError> {
    let raw = body(ctx)?.unwrap_or(Json::Null);
    let ops = patch::parse(&raw)?;
    patch::check_allowed(&ops, runbooks::patchable(ctx.version))?;
    let at = find(state, ident)?;
    let mut doc = state.runbooks[at].doc.clone();
    owner_rules(&mut doc, &ops, &raw)?;
    patch::apply(&mut doc, &ops)?;
    let stepless = match doc.get("steps") {
        Some(Json::Array(steps)) => steps.iter().any(|s| s.get("args").is_none()),
        _ => false,
    };
    if stepless {
        // Ironic 39 stores it without args and its database refuses that: a 500 naming
        // database ids.
        return Err(ApiError::not_faked(
            "a runbook step patched in without `args`",
        ));
    }
    let mut checked = doc.clone();
    for field in ["created_at", "updated_at", "traits"] {
        checked.remove(field);
    }
    let allowed = runbooks::creatable(runbooks::TRAITS_SINCE);
    runbooks::check("patch", &checked, allowed, runbooks::TRAITS_SINCE)?;
    let uuid = state.runbooks[at].uuid().to_owned();
    let name = doc.get("name").and_then(Json::as_str);
    check_unique(&state.runbooks, "runbook", name, &uuid, Some(&uuid))?;
    patch::refill_removed(&mut doc, &["extra"], &["owner", "description"]);
    let steps = doc.get("steps").map(step_rules::stored_steps);
    doc.set("steps", steps.unwrap_or(Json::Null));
    let before = &state.runbooks[at].doc;
    let own_row = [
        "name",
        "extra",
        "public",
        "owner",
        "disable_ramdisk",
        "description",
    ];
    if own_row.iter().any(|f| doc.get(f) != before.get(f)) {
        doc.set("updated_at", Json::str(timestamp(ctx.now.wall)));
    }
    state.runbooks[at].doc = doc;
    ok(200, state.runbooks[at].only(None, ctx.version, ctx.base))
}

/// `/v1/runbooks/<ident>/traits[/<trait>]` (1.112): listed, one added, all replaced, one or
/// all removed (removing a trait it does not have is no error).
fn runbook_traits(
    state: &mut State,
    ctx: &Ctx,
    ident: &str,
    one: Option<&str>,
) -> Result<Reply, ApiError> {
    let method = ctx.request.method.to_ascii_uppercase();
    match method.as_str() {
        "GET" if one.is_none() => {
            let at = find(state, ident)?;
            let traits = traits_of(&state.runbooks[at].doc);
            ok(200, obj(vec![("traits", Json::Array(traits))]))
        }
        "PUT" => {
            let checked = checked_put(ctx, one)?;
            let at = find(state, ident)?;
            put_into("runbook", &mut state.runbooks[at].doc, one, checked)?;
            let location =
                one.map(|name| format!("{}/v1/runbooks/{ident}/traits/{name}", ctx.base));
            empty(204, location)
        }
        "DELETE" => {
            let at = find(state, ident)?;
            let doc = &mut state.runbooks[at].doc;
            let kept: Vec<Json> = match one {
                None => Vec::new(),
                Some(name) => traits_of(doc)
                    .into_iter()
                    .filter(|t| t.as_str() != Some(name))
                    .collect(),
            };
            doc.set("traits", Json::Array(kept));
            empty(204, None)
        }
        _ => Err(ApiError::not_allowed("DELETE, GET, PUT")),
    }
}
