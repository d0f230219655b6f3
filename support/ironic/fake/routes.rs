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

fn ok(status: u16, body: Json) -> Result<Reply, ApiError> {
    Ok(Reply {
        status,
        body: body.dumps(),
        location: None,
    })
}

fn empty(status: u16, location: Option<String>) -> Result<Reply, ApiError> {
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

/// The body as JSON; an empty body is `None`. Malformed JSON is the real 500.
fn body(ctx: &Ctx) -> Result<Option<Json>, ApiError> {
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
                    Some(fields) => {
                        check_node_fields(&fields, false)?;
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
fn find_node(state: &State, ident: &str, version: u32, get_style: bool) -> Result<usize, ApiError> {
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

fn find_port(state: &State, ident: &str, version: u32) -> Result<usize, ApiError> {
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

fn fields_param(query: &[(String, String)]) -> Result<Option<Vec<String>>, ApiError> {
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
        if f == "links" && listing {
            return Err(ApiError::server(
                "type object 'Node' has no attribute 'links'",
            ));
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
            "associated" => {
                let want = json::parse_bool(v).ok_or_else(|| list::bad_bool("associated", v))?;
                node.doc.get("instance_uuid").is_some_and(|u| !u.is_null()) == want
            }
            "description_contains" => node
                .text("description")
                .is_some_and(|d| d.contains(v.as_str())),
            "driver" | "instance_uuid" | "chassis_uuid" | "resource_class" | "fault"
            | "conductor_group" | "owner" | "lessee" | "shard" | "parent_node" => {
                node.text(k) == Some(v.as_str())
            }
            "conductor" => v == HOST,
            _ => true,
        };
        if !keep {
            return Ok(false);
        }
    }
    Ok(true)
}

fn sort_value(doc: &Json, key: &str) -> Option<String> {
    match doc.get(key)? {
        Json::Null => None,
        Json::Str(s) => Some(s.clone()),
        other => Some(other.dumps()),
    }
}

fn list_nodes(
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
    }
    let mut candidates = Vec::new();
    for node in &state.nodes {
        if node_matches(node, &p.filters)? {
            candidates.push(node);
        }
    }
    let rows: Vec<(u64, String, Option<String>)> = candidates
        .iter()
        .map(|n| (n.id, n.uuid().to_owned(), sort_value(&n.doc, &p.sort_key)))
        .collect();
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
    state.next_id += 1;
    let node = Node {
        id: state.next_id,
        doc,
        pending: Vec::new(),
    };
    let reply = node.full(ctx.version, ctx.base).dumps();
    let location = format!("{}/v1/nodes/{}", ctx.base, node.uuid());
    state.nodes.push(node);
    Ok(Reply {
        status: 201,
        body: reply,
        location: Some(location),
    })
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
            _ => out.push((k.clone(), v.clone())),
        }
    }
    Ok(out)
}

fn list_ports(
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
                _ => true,
            })
        })
        .collect();
    let rows: Vec<(u64, String, Option<String>)> = candidates
        .iter()
        .map(|port| {
            (
                port.id,
                port.uuid().to_owned(),
                sort_value(&port.doc, &p.sort_key),
            )
        })
        .collect();
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

fn node_ports(
    state: &State,
    ctx: &Ctx,
    ident: &str,
    query: &[(String, String)],
    detail: bool,
) -> Result<Reply, ApiError> {
    // Ironic 39 answers a node name (and an unknown uuid) with this.
    let portgroup_none = || ApiError::client(404, "Portgroup None could not be found.");
    if !is_uuid_like(ident) {
        return Err(portgroup_none());
    }
    let lower = ident.to_ascii_lowercase();
    if !state.nodes.iter().any(|n| n.uuid() == lower) {
        return Err(portgroup_none());
    }
    list_ports(state, ctx, query, detail, Some(&lower))
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
    let reply = port.full(ctx.version, ctx.base).dumps();
    let location = format!("{}/v1/ports/{}", ctx.base, port.uuid());
    state.ports.push(port);
    Ok(Reply {
        status: 201,
        body: reply,
        location: Some(location),
    })
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
