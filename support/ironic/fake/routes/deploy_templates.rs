//! `/v1/deploy_templates[/…]`: list (short, `detail=`, fields, pages), show, create, patch and
//! delete, as Ironic 39 answers them (by uuid or name; no `/detail` path).

use super::super::State;
use super::super::deploy_templates::{self, DeployTemplate, SINCE};
use super::super::errors::ApiError;
use super::super::ids::timestamp;
use super::super::json::Json;
use super::super::list;
use super::super::patch;
use super::super::views::check_selectable;
use super::{Ctx, NextLink, Reply, body, created, empty, fields_param, find_by, listing, ok};

/// Answers `/v1/deploy_templates/<rest>`.
pub(crate) fn route(
    state: &mut State,
    ctx: &Ctx,
    rest: &[&str],
    query: &[(String, String)],
) -> Result<Reply, ApiError> {
    let method = ctx.request.method.to_ascii_uppercase();
    if ctx.version < SINCE {
        // Reading answers 404, changing 405: routing errors with a description.
        let status = if method == "GET" { 404 } else { 405 };
        return Err(ApiError::routing(
            status,
            "The API version does not allow deploy templates",
        ));
    }
    match (method.as_str(), rest) {
        ("GET", []) => list_templates(state, ctx, query),
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

fn list_templates(state: &State, ctx: &Ctx, query: &[(String, String)]) -> Result<Reply, ApiError> {
    list::refuse_sort_keys(query, &["extra", "steps"])?;
    let p = list::params(
        query,
        &[],
        &["id", "uuid", "name", "created_at", "updated_at"],
    )?;
    if let Some(fields) = &p.fields {
        check_fields(fields)?;
    }
    let candidates: Vec<&DeployTemplate> = state.deploy_templates.iter().collect();
    let rows = list::rows(&candidates, &p.sort_key, |t| (t.id, t.uuid(), &t.doc));
    let kept = list::page(&rows, &p, |m| ApiError::not_found("Deploy template", m))?;
    let detail = p.detail == Some(true);
    let short = vec!["uuid".to_owned(), "name".to_owned()];
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
    let next = NextLink {
        resource: "deploy_templates".to_owned(),
        fields: (!detail).then(|| p.fields_raw.as_deref().unwrap_or("uuid,name")),
    };
    listing(ctx, &p, "deploy_templates", shown, next)
}

fn check_name_free(state: &State, name: Option<&str>, except: &str) -> Result<(), ApiError> {
    if let Some(name) = name
        && state
            .deploy_templates
            .iter()
            .any(|t| t.name() == Some(name) && t.uuid() != except)
    {
        return Err(ApiError::client(
            409,
            format!("A deploy template with name {name} already exists."),
        ));
    }
    Ok(())
}

fn create(state: &mut State, ctx: &Ctx) -> Result<Reply, ApiError> {
    let body = body(ctx)?.unwrap_or_else(Json::empty);
    let doc = deploy_templates::create(&body, ctx.now.wall)?;
    let mut template = DeployTemplate {
        id: state.next_id + 1,
        doc,
    };
    check_name_free(state, template.name(), "")?;
    if state
        .deploy_templates
        .iter()
        .any(|t| t.uuid() == template.uuid())
    {
        return Err(ApiError::client(
            409,
            format!(
                "A deploy template with UUID {} already exists.",
                template.uuid()
            ),
        ));
    }
    state.next_id += 1;
    // The answer shows the steps as given; the stored ones have numeric priorities.
    let reply = template.only(None, ctx.version, ctx.base);
    let steps = template
        .doc
        .get("steps")
        .map(deploy_templates::stored_steps);
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
    check_name_free(state, doc.get("name").and_then(Json::as_str), &uuid)?;
    patch::refill_removed(&mut doc, &["extra"], &[]);
    let steps = doc.get("steps").map(deploy_templates::stored_steps);
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
