//! Routing of one request to its resource, and the resources' answers.

use std::time::Duration;

use super::State;
use super::errors::ApiError;
use super::ids::{is_uuid_like, is_valid_logical_name, timestamp};
use super::json::{self, Json, obj};
use super::list::{self, ListParams, percent_decode};
use super::nodes::{self, DRIVER, HOST, Node};
use super::patch;
use super::ports::{self, Port};
use super::states::{self, Now};
use crate::ironic::exchange::RawRequest;

mod allocations;
mod chassis;
mod components;
mod deploy_templates;
mod named;
mod portgroups;
mod runbooks;
mod traits;
mod validate;
mod vifs;

/// What a request needs besides the stored state.
pub(crate) struct Ctx<'a> {
    pub(crate) request: &'a RawRequest,
    pub(crate) version: u32,
    pub(crate) now: Now,
    pub(crate) base: &'a str,
    pub(crate) delay: Duration,
}

/// A successful answer.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: String,
    pub(crate) location: Option<String>,
}

pub(crate) fn ok(status: u16, body: Json) -> Result<Reply, ApiError> {
    Ok(Reply {
        status,
        body: body.dumps(),
        location: None,
    })
}

pub(crate) fn empty(status: u16, location: Option<String>) -> Result<Reply, ApiError> {
    Ok(Reply {
        status,
        body: String::new(),
        location,
    })
}

fn not_found_route() -> ApiError {
    ApiError::routing(404, "")
}

const ALL: &str = "DELETE, GET, PATCH, POST";

/// The answer to a resource asked for below the microversion that brought it: 404 to a
/// read, 405 to a change, with `text` (a client fault, or with `routing` a routing error).
pub(crate) fn too_early(ctx: &Ctx, routing: bool, text: &str) -> ApiError {
    let status = if ctx.request.method.eq_ignore_ascii_case("GET") {
        404
    } else {
        405
    };
    if routing {
        ApiError::routing(status, text)
    } else {
        ApiError::client(status, text)
    }
}

/// How a list's `next` link is made: the resource path after `/v1/` and the `fields` it
/// carries.
pub(crate) struct NextLink<'a> {
    pub(crate) resource: String,
    pub(crate) fields: Option<&'a str>,
}

/// The body of a list: `{key: items}` (each item shown, with its uuid), and a `next` link
/// when the page is full (the last item's uuid as marker).
pub(crate) fn listing(
    ctx: &Ctx,
    p: &ListParams,
    key: &str,
    shown: Vec<(Json, &str)>,
    next: NextLink,
) -> Result<Reply, ApiError> {
    let full = p.limit.filter(|limit| *limit == shown.len());
    let last = shown.last().map(|(_, uuid)| uuid.to_string());
    let items = shown.into_iter().map(|(item, _)| item).collect();
    let mut members = vec![(key.to_owned(), Json::Array(items))];
    if let (Some(limit), Some(last)) = (full, last) {
        let link = list::next_link(ctx.base, &next.resource, p, next.fields, limit, &last);
        members.push(("next".to_owned(), Json::str(link)));
    }
    ok(200, Json::Object(members))
}

/// 201 with the new item's `body` and its `Location`.
pub(crate) fn created(body: Json, location: String) -> Result<Reply, ApiError> {
    Ok(Reply {
        status: 201,
        body: body.dumps(),
        location: Some(location),
    })
}

/// The index of the item `ident` (a uuid, or a logical name) names among `items`, or the
/// real 400 and 404 texts with `kind` (`Portgroup`) in them.
pub(crate) fn find_by<T>(
    items: &[T],
    kind: &str,
    ident: &str,
    uuid: impl Fn(&T) -> &str,
    name: impl Fn(&T) -> Option<&str>,
) -> Result<usize, ApiError> {
    let found = if is_uuid_like(ident) {
        let lower = ident.to_ascii_lowercase();
        items.iter().position(|item| uuid(item) == lower)
    } else if is_valid_logical_name(ident) {
        items.iter().position(|item| name(item) == Some(ident))
    } else {
        return Err(ApiError::client(
            400,
            format!(
                "Expected UUID or name for {}: {ident}",
                kind.to_ascii_lowercase()
            ),
        ));
    };
    found.ok_or_else(|| ApiError::not_found(kind, ident))
}

/// The body as JSON; an empty body is `None`. Malformed JSON is the real 500.
pub(crate) fn body(ctx: &Ctx) -> Result<Option<Json>, ApiError> {
    let text = String::from_utf8_lossy(&ctx.request.body);
    if text.trim().is_empty() {
        return Ok(None);
    }
    json::parse(&text).map(Some).map_err(ApiError::server)
}

/// Answers `ctx.request` from `state`.
pub(crate) fn route(state: &mut State, ctx: &Ctx) -> Result<Reply, ApiError> {
    let (path, query) = ctx
        .request
        .path
        .split_once('?')
        .unwrap_or((&ctx.request.path, ""));
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    let query = list::parse_query(query);
    let method = ctx.request.method.to_ascii_uppercase();
    let m = method.as_str();
    match segs.as_slice() {
        [] => ok(200, root(ctx)),
        ["v1"] => match m {
            "GET" => ok(200, v1(ctx)),
            _ => Err(ApiError::client(
                405,
                "The server could not comply with the request since it is either malformed or otherwise incorrect.",
            )),
        },
        ["v1", "nodes"] => match m {
            "GET" => list_nodes(state, ctx, &query, false),
            "POST" => create_node(state, ctx),
            "DELETE" | "PATCH" => Err(ApiError::client(
                400,
                "Missing mandatory parameter: node_ident",
            )),
            _ => Err(ApiError::not_allowed(ALL)),
        },
        ["v1", "nodes", "detail"] if m == "GET" => list_nodes(state, ctx, &query, true),
        ["v1", "nodes", "detail", _, ..] => Err(ApiError::not_found("Node", "detail")),
        ["v1", "nodes", ident] => match m {
            "GET" => {
                let node = find_node(state, ident, ctx.version, true)?;
                let node = &state.nodes[node];
                match fields_param(&query)? {
                    Some(_) if ctx.version < 8 => {
                        Err(ApiError::client(406, "Request not acceptable."))
                    }
                    Some(fields) => {
                        check_node_fields(&fields, false)?;
                        check_fields_version(&fields, ctx.version)?;
                        ok(200, node.only(&fields, ctx.version, ctx.base))
                    }
                    None => ok(200, node.full(ctx.version, ctx.base)),
                }
            }
            "PATCH" => patch_node(state, ctx, ident),
            "DELETE" => delete_node(state, ctx, ident),
            "POST" => Err(ApiError::client(
                400,
                format!(
                    "Schema error for node: {} is not of type 'object'",
                    json::py_str_repr(ident)
                ),
            )),
            _ => Err(ApiError::not_allowed(ALL)),
        },
        ["v1", "nodes", ident, "states"] => match m {
            "GET" => {
                let at = find_node(state, ident, ctx.version, false)?;
                ok(200, state.nodes[at].states(ctx.version, ctx.base))
            }
            _ => Err(ApiError::not_allowed("GET")),
        },
        [
            "v1",
            "nodes",
            ident,
            "states",
            kind @ ("provision" | "power"),
        ] if m == "PUT" => set_states(state, ctx, ident, kind),
        ["v1", "nodes", _, "states", _, ..] if m == "GET" => Err(ApiError::server(
            "NodeStatesController.get() takes 2 positional arguments but 3 were given",
        )),
        ["v1", "nodes", _, "states", ..] => Err(ApiError::not_allowed("GET")),
        ["v1", "nodes", ident, "maintenance"] => match m {
            "PUT" | "DELETE" => maintenance(state, ctx, ident, m == "PUT"),
            _ => Err(ApiError::not_allowed("DELETE, PUT")),
        },
        ["v1", "nodes", ident, "portgroups", rest @ ..]
            if m == "GET" && (rest.is_empty() || rest == ["detail"]) =>
        {
            portgroups::of_node(state, ctx, ident, &query, !rest.is_empty())
        }
        ["v1", "nodes", ident, "allocation"] => allocations::of_node(state, ctx, ident, &query),
        ["v1", "deploy_templates", rest @ ..] => deploy_templates::route(state, ctx, rest, &query),
        ["v1", "runbooks", rest @ ..] => runbooks::route(state, ctx, rest, &query),
        ["v1", "chassis", rest @ ..] => chassis::route(state, ctx, rest, &query),
        ["v1", "allocations", rest @ ..] => allocations::route(state, ctx, rest, &query),
        ["v1", "portgroups", rest @ ..] => portgroups::route(state, ctx, rest, &query),
        [
            "v1",
            "nodes",
            ident,
            part @ ("bios" | "firmware" | "vmedia"),
            rest @ ..,
        ] => components::of_node(state, ctx, ident, part, rest),
        ["v1", "volume", rest @ ..] => components::volume(ctx, rest),
        ["v1", "nodes", ident, "vifs"] => vifs::route(state, ctx, ident, None),
        ["v1", "nodes", ident, "vifs", vif] => vifs::route(state, ctx, ident, Some(vif)),
        ["v1", "nodes", ident, "traits"] => traits::route(state, ctx, ident, None),
        ["v1", "nodes", ident, "traits", one] => traits::route(state, ctx, ident, Some(one)),
        ["v1", "nodes", ident, "validate"] => match m {
            "GET" => validate::route(state, ctx, ident),
            _ => Err(ApiError::not_allowed(ALL)),
        },
        ["v1", "nodes", ident, "ports", rest @ ..] if rest.is_empty() || rest == ["detail"] => {
            match m {
                "GET" => node_ports(state, ctx, ident, &query, !rest.is_empty()),
                _ => Err(ApiError::not_allowed("GET")),
            }
        }
        ["v1", "nodes", _, "ports", ..] => Err(ApiError::client(400, "Malformed request URI.")),
        ["v1", "nodes", ident, field] if m == "GET" => {
            find_node(state, ident, ctx.version, false)?;
            Err(ApiError::client(
                400,
                format!("Field {field} is not a valid field."),
            ))
        }
        ["v1", "ports"] => match m {
            "GET" => list_ports(state, ctx, &query, false, None),
            "POST" => create_port(state, ctx),
            _ => Err(ApiError::not_allowed(ALL)),
        },
        ["v1", "ports", "detail"] if m == "GET" => list_ports(state, ctx, &query, true, None),
        ["v1", "ports", "detail", _, ..] => Err(ApiError::not_found("Port", "detail")),
        ["v1", "ports", ident] => match m {
            "GET" => {
                let at = find_port(state, ident, ctx.version)?;
                let port = &state.ports[at];
                match fields_param(&query)? {
                    Some(fields) => {
                        check_port_fields(&fields)?;
                        ok(200, port.only(Some(&fields), ctx.version, ctx.base))
                    }
                    None => ok(200, port.full(ctx.version, ctx.base)),
                }
            }
            "PATCH" => patch_port(state, ctx, ident),
            "POST" => Err(ApiError::client(
                400,
                format!(
                    "Schema error for port: {} is not of type 'object'",
                    json::py_str_repr(ident)
                ),
            )),
            "DELETE" => {
                if !is_uuid_like(ident) {
                    return Err(ApiError::client(
                        400,
                        format!("Expected UUID for port_uuid: {ident}"),
                    ));
                }
                let lower = ident.to_ascii_lowercase();
                match state.ports.iter().position(|p| p.uuid() == lower) {
                    Some(at) => {
                        state.ports.remove(at);
                        empty(204, None)
                    }
                    None => Err(ApiError::not_found("Port", ident)),
                }
            }
            _ => Err(ApiError::not_allowed(ALL)),
        },
        ["v1", "drivers"] if m == "GET" => ok(
            200,
            obj(vec![("drivers", Json::Array(vec![driver(ctx, false)]))]),
        ),
        ["v1", "drivers", name, "properties"] if m == "GET" => validate::properties(ctx, name),
        ["v1", "drivers", name] if m == "GET" => {
            if *name == DRIVER {
                ok(200, driver(ctx, true))
            } else {
                Err(ApiError::client(
                    404,
                    format!("Could not find the following driver(s) or hardware type(s): {name}."),
                ))
            }
        }
        ["v1", "conductors", rest @ ..] if m == "GET" && rest.len() <= 1 => {
            if ctx.version < 49 {
                return Err(ApiError::client(
                    404,
                    "The API is not supported for this version",
                ));
            }
            match rest {
                [] => ok(
                    200,
                    obj(vec![(
                        "conductors",
                        Json::Array(vec![obj(vec![
                            ("hostname", Json::str(HOST)),
                            ("conductor_group", Json::str("")),
                            (
                                "links",
                                nodes::links(ctx.base, &format!("conductors/{HOST}")),
                            ),
                            ("alive", Json::Bool(false)),
                        ])]),
                    )]),
                ),
                [host] if *host == HOST => {
                    let started = timestamp(state.started.unwrap_or(ctx.now.wall));
                    ok(
                        200,
                        obj(vec![
                            ("created_at", Json::str(&started)),
                            ("updated_at", Json::str(&started)),
                            ("hostname", Json::str(HOST)),
                            ("conductor_group", Json::str("")),
                            ("drivers", Json::Array(vec![Json::str(DRIVER)])),
                            (
                                "links",
                                nodes::links(ctx.base, &format!("conductors/{HOST}")),
                            ),
                            ("alive", Json::Bool(false)),
                        ]),
                    )
                }
                [host] => Err(ApiError::not_found("Conductor", host)),
                _ => Err(not_found_route()),
            }
        }
        _ => Err(not_found_route()),
    }
}

fn link_pair(base: &str, name: &str) -> Json {
    Json::Array(vec![
        obj(vec![
            ("href", Json::str(format!("{base}/v1/{name}/"))),
            ("rel", Json::str("self")),
        ]),
        obj(vec![
            ("href", Json::str(format!("{base}/{name}/"))),
            ("rel", Json::str("bookmark")),
        ]),
    ])
}

fn version_doc(base: &str) -> Json {
    obj(vec![
        ("id", Json::str("v1")),
        (
            "links",
            Json::Array(vec![obj(vec![
                ("href", Json::str(format!("{base}/v1/"))),
                ("rel", Json::str("self")),
            ])]),
        ),
        ("status", Json::str("CURRENT")),
        ("min_version", Json::str("1.1")),
        ("version", Json::str("1.115")),
    ])
}

fn root(ctx: &Ctx) -> Json {
    obj(vec![
        ("name", Json::str("OpenStack Ironic API")),
        (
            "description",
            Json::str(
                "Ironic is an OpenStack project which enables the provision and management of baremetal machines.",
            ),
        ),
        ("default_version", version_doc(ctx.base)),
        ("versions", Json::Array(vec![version_doc(ctx.base)])),
    ])
}

fn v1(ctx: &Ctx) -> Json {
    let base = ctx.base;
    let mut members = vec![
        ("id".to_owned(), Json::str("v1")),
        (
            "links".to_owned(),
            Json::Array(vec![
                obj(vec![
                    ("href", Json::str(format!("{base}/v1/"))),
                    ("rel", Json::str("self")),
                ]),
                obj(vec![
                    (
                        "href",
                        Json::str(
                            "https://docs.openstack.org//ironic/latest/contributor//webapi.html",
                        ),
                    ),
                    ("rel", Json::str("describedby")),
                    ("type", Json::str("text/html")),
                ]),
            ]),
        ),
        (
            "media_types".to_owned(),
            obj(vec![
                ("base", Json::str("application/json")),
                (
                    "type",
                    Json::str("application/vnd.openstack.ironic.v1+json"),
                ),
            ]),
        ),
    ];
    for name in ["chassis", "nodes", "ports", "drivers"] {
        members.push((name.to_owned(), link_pair(base, name)));
    }
    members.push(("version".to_owned(), version_doc(base)));
    let later: &[(&str, u32)] = &[
        ("portgroups", 23),
        ("volume", 32),
        ("lookup", 22),
        ("heartbeat", 22),
        ("conductors", 49),
        ("allocations", 52),
        ("events", 54),
        ("deploy_templates", 55),
        ("shards", 82),
        ("runbooks", 92),
        ("inspection_rules", 96),
        ("continue_inspection", 84),
    ];
    for (name, since) in later {
        if ctx.version >= *since {
            members.push((name.to_string(), link_pair(base, name)));
        }
    }
    Json::Object(members)
}

fn driver(ctx: &Ctx, detail: bool) -> Json {
    let base = ctx.base;
    let v = ctx.version;
    let mut members = vec![
        ("name".to_owned(), Json::str(DRIVER)),
        ("hosts".to_owned(), Json::Array(vec![Json::str(HOST)])),
        (
            "links".to_owned(),
            nodes::links(base, &format!("drivers/{DRIVER}")),
        ),
    ];
    if v >= 14 {
        members.push((
            "properties".to_owned(),
            nodes::links(base, &format!("drivers/{DRIVER}/properties")),
        ));
    }
    if v >= 30 {
        members.push(("type".to_owned(), Json::str("dynamic")));
    }
    if detail && v >= 30 {
        let order: &[(&str, u32)] = &[
            ("vendor", 30),
            ("management", 30),
            ("bios", 40),
            ("network", 30),
            ("power", 30),
            ("storage", 33),
            ("rescue", 38),
            ("inspect", 30),
            ("raid", 30),
            ("boot", 30),
            ("deploy", 30),
            ("console", 30),
            ("firmware", 86),
        ];
        for (kind, since) in order {
            if v < *since {
                continue;
            }
            let field = format!("{kind}_interface");
            if let Some((_, default, valid)) =
                nodes::INTERFACES.iter().find(|(f, _, _)| *f == field)
            {
                let enabled: Vec<Json> = valid
                    .trim_matches(['[', ']'])
                    .split(", ")
                    .map(|s| Json::str(s.trim_matches('\'')))
                    .collect();
                members.push((format!("default_{kind}_interface"), Json::str(*default)));
                members.push((format!("enabled_{kind}_interfaces"), Json::Array(enabled)));
            }
        }
    }
    Json::Object(members)
}

/// Finds a node by uuid or name. `get_style` picks the error shape of `GET /v1/nodes/<x>`
/// for an identifier that is neither.
pub(crate) fn find_node(
    state: &State,
    ident: &str,
    version: u32,
    get_style: bool,
) -> Result<usize, ApiError> {
    let found = if is_uuid_like(ident) {
        let lower = ident.to_ascii_lowercase();
        state.nodes.iter().position(|n| n.uuid() == lower)
    } else if version < 5 {
        None
    } else if is_valid_logical_name(ident) {
        state.nodes.iter().position(|n| n.name() == Some(ident))
    } else if get_style {
        let mut e = ApiError::routing(400, &format!("Expected UUID or name for node: {ident}"));
        e.status = 400;
        return Err(e);
    } else {
        return Err(ApiError::client(
            400,
            format!("Expected UUID or name for node_ident: {ident}"),
        ));
    };
    found.ok_or_else(|| ApiError::not_found("Node", ident))
}

pub(crate) fn find_port(state: &State, ident: &str, version: u32) -> Result<usize, ApiError> {
    let found = if is_uuid_like(ident) {
        let lower = ident.to_ascii_lowercase();
        state.ports.iter().position(|p| p.uuid() == lower)
    } else if version >= 88 && is_valid_logical_name(ident) {
        state.ports.iter().position(|p| p.name() == Some(ident))
    } else {
        return Err(ApiError::client(
            400,
            format!("Expected UUID or name for port_ident: {ident}"),
        ));
    };
    found.ok_or_else(|| ApiError::not_found("Port", ident))
}

pub(crate) fn fields_param(query: &[(String, String)]) -> Result<Option<Vec<String>>, ApiError> {
    let unexpected: Vec<String> = query
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| k != "fields")
        .collect();
    if !unexpected.is_empty() {
        return Err(ApiError::unexpected(&unexpected));
    }
    Ok(query.iter().find(|(k, _)| k == "fields").map(|(_, v)| {
        v.split(',')
            .map(|f| f.trim().to_owned())
            .filter(|f| !f.is_empty())
            .collect()
    }))
}

const NOT_SELECTABLE: &[&str] = &[
    "created_at",
    "updated_at",
    "links",
    "ports",
    "states",
    "portgroups",
    "volume",
];

/// `?fields=` on nodes: unknown names are 400 on one node, and the real 500 on a list.
fn check_node_fields(fields: &[String], listing: bool) -> Result<(), ApiError> {
    for f in fields {
        let known = nodes::FIELDS.iter().any(|(k, _)| k == f);
        if !known && listing {
            return Err(ApiError::server(format!(
                "type object 'Node' has no attribute '{f}'"
            )));
        }
        // Fields that are no database column: a list asks the database for them (a 500).
        let no_column = ["links", "chassis_uuid", "allocation_uuid", "conductor"];
        if no_column.contains(&f.as_str()) && listing {
            return Err(ApiError::server(format!(
                "type object 'Node' has no attribute '{f}'"
            )));
        }
        if !known || NOT_SELECTABLE.contains(&f.as_str()) {
            return Err(ApiError::client(
                400,
                format!("Field {f} is not a valid field."),
            ));
        }
    }
    Ok(())
}

/// 406 for a field asked for by name below the microversion that brought it.
fn check_fields_version(fields: &[String], version: u32) -> Result<(), ApiError> {
    let too_new = fields.iter().any(|f| {
        nodes::FIELDS
            .iter()
            .any(|(name, since)| name == f && version < *since)
    });
    if too_new {
        return Err(ApiError::client(406, "Request not acceptable."));
    }
    Ok(())
}

fn check_port_fields(fields: &[String]) -> Result<(), ApiError> {
    let bad: Vec<&str> = fields
        .iter()
        .filter(|f| !ports::FIELDS.iter().any(|(k, _)| k == f))
        .map(String::as_str)
        .collect();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(ApiError::client(
            400,
            format!("Field(s) \"{}\" are not valid", bad.join(", ")),
        ))
    }
}

const NODE_FILTERS: &[&str] = &[
    "provision_state",
    "maintenance",
    "driver",
    "associated",
    "instance_uuid",
    "chassis_uuid",
    "resource_class",
    "fault",
    "conductor_group",
    "owner",
    "lessee",
    "project",
    "description_contains",
    "conductor",
    "retired",
    "instance_name",
    "shard",
    "sharded",
    "parent_node",
    "include_children",
    "missing",
];

const PROVISION_STATES: &[&str] = &[
    "enroll",
    "verifying",
    "manageable",
    "available",
    "active",
    "deploying",
    "wait call-back",
    "deploy failed",
    "deleting",
    "deleted",
    "cleaning",
    "clean wait",
    "clean failed",
    "error",
    "rebuild",
    "inspecting",
    "inspect failed",
    "inspect wait",
    "adopting",
    "adopt failed",
    "rescue",
    "rescue failed",
    "rescuing",
    "rescue wait",
    "unrescuing",
    "unrescue failed",
    "servicing",
    "service wait",
    "service failed",
    "unprovisioned",
];

fn node_matches(node: &Node, filters: &[(String, String)]) -> Result<bool, ApiError> {
    for (k, v) in filters {
        let keep = match k.as_str() {
            "provision_state" => {
                if !PROVISION_STATES.contains(&v.as_str()) {
                    return Err(ApiError::client(
                        400,
                        format!("Provision state \"{v}\" is not valid"),
                    ));
                }
                node.provision_state() == v
            }
            "maintenance" => {
                let want = json::parse_bool(v).ok_or_else(|| list::bad_bool("maintenance", v))?;
                node.maintenance() == want
            }
            "retired" => {
                let want = json::parse_bool(v).ok_or_else(|| list::bad_bool("retired", v))?;
                matches!(node.doc.get("retired"), Some(Json::Bool(true))) == want
            }
            "associated" => {
                let want = json::parse_bool(v).ok_or_else(|| list::bad_bool("associated", v))?;
                node.doc.get("instance_uuid").is_some_and(|u| !u.is_null()) == want
            }
            "description_contains" => node
                .text("description")
                .is_some_and(|d| d.contains(v.as_str())),
            "driver" | "instance_uuid" | "chassis_uuid" | "resource_class" | "fault"
            | "conductor_group" | "owner" | "lessee" | "shard" | "parent_node"
            | "instance_name" => node.text(k) == Some(v.as_str()),
            "conductor" => v == HOST,
            _ => true,
        };
        if !keep {
            return Ok(false);
        }
    }
    Ok(true)
}

pub(crate) fn list_nodes(
    state: &State,
    ctx: &Ctx,
    query: &[(String, String)],
    detail_path: bool,
) -> Result<Reply, ApiError> {
    let mut allowed: Vec<&str> = NODE_FILTERS.to_vec();
    if detail_path {
        allowed.retain(|_| true);
    }
    if detail_path && query.iter().any(|(k, _)| k == "fields" || k == "detail") {
        let bad: Vec<String> = query
            .iter()
            .filter(|(k, _)| k == "fields" || k == "detail")
            .map(|(k, _)| k.clone())
            .collect();
        return Err(ApiError::unexpected(&bad));
    }
    let p: ListParams = list::params(
        query,
        &allowed,
        &[
            "id",
            "uuid",
            "name",
            "created_at",
            "updated_at",
            "provision_state",
            "power_state",
            "driver",
            "maintenance",
            "instance_uuid",
            "provision_updated_at",
        ],
    )?;
    if ctx.version < 104 && p.filters.iter().any(|(k, _)| k == "instance_name") {
        return Err(ApiError::client(
            406,
            "instance_name is not acceptable in this API version",
        ));
    }
    let detail = detail_path || p.detail == Some(true);
    if p.detail == Some(true) && p.fields.is_some() {
        return Err(ApiError::client(
            400,
            "Can not specify ?detail=True and fields in the same request.",
        ));
    }
    if let Some(fields) = &p.fields {
        if ctx.version < 8 {
            return Err(ApiError::client(406, "Request not acceptable."));
        }
        check_node_fields(fields, true)?;
        check_fields_version(fields, ctx.version)?;
    }
    let mut candidates = Vec::new();
    for node in &state.nodes {
        if node_matches(node, &p.filters)? {
            candidates.push(node);
        }
    }
    let rows = list::rows(&candidates, &p.sort_key, |n| (n.id, n.uuid(), &n.doc));
    let marker_known = |m: &str| state.nodes.iter().any(|n| n.uuid() == m);
    if let Some(marker) = &p.marker
        && !marker_known(marker)
    {
        return Err(ApiError::not_found("Node", marker));
    }
    let kept = list::page(&rows, &p, |m| ApiError::not_found("Node", m)).or_else(|e| {
        // A marker outside the filtered set: the real server pages after it by id.
        if p.marker.is_some() {
            Ok(Vec::new())
        } else {
            Err(e)
        }
    })?;
    let items: Vec<Json> = kept
        .iter()
        .map(|i| {
            let n = candidates[*i];
            if detail {
                n.full(ctx.version, ctx.base)
            } else if let Some(fields) = &p.fields {
                n.only(fields, ctx.version, ctx.base)
            } else {
                n.short(ctx.version, ctx.base)
            }
        })
        .collect();
    let mut members = vec![("nodes".to_owned(), Json::Array(items))];
    if let Some(limit) = p.limit
        && kept.len() == limit
    {
        let last = candidates[kept[kept.len() - 1]].uuid();
        let fields = if detail {
            None
        } else {
            Some(p.fields_raw.as_deref().unwrap_or(nodes::SHORT_NEXT_FIELDS))
        };
        let resource = if detail_path { "nodes/detail" } else { "nodes" };
        members.push((
            "next".to_owned(),
            Json::str(list::next_link(ctx.base, resource, &p, fields, limit, last)),
        ));
    }
    ok(200, Json::Object(members))
}

fn create_node(state: &mut State, ctx: &Ctx) -> Result<Reply, ApiError> {
    let body = body(ctx)?.unwrap_or_else(Json::empty);
    let doc = nodes::create(
        &body,
        ctx.version,
        ctx.now.wall,
        |name| state.nodes.iter().any(|n| n.name() == Some(name)),
        |uuid| state.nodes.iter().any(|n| n.uuid() == uuid),
    )?;
    chassis::check_node_chassis(state, &doc)?;
    state.next_id += 1;
    let node = Node {
        id: state.next_id,
        doc,
        pending: Vec::new(),
    };
    let reply = node.full(ctx.version, ctx.base);
    let location = format!("{}/v1/nodes/{}", ctx.base, node.uuid());
    state.nodes.push(node);
    created(reply, location)
}

fn delete_node(state: &mut State, ctx: &Ctx, ident: &str) -> Result<Reply, ApiError> {
    let at = find_node(state, ident, ctx.version, false)?;
    let node = &state.nodes[at];
    let current = node.provision_state();
    if !node.maintenance() && !states::DELETABLE.contains(&current) {
        return Err(ApiError::client(
            409,
            format!(
                "Can not delete node \"{}\" while it is in provision state \"{current}\". Valid provision states to perform deletion are: \"('manageable', 'enroll', 'adopt failed', 'available')\", or set the node into maintenance mode",
                node.uuid()
            ),
        ));
    }
    if node.locked() {
        return Err(states::locked(node.uuid()));
    }
    let uuid = node.uuid().to_owned();
    state.nodes.remove(at);
    state.ports.retain(|p| p.node_uuid() != uuid);
    state.portgroups.retain(|p| p.node_uuid() != uuid);
    state
        .allocations
        .retain(|a| a.text("node_uuid") != Some(uuid.as_str()));
    empty(204, None)
}

fn patch_node(state: &mut State, ctx: &Ctx, ident: &str) -> Result<Reply, ApiError> {
    let body = body(ctx)?.unwrap_or(Json::Null);
    let ops = patch::parse(&body)?;
    let at = find_node(state, ident, ctx.version, false)?;
    let node = &state.nodes[at];
    let transient = node
        .doc
        .get("target_provision_state")
        .is_some_and(|t| !t.is_null())
        && !node.provision_state().ends_with("failed");
    if transient && node.locked() {
        return Err(ApiError::client(
            409,
            format!("Node {ident} can not be updated while a state transition is in progress."),
        ));
    }
    if node.locked() {
        return Err(states::locked(node.uuid()));
    }
    patch::check_allowed(&ops, nodes::PATCHABLE)?;
    let mut doc = node.doc.clone();
    patch::apply(&mut doc, &ops)?;
    for field in nodes::PATCHABLE {
        let value = doc.get(field).cloned();
        let value = match value {
            None | Some(Json::Null) => match node.doc.get(field) {
                Some(Json::Object(_)) => Json::empty(),
                Some(Json::Bool(_)) => Json::Bool(false),
                _ => Json::Null,
            },
            Some(v) => v,
        };
        nodes::check_type("patch", field, &value)?;
        let value = match (&value, node.doc.get(field)) {
            (v, Some(Json::Bool(_))) => Json::Bool(v.as_bool_like().unwrap_or(false)),
            _ => value,
        };
        doc.set(field, value);
    }
    // Values checked the way the conductor checks them.
    let uuid = node.uuid().to_owned();
    if let Some(name) = doc.get("name").and_then(Json::as_str)
        && node.name() != Some(name)
    {
        if !is_valid_logical_name(name) {
            return Err(ApiError::client(
                400,
                format!(
                    "Node {ident}: Cannot change name to invalid name {}",
                    json::py_str_repr(name)
                ),
            ));
        }
        if state.nodes.iter().any(|n| n.name() == Some(name)) {
            return Err(ApiError::client(
                409,
                format!("A node with name {name} already exists."),
            ));
        }
    }
    let driver = doc.get("driver").and_then(Json::as_str).unwrap_or("");
    if driver != DRIVER {
        return Err(nodes::no_valid_host(driver));
    }
    for (field, _, _) in nodes::INTERFACES {
        if let Some(v) = doc.get(field) {
            nodes::check_interface(field, v)?;
        }
    }
    if doc.get("protected") == Some(&Json::Bool(true))
        && node.doc.get("protected") != Some(&Json::Bool(true))
        && !matches!(node.provision_state(), "active" | "rescue")
    {
        return Err(ApiError::client(
            409,
            format!(
                "Node {uuid} can only be made protected in provision states 'active' or 'rescue', the current state is '{}'",
                node.provision_state()
            ),
        ));
    }
    if doc.get("maintenance") == Some(&Json::Bool(false)) {
        doc.set("maintenance_reason", Json::Null);
    }
    nodes::check_retired(&node.doc, &mut doc)?;
    chassis::check_node_chassis(state, &doc)?;
    doc.set("updated_at", Json::str(timestamp(ctx.now.wall)));
    let node = &mut state.nodes[at];
    node.doc = doc;
    let mut shown = node.full(ctx.version, ctx.base);
    shown.set("reservation", Json::str(HOST));
    ok(200, shown)
}

fn check_args(body: &Json, allowed: &[&str]) -> Result<(), ApiError> {
    if let Json::Object(members) = body {
        let bad: Vec<String> = members
            .iter()
            .map(|(k, _)| k.clone())
            .filter(|k| !allowed.contains(&k.as_str()))
            .collect();
        if !bad.is_empty() {
            return Err(ApiError::unexpected(&bad));
        }
    }
    Ok(())
}

fn set_states(state: &mut State, ctx: &Ctx, ident: &str, kind: &str) -> Result<Reply, ApiError> {
    let body = body(ctx)?.unwrap_or_else(Json::empty);
    let allowed: &[&str] = if kind == "power" {
        &["target", "timeout"]
    } else {
        &[
            "target",
            "configdrive",
            "clean_steps",
            "deploy_steps",
            "rescue_password",
            "disable_ramdisk",
            "service_steps",
            "runbook",
        ]
    };
    check_args(&body, allowed)?;
    let target = match body.get("target") {
        Some(Json::Str(t)) => t.clone(),
        Some(other) if !other.is_null() => other.dumps(),
        _ => return Err(ApiError::client(400, "Missing mandatory parameter: target")),
    };
    let at = find_node(state, ident, ctx.version, false)?;
    let node = &mut state.nodes[at];
    if kind == "power" {
        states::power(node, ident, &target, ctx.version, ctx.delay, ctx.now)?;
    } else {
        states::provision(node, &target, body.get("clean_steps"), ctx.delay, ctx.now)?;
    }
    // With no delay the action settles before the next request.
    states::advance(node, ctx.now.instant);
    empty(202, Some(format!("{}/v1/nodes/{ident}/states", ctx.base)))
}

fn maintenance(state: &mut State, ctx: &Ctx, ident: &str, on: bool) -> Result<Reply, ApiError> {
    let body = body(ctx)?.unwrap_or_else(Json::empty);
    check_args(&body, &["reason"])?;
    let reason = match body.get("reason") {
        None | Some(Json::Null) => Json::Null,
        Some(Json::Str(s)) => Json::str(s),
        Some(other) => {
            return Err(ApiError::client(
                400,
                format!("Expected string for reason: {}", other.dumps()),
            ));
        }
    };
    let at = find_node(state, ident, ctx.version, false)?;
    let node = &mut state.nodes[at];
    node.doc.set("maintenance", Json::Bool(on));
    node.doc
        .set("maintenance_reason", if on { reason } else { Json::Null });
    node.doc
        .set("updated_at", Json::str(timestamp(ctx.now.wall)));
    empty(202, None)
}

fn port_filters(
    state: &State,
    ctx: &Ctx,
    filters: &[(String, String)],
) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    for (k, v) in filters {
        match k.as_str() {
            "address" => {
                if !super::ids::is_valid_mac(v) {
                    return Err(ports::bad_mac(v));
                }
                out.push(("address".to_owned(), v.to_ascii_lowercase()));
            }
            "node" | "node_uuid" => {
                let at = find_node(state, v, ctx.version, false)?;
                out.push(("node_uuid".to_owned(), state.nodes[at].uuid().to_owned()));
            }
            "portgroup" => {
                let at = portgroups::find(state, v)?;
                let uuid = state.portgroups[at].uuid().to_owned();
                out.push(("portgroup_uuid".to_owned(), uuid));
            }
            _ => out.push((k.clone(), v.clone())),
        }
    }
    Ok(out)
}

pub(crate) fn list_ports(
    state: &State,
    ctx: &Ctx,
    query: &[(String, String)],
    detail_path: bool,
    node_uuid: Option<&str>,
) -> Result<Reply, ApiError> {
    let p = list::params(
        query,
        &[
            "address",
            "node",
            "node_uuid",
            "portgroup",
            "shard",
            "conductor_groups",
        ],
        &["id", "uuid", "address", "created_at", "updated_at", "name"],
    )?;
    let detail = detail_path || p.detail == Some(true);
    if let Some(fields) = &p.fields {
        if p.detail == Some(true) {
            return Err(ApiError::client(
                400,
                "Can not specify ?detail=True and fields in the same request.",
            ));
        }
        check_port_fields(fields)?;
    }
    let mut filters = port_filters(state, ctx, &p.filters)?;
    if let Some(uuid) = node_uuid {
        filters.push(("node_uuid".to_owned(), uuid.to_owned()));
    }
    let candidates: Vec<&Port> = state
        .ports
        .iter()
        .filter(|port| {
            filters.iter().all(|(k, v)| match k.as_str() {
                "address" => port.address() == v,
                "node_uuid" => port.node_uuid() == v,
                "portgroup_uuid" => port.portgroup_uuid() == Some(v.as_str()),
                _ => true,
            })
        })
        .collect();
    let rows = list::rows(&candidates, &p.sort_key, |port| {
        (port.id, port.uuid(), &port.doc)
    });
    let kept = list::page(&rows, &p, |m| ApiError::not_found("Port", m))?;
    let short = vec!["uuid".to_owned(), "address".to_owned()];
    let items: Vec<Json> = kept
        .iter()
        .map(|i| {
            let port = candidates[*i];
            if detail {
                port.full(ctx.version, ctx.base)
            } else {
                port.only(
                    Some(p.fields.as_deref().unwrap_or(&short)),
                    ctx.version,
                    ctx.base,
                )
            }
        })
        .collect();
    let mut members = vec![("ports".to_owned(), Json::Array(items))];
    if let Some(limit) = p.limit
        && kept.len() == limit
    {
        let last = candidates[kept[kept.len() - 1]].uuid();
        let fields = if detail {
            None
        } else {
            Some(p.fields_raw.as_deref().unwrap_or("uuid,address"))
        };
        let resource = match (node_uuid, detail_path) {
            (Some(n), true) => format!("nodes/{n}/ports/detail"),
            (Some(n), false) => format!("nodes/{n}/ports"),
            (None, true) => "ports/detail".to_owned(),
            (None, false) => "ports".to_owned(),
        };
        members.push((
            "next".to_owned(),
            Json::str(list::next_link(
                ctx.base, &resource, &p, fields, limit, last,
            )),
        ));
    }
    ok(200, Json::Object(members))
}

/// The uuid of the node `ident` names for its ports and portgroups: Ironic 39 answers a node
/// name (and an unknown uuid) with `Portgroup None could not be found.`
pub(crate) fn node_of_sublist(state: &State, ident: &str) -> Result<String, ApiError> {
    let lower = ident.to_ascii_lowercase();
    if !is_uuid_like(ident) || !state.nodes.iter().any(|n| n.uuid() == lower) {
        return Err(ApiError::client(404, "Portgroup None could not be found."));
    }
    Ok(lower)
}

fn node_ports(
    state: &State,
    ctx: &Ctx,
    ident: &str,
    query: &[(String, String)],
    detail: bool,
) -> Result<Reply, ApiError> {
    let node = node_of_sublist(state, ident)?;
    list_ports(state, ctx, query, detail, Some(&node))
}

fn create_port(state: &mut State, ctx: &Ctx) -> Result<Reply, ApiError> {
    let body = body(ctx)?.unwrap_or_else(Json::empty);
    let doc = ports::create(&body, ctx.now.wall)?;
    let node_uuid = doc
        .get("node_uuid")
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_owned();
    if !state.nodes.iter().any(|n| n.uuid() == node_uuid) {
        let given = body
            .get("node_uuid")
            .or_else(|| body.get("node_ident"))
            .and_then(Json::as_str)
            .unwrap_or("");
        return Err(ApiError::client(
            400,
            format!("Node {given} could not be found."),
        ));
    }
    check_membership(state, &doc, true)?;
    state.next_id += 1;
    let port = Port {
        id: state.next_id,
        doc,
    };
    if state.ports.iter().any(|p| p.address() == port.address()) {
        return Err(ports::duplicate_mac(port.address()));
    }
    if let Some(name) = port.name()
        && state.ports.iter().any(|p| p.name() == Some(name))
    {
        return Err(ApiError::client(
            409,
            format!("A port with UUID {} already exists.", port.uuid()),
        ));
    }
    if state.ports.iter().any(|p| p.uuid() == port.uuid()) {
        return Err(ApiError::client(
            409,
            format!("A port with UUID {} already exists.", port.uuid()),
        ));
    }
    let reply = port.full(ctx.version, ctx.base);
    let location = format!("{}/v1/ports/{}", ctx.base, port.uuid());
    state.ports.push(port);
    created(reply, location)
}

fn patch_port(state: &mut State, ctx: &Ctx, ident: &str) -> Result<Reply, ApiError> {
    let body = body(ctx)?.unwrap_or(Json::Null);
    let ops = patch::parse(&body)?;
    let at = find_port(state, ident, ctx.version)?;
    patch::check_allowed(&ops, ports::PATCHABLE)?;
    let port = &state.ports[at];
    let mut doc = port.doc.clone();
    patch::apply(&mut doc, &ops)?;
    let address = doc
        .get("address")
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_owned();
    if !super::ids::is_valid_mac(&address) {
        return Err(ports::bad_mac(&address));
    }
    let address = address.to_ascii_lowercase();
    let uuid = port.uuid().to_owned();
    if state
        .ports
        .iter()
        .any(|p| p.uuid() != uuid && p.address() == address)
    {
        return Err(ports::duplicate_mac(&address));
    }
    let node_uuid = doc
        .get("node_uuid")
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_owned();
    if !is_uuid_like(&node_uuid) {
        return Err(ApiError::client(
            400,
            format!("Expected UUID for node_uuid: {node_uuid}"),
        ));
    }
    if !state
        .nodes
        .iter()
        .any(|n| n.uuid() == node_uuid.to_ascii_lowercase())
    {
        return Err(ApiError::client(
            400,
            format!("Node {node_uuid} could not be found."),
        ));
    }
    check_membership(state, &doc, false)?;
    doc.set("address", Json::str(address));
    for field in ["extra", "local_link_connection"] {
        if doc.get(field).is_none_or(Json::is_null) {
            doc.set(field, Json::empty());
        }
    }
    doc.set("updated_at", Json::str(timestamp(ctx.now.wall)));
    let port = &mut state.ports[at];
    port.doc = doc;
    ok(200, port.full(ctx.version, ctx.base))
}

/// A port's `portgroup_uuid`: a uuid of an existing portgroup; at creation one of the
/// port's node (Ironic 39 does not check the node on a patch).
fn check_membership(state: &State, doc: &Json, creating: bool) -> Result<(), ApiError> {
    let Some(group) = doc.get("portgroup_uuid").and_then(Json::as_str) else {
        return Ok(());
    };
    if creating && !is_uuid_like(group) {
        return Err(ApiError::client(
            400,
            format!("Expected UUID for portgroup_uuid: {group}"),
        ));
    }
    let lower = group.to_ascii_lowercase();
    let Some(portgroup) = state.portgroups.iter().find(|p| p.uuid() == lower) else {
        return Err(ApiError::client(
            400,
            format!("Portgroup {group} could not be found."),
        ));
    };
    let node = doc.get("node_uuid").and_then(Json::as_str).unwrap_or("");
    if creating && portgroup.node_uuid() != node {
        return Err(ApiError::client(
            400,
            "Port can not be added to a portgroup belonging to a different node.",
        ));
    }
    Ok(())
}
