//! `/v1/deploy_templates[/…]`: list (short, `detail=`, fields, pages), show, create, patch and
//! delete, as Ironic 39 answers them (by uuid or name; no `/detail` path).

use super::super::State;
use super::super::deploy_templates::{self, DeployTemplate, SINCE};
use super::super::errors::ApiError;
use super::super::ids::timestamp;
use super::super::json::Json;
use super::super::patch;
use super::super::views::check_selectable;
use super::named::{NamedList, check_unique, list_named};
use super::{Ctx, Reply, body, created, empty, fields_param, find_by, ok, too_early};

/// Answers `/v1/deploy_templates/<rest>`.
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
            "The API version does not allow deploy templates",
        ));
    }
    match (method.as_str(), rest) {
        ("GET", []) => list_named(ctx, query, &state.deploy_templates, &LIST, check_fields),
        ("POST", []) => create(state, ctx),
        ("GET", [ident]) => {
            let at = find(state, ident)?;
            let fields = fields_param(query)?;
            if let Some(fields) = &fields {
                check_fields(fields)?;
            }
            let shown = state.deploy_templates[at].only(fields.as_deref(), ctx.version, ctx.base);
            ok(200, shown)
        }
        ("PATCH", [ident]) => patch_template(state, ctx, ident),
        ("DELETE", [ident]) => {
            let at = find(state, ident)?;
            state.deploy_templates.remove(at);
            empty(204, None)
        }
        (_, []) => Err(ApiError::not_allowed("GET, POST")),
        _ => Err(ApiError::not_allowed("DELETE, GET, PATCH")),
    }
}

fn find(state: &State, ident: &str) -> Result<usize, ApiError> {
    find_by(
        &state.deploy_templates,
        "Deploy template",
        ident,
        DeployTemplate::uuid,
        DeployTemplate::name,
    )
}

fn check_fields(fields: &[String]) -> Result<(), ApiError> {
    check_selectable(fields, deploy_templates::SELECTABLE)
}

/// How deploy templates list.
const LIST: NamedList = NamedList {
    resource: "deploy_templates",
    kind: "Deploy template",
    unsortable: &["extra", "steps"],
    filters: &[],
    sortable: &["id", "uuid", "name", "created_at", "updated_at"],
};

fn create(state: &mut State, ctx: &Ctx) -> Result<Reply, ApiError> {
    let body = body(ctx)?.unwrap_or_else(Json::empty);
    let doc = deploy_templates::create(&body, ctx.now.wall)?;
    let mut template = DeployTemplate {
        id: state.next_id + 1,
        doc,
    };
    check_unique(
        &state.deploy_templates,
        "deploy template",
        template.name(),
        template.uuid(),
        None,
    )?;
    state.next_id += 1;
    // The answer shows the steps as given; the stored ones have numeric priorities.
    let reply = template.only(None, ctx.version, ctx.base);
    let steps = template
        .doc
        .get("steps")
        .map(super::super::step_rules::stored_steps);
    template.doc.set("steps", steps.unwrap_or(Json::Null));
    let location = format!("{}/v1/deploy_templates/{}", ctx.base, template.uuid());
    state.deploy_templates.push(template);
    created(reply, location)
}

fn patch_template(state: &mut State, ctx: &Ctx, ident: &str) -> Result<Reply, ApiError> {
    let body = body(ctx)?.unwrap_or(Json::Null);
    let ops = patch::parse(&body)?;
    patch::check_allowed(&ops, deploy_templates::PATCHABLE)?;
    let at = find(state, ident)?;
    let mut doc = state.deploy_templates[at].doc.clone();
    patch::apply(&mut doc, &ops)?;
    let mut shown = doc.clone();
    for field in ["created_at", "updated_at"] {
        shown.remove(field);
    }
    deploy_templates::check(
        "patch",
        &shown,
        &["description", "extra", "name", "steps", "uuid"],
    )?;
    let uuid = state.deploy_templates[at].uuid().to_owned();
    let name = doc.get("name").and_then(Json::as_str);
    check_unique(
        &state.deploy_templates,
        "deploy template",
        name,
        &uuid,
        Some(&uuid),
    )?;
    patch::refill_removed(&mut doc, &["extra"], &[]);
    let steps = doc.get("steps").map(super::super::step_rules::stored_steps);
    doc.set("steps", steps.unwrap_or(Json::Null));
    doc.remove("description");
    // The steps live in a table of their own: only a change of the template's own row (its
    // name or extra) sets `updated_at`, as on the real server.
    let before = &state.deploy_templates[at].doc;
    if ["name", "extra"]
        .iter()
        .any(|f| doc.get(f) != before.get(f))
    {
        doc.set("updated_at", Json::str(timestamp(ctx.now.wall)));
    }
    state.deploy_templates[at].doc = doc;
    ok(
        200,
        state.deploy_templates[at].only(None, ctx.version, ctx.base),
    )
}
