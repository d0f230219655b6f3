//! Portgroups (microversion 1.23): the stored record in the real field order, its views
//! per microversion, and the creation and patch rules of Ironic 39 (a node by uuid only, a
//! MAC unique among portgroups, `mode` never removed).

use std::time::SystemTime;

use super::errors::ApiError;
use super::ids::{is_uuid_like, is_valid_logical_name, is_valid_mac, timestamp, uuid4};
use super::json::{Json, py_str_repr};
use super::nodes::links;

/// The microversion that brought portgroups.
pub const SINCE: u32 = 23;

/// Every portgroup field in the real order, with the microversion that shows it.
pub const FIELDS: &[(&str, u32)] = &[
    ("uuid", 1),
    ("created_at", 1),
    ("updated_at", 1),
    ("address", 1),
    ("extra", 1),
    ("internal_info", 1),
    ("mode", 26),
    ("name", 1),
    ("properties", 26),
    ("standalone_ports_supported", 1),
    ("node_uuid", 1),
    ("physical_network", 102),
    ("category", 103),
    ("dynamic_portgroup", 111),
    ("links", 1),
    ("ports", 24),
];

/// The fields a PATCH may touch, in the order of the real error message.
pub const PATCHABLE: &[&str] = &[
    "address",
    "extra",
    "mode",
    "name",
    "node_uuid",
    "properties",
    "standalone_ports_supported",
    "physical_network",
    "category",
];

/// The fields a POST may set.
const CREATABLE: &[&str] = &[
    "address",
    "category",
    "extra",
    "mode",
    "name",
    "node_uuid",
    "physical_network",
    "properties",
    "standalone_ports_supported",
    "uuid",
];

/// The fields `?fields=` may name, as the real schema error lists them.
pub const SELECTABLE: &str = "['address', 'category', 'created_at', 'dynamic_portgroup', 'extra', 'internal_info', 'links', 'mode', 'name', 'node_uuid', 'physical_network', 'ports', 'properties', 'standalone_ports_supported', 'updated_at', 'uuid']";

/// A stored portgroup.
#[derive(Clone, Debug)]
pub struct Portgroup {
    /// Insertion order (the database id the real server sorts by).
    pub id: u64,
    /// Every field except the links, in [`FIELDS`] order.
    pub doc: Json,
}

impl Portgroup {
    /// The uuid.
    pub fn uuid(&self) -> &str {
        self.doc.get("uuid").and_then(Json::as_str).unwrap_or("")
    }

    /// The name, if any.
    pub fn name(&self) -> Option<&str> {
        self.doc.get("name").and_then(Json::as_str)
    }

    /// The MAC address, if any.
    pub fn address(&self) -> Option<&str> {
        self.doc.get("address").and_then(Json::as_str)
    }

    /// The node's uuid.
    pub fn node_uuid(&self) -> &str {
        self.doc
            .get("node_uuid")
            .and_then(Json::as_str)
            .unwrap_or("")
    }

    fn field(&self, field: &str, base: &str) -> Json {
        match field {
            "links" => links(base, &format!("portgroups/{}", self.uuid())),
            "ports" => links(base, &format!("portgroups/{}/ports", self.uuid())),
            _ => self.doc.get(field).cloned().unwrap_or(Json::Null),
        }
    }

    /// The fields in `wanted` (all when `None`) shown at `version`, in the real order, plus
    /// `links`.
    pub fn only(&self, wanted: Option<&[String]>, version: u32, base: &str) -> Json {
        super::views::select(FIELDS, wanted, version, |f| self.field(f, base))
    }
}

/// 409 for a MAC another portgroup has.
pub fn duplicate_mac(address: &str) -> ApiError {
    ApiError::client(
        409,
        format!("A portgroup with MAC address {address} already exists."),
    )
}

/// Checks `?fields=` against the selectable fields.
pub fn check_fields(fields: &[String]) -> Result<(), ApiError> {
    super::views::check_selectable(fields, SELECTABLE)
}

/// The JSON types the real schema allows each field.
fn check_types(members: &[(String, Json)]) -> Result<(), ApiError> {
    for (key, value) in members {
        let (ok, types) = match key.as_str() {
            "extra" | "properties" => (
                matches!(value, Json::Object(_) | Json::Null),
                "'object', 'null'",
            ),
            "node_uuid" => (matches!(value, Json::Str(_)), "'string'"),
            "standalone_ports_supported" => (
                matches!(value, Json::Str(_) | Json::Bool(_) | Json::Null),
                "'string', 'boolean', 'null'",
            ),
            _ => (
                matches!(value, Json::Str(_) | Json::Null),
                "'string', 'null'",
            ),
        };
        if !ok {
            return Err(ApiError::client(
                400,
                format!(
                    "Schema error for portgroup: {} is not of type {types}",
                    value.repr()
                ),
            ));
        }
    }
    Ok(())
}

/// Checks the values the schema leaves to the validators: the node's and the portgroup's
/// uuids, the MAC, the boolean; returns `standalone_ports_supported` as a boolean.
fn check_values(body: &Json) -> Result<bool, ApiError> {
    for field in ["node_uuid", "uuid"] {
        if let Some(value) = body.get(field).and_then(Json::as_str)
            && !is_uuid_like(value)
        {
            return Err(ApiError::client(
                400,
                format!("Expected UUID for {field}: {value}"),
            ));
        }
    }
    if let Some(address) = body.get("address").and_then(Json::as_str)
        && !is_valid_mac(address)
    {
        return Err(super::ports::bad_mac(address));
    }
    match body.get("standalone_ports_supported") {
        None | Some(Json::Null) => Ok(true),
        Some(value) => value.as_bool_like().ok_or_else(|| {
            ApiError::client(
                400,
                format!(
                    "Unrecognized value '{}', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'",
                    value.as_str().unwrap_or_default()
                ),
            )
        }),
    }
}

/// Checks a POST body at `version` (the node's existence is the caller's); the new document.
pub fn create(body: &Json, version: u32, now: SystemTime) -> Result<Json, ApiError> {
    let members = super::nodes::schema_members("portgroup", body, CREATABLE)?;
    check_types(members)?;
    if body.get("node_uuid").is_none() {
        return Err(ApiError::client(
            400,
            "Schema error for portgroup: 'node_uuid' is a required property",
        ));
    }
    let standalone = check_values(body)?;
    let set = |f: &str| {
        body.get(f)
            .is_some_and(|v| !v.is_null() && v != &Json::empty())
    };
    if version < 26 && (set("mode") || set("properties")) {
        return Err(ApiError::client(406, "Request not acceptable."));
    }
    Ok(document(body, standalone, now))
}

/// 400 for a name that is no logical name (`Cannot create` or, on a patch, `Cannot change`).
pub fn check_name(name: Option<&str>, patched: Option<&str>) -> Result<(), ApiError> {
    let Some(name) = name.filter(|n| !n.is_empty() && !is_valid_logical_name(n)) else {
        return Ok(());
    };
    let text = match patched {
        None => format!(
            "Cannot create portgroup with invalid name {}",
            py_str_repr(name)
        ),
        Some(ident) => format!(
            "Portgroup {ident}: Cannot change name to invalid name {}",
            py_str_repr(name)
        ),
    };
    Err(ApiError::client(400, text))
}

fn document(body: &Json, standalone: bool, now: SystemTime) -> Json {
    let uuid = match body.get("uuid").and_then(Json::as_str) {
        Some(u) => u.to_ascii_lowercase(),
        None => uuid4(),
    };
    let mut doc = Json::Object(Vec::new());
    for (field, _) in FIELDS {
        let value = match *field {
            "links" | "ports" => continue,
            "uuid" => Json::str(&uuid),
            "created_at" => Json::str(timestamp(now)),
            "address" | "node_uuid" => match body.get(field).and_then(Json::as_str) {
                Some(text) => Json::str(text.to_ascii_lowercase()),
                None => Json::Null,
            },
            "extra" | "internal_info" | "properties" => body
                .get(field)
                .cloned()
                .filter(|v| !v.is_null())
                .unwrap_or_else(Json::empty),
            "mode" => body
                .get(field)
                .cloned()
                .filter(|v| !v.is_null())
                .unwrap_or_else(|| Json::str("active-backup")),
            "standalone_ports_supported" => Json::Bool(standalone),
            "dynamic_portgroup" => Json::Bool(false),
            f => body.get(f).cloned().unwrap_or(Json::Null),
        };
        doc.set(field, value);
    }
    doc
}

/// Checks a patched document the way the real server does after applying the patch, and
/// normalises it (MAC lower case, empty maps for removed ones, a boolean).
pub fn check_patched(doc: &mut Json) -> Result<(), ApiError> {
    if doc.get("mode").is_none() {
        return Err(ApiError::client(
            400,
            "'mode' is a mandatory attribute and can not be removed",
        ));
    }
    for (field, _) in FIELDS {
        if !matches!(*field, "links" | "ports") && doc.get(field).is_none() {
            doc.set(field, Json::Null);
        }
    }
    if doc.get("mode").is_none_or(Json::is_null) {
        return Err(ApiError::client(
            400,
            "'mode' is a mandatory attribute and can not be removed",
        ));
    }
    if let Json::Object(members) = &*doc {
        let shown: Vec<(String, Json)> = members
            .iter()
            .filter(|(k, _)| CREATABLE.contains(&k.as_str()))
            .cloned()
            .collect();
        check_types(&shown)?;
    }
    let standalone = check_values(doc)?;
    doc.set("standalone_ports_supported", Json::Bool(standalone));
    if let Some(address) = doc.get("address").and_then(Json::as_str) {
        let lower = address.to_ascii_lowercase();
        doc.set("address", Json::Str(lower));
    }
    for field in ["extra", "properties"] {
        if doc.get(field).is_none_or(Json::is_null) {
            doc.set(field, Json::empty());
        }
    }
    Ok(())
}
