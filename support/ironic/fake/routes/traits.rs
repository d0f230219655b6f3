//! `/v1/nodes/<node>/traits` (microversion 1.37): a node's traits listed, one added, all
//! replaced, one or all removed, with the schema checks and texts of Ironic 39. A trait is
//! `CUSTOM_[A-Z0-9_]+` or one of os-traits' standard traits (`trait_names.rs`).

use super::super::State;
use super::super::errors::ApiError;
use super::super::json::{Json, obj};
use super::super::trait_names::is_valid;
use super::{Ctx, Reply, body, empty, find_node, ok};

/// The microversion that brought node traits.
pub const SINCE: u32 = 37;

/// The schema error for an invalid trait, `what` being `trait` or `body`.
pub fn invalid(what: &str, trait_name: &str) -> ApiError {
    let repr = Json::str(trait_name).repr();
    ApiError::client(
        400,
        format!(
            "Schema error for {what}: {repr} is not valid under any of the given schemas. Possible root cause: {repr} does not match '^CUSTOM_[A-Z0-9_]+$'"
        ),
    )
}

fn neither_way(what: &str) -> ApiError {
    let plural = format!("{what}s");
    ApiError::client(
        400,
        format!(
            "A single {what} trait may be added via PUT /v1/{plural}/<{what} identifier>/traits/<trait> with no body, or all {what} traits may be replaced via PUT /v1/{plural}/<{what} identifier>/traits with the list of traits specified in the request body."
        ),
    )
}

/// Answers `/v1/nodes/<ident>/traits[/<trait>]` (`one` is the trait of the path).
pub(crate) fn route(
    state: &mut State,
    ctx: &Ctx,
    ident: &str,
    one: Option<&str>,
) -> Result<Reply, ApiError> {
    let method = ctx.request.method.to_ascii_uppercase();
    if ctx.version < SINCE {
        return match one {
            Some(_) => Err(ApiError::not_allowed("DELETE, GET, PATCH, POST")),
            None => Err(ApiError::client(406, "Request not acceptable.")),
        };
    }
    match (method.as_str(), one) {
        ("GET", None) => {
            let at = find_node(state, ident, ctx.version, false)?;
            let traits = traits_of(&state.nodes[at].doc);
            ok(200, obj(vec![("traits", Json::Array(traits))]))
        }
        ("PUT", _) => put(state, ctx, ident, one),
        ("DELETE", _) => delete(state, ctx, ident, one),
        _ => Err(ApiError::not_allowed("DELETE, GET, PUT")),
    }
}

/// The `traits` of `doc`.
pub(crate) fn traits_of(doc: &Json) -> Vec<Json> {
    match doc.get("traits") {
        Some(Json::Array(items)) => items.clone(),
        _ => Vec::new(),
    }
}

/// The traits of a replacing PUT's body, checked as the real schema checks them.
fn body_traits(body: &Json) -> Result<Option<Vec<String>>, ApiError> {
    let Json::Object(members) = body else {
        return Ok(None);
    };
    if let Some((key, _)) = members.iter().find(|(k, _)| k != "traits") {
        return Err(ApiError::client(
            400,
            format!(
                "Schema error for body: Additional properties are not allowed ('{key}' was unexpected)"
            ),
        ));
    }
    let Some(list) = body.get("traits") else {
        return Ok(None);
    };
    let Json::Array(items) = list else {
        return Err(ApiError::client(
            400,
            format!(
                "Schema error for body: {} is not of type 'array'",
                list.repr()
            ),
        ));
    };
    let mut names = Vec::new();
    for item in items {
        match item.as_str() {
            Some(name) if is_valid(name) => names.push(name.to_owned()),
            Some(name) => return Err(invalid("body", name)),
            None => {
                return Err(ApiError::client(
                    400,
                    format!(
                        "Schema error for body: {} is not of type 'string'",
                        item.repr()
                    ),
                ));
            }
        }
    }
    Ok(Some(names))
}

fn put(state: &mut State, ctx: &Ctx, ident: &str, one: Option<&str>) -> Result<Reply, ApiError> {
    let body = checked_put(ctx, one)?;
    let at = find_node(state, ident, ctx.version, false)?;
    put_into("node", &mut state.nodes[at].doc, one, body)?;
    let location = one.map(|name| format!("{}/v1/nodes/{ident}/traits/{name}", ctx.base));
    empty(204, location)
}

/// A traits PUT's trait (of the path) and body, checked before the item is looked up: the
/// body and the list it replaces the traits with, if any.
pub(crate) fn checked_put(
    ctx: &Ctx,
    one: Option<&str>,
) -> Result<(Option<Json>, Option<Vec<String>>), ApiError> {
    if let Some(name) = one
        && !is_valid(name)
    {
        return Err(invalid("trait", name));
    }
    let body = body(ctx)?;
    let replacing = match &body {
        Some(body) => body_traits(body)?,
        None => None,
    };
    Ok((body, replacing))
}

/// Adds `one` to the `traits` of `doc` (a `what`: `node`, `runbook`), or replaces them with
/// the checked body's list.
pub(crate) fn put_into(
    what: &str,
    doc: &mut Json,
    one: Option<&str>,
    (body, replacing): (Option<Json>, Option<Vec<String>>),
) -> Result<(), ApiError> {
    let mut names: Vec<String> = match (one, replacing) {
        (Some(_), Some(_)) | (None, None) => return Err(neither_way(what)),
        (Some(_), None) if body.as_ref().is_some_and(non_empty) => {
            return Err(ApiError::client(
                400,
                "No body should be provided when adding a trait",
            ));
        }
        (Some(name), None) => {
            let mut names: Vec<String> = traits_of(doc)
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect();
            names.push(name.to_owned());
            names
        }
        (None, Some(names)) => names,
    };
    names.sort();
    names.dedup();
    doc.set(
        "traits",
        Json::Array(names.into_iter().map(Json::Str).collect()),
    );
    Ok(())
}

fn non_empty(body: &Json) -> bool {
    match body {
        Json::Object(members) => !members.is_empty(),
        Json::Array(items) => !items.is_empty(),
        Json::Null => false,
        _ => true,
    }
}

fn delete(state: &mut State, ctx: &Ctx, ident: &str, one: Option<&str>) -> Result<Reply, ApiError> {
    let at = find_node(state, ident, ctx.version, false)?;
    let node = &mut state.nodes[at];
    let kept: Vec<Json> = match one {
        None => Vec::new(),
        Some(name) => {
            let traits = traits_of(&node.doc);
            if !traits.iter().any(|t| t.as_str() == Some(name)) {
                return Err(ApiError::client(
                    404,
                    format!("Node {} doesn't have a trait '{name}'", node.uuid()),
                ));
            }
            traits
                .into_iter()
                .filter(|t| t.as_str() != Some(name))
                .collect()
        }
    };
    node.doc.set("traits", Json::Array(kept));
    empty(204, None)
}
