//! Ports: the stored record in the real field order, its views per microversion, and the
//! creation and patch rules (MAC checks, node by uuid only).

use std::time::SystemTime;

use super::errors::ApiError;
use super::ids::{is_uuid_like, is_valid_mac, timestamp};
use super::json::Json;
use super::nodes::links;

/// Every port field in the real order, with the microversion that introduced it.
pub const FIELDS: &[(&str, u32)] = &[
    ("uuid", 1),
    ("created_at", 1),
    ("updated_at", 1),
    ("address", 1),
    ("extra", 1),
    ("internal_info", 18),
    ("is_smartnic", 53),
    ("local_link_connection", 19),
    ("physical_network", 34),
    ("pxe_enabled", 19),
    ("node_uuid", 1),
    ("name", 88),
    ("description", 97),
    ("vendor", 100),
    ("category", 101),
    ("available_for_dynamic_portgroup", 111),
    ("links", 1),
    ("portgroup_uuid", 24),
];

/// The fields a port PATCH may touch, in the order of the real error message.
pub const PATCHABLE: &[&str] = &[
    "address",
    "extra",
    "is_smartnic",
    "local_link_connection",
    "node_ident",
    "node_uuid",
    "physical_network",
    "portgroup_uuid",
    "pxe_enabled",
    "name",
    "description",
    "vendor",
    "category",
    "available_for_dynamic_portgroup",
];

const CREATABLE: &[&str] = &[
    "address",
    "extra",
    "is_smartnic",
    "local_link_connection",
    "node_uuid",
    "node_ident",
    "physical_network",
    "portgroup_uuid",
    "pxe_enabled",
    "uuid",
    "name",
    "description",
    "vendor",
    "category",
    "available_for_dynamic_portgroup",
];

/// A stored port.
#[derive(Clone, Debug)]
pub struct Port {
    /// Insertion order.
    pub id: u64,
    /// Every field except `links`, in [`FIELDS`] order.
    pub doc: Json,
}

impl Port {
    /// The uuid.
    pub fn uuid(&self) -> &str {
        self.doc.get("uuid").and_then(Json::as_str).unwrap_or("")
    }

    /// The MAC address (lower case).
    pub fn address(&self) -> &str {
        self.doc.get("address").and_then(Json::as_str).unwrap_or("")
    }

    /// The node's uuid.
    pub fn node_uuid(&self) -> &str {
        self.doc
            .get("node_uuid")
            .and_then(Json::as_str)
            .unwrap_or("")
    }

    /// The portgroup's uuid, if the port is in one.
    pub fn portgroup_uuid(&self) -> Option<&str> {
        self.doc.get("portgroup_uuid").and_then(Json::as_str)
    }

    /// The name, if any.
    pub fn name(&self) -> Option<&str> {
        self.doc.get("name").and_then(Json::as_str)
    }

    /// One field at `version`.
    pub fn field(&self, field: &str, base: &str) -> Json {
        match field {
            "links" => links(base, &format!("ports/{}", self.uuid())),
            _ => self.doc.get(field).cloned().unwrap_or(Json::Null),
        }
    }

    /// The full port at `version`.
    pub fn full(&self, version: u32, base: &str) -> Json {
        self.only(None, version, base)
    }

    /// The fields in `wanted` (all when `None`), in the real order, plus `links`.
    pub fn only(&self, wanted: Option<&[String]>, version: u32, base: &str) -> Json {
        super::views::select(FIELDS, wanted, version, |f| self.field(f, base))
    }
}

/// 400 `Expected valid MAC address for address: X`.
pub fn bad_mac(address: &str) -> ApiError {
    ApiError::client(
        400,
        format!("Expected valid MAC address for address: {address}"),
    )
}

/// 409 for a MAC already used.
pub fn duplicate_mac(address: &str) -> ApiError {
    ApiError::client(
        409,
        format!("A port with MAC address {address} already exists."),
    )
}

/// Checks a POST body; returns the port document and the node uuid named.
pub fn create(body: &Json, now: SystemTime) -> Result<Json, ApiError> {
    super::nodes::schema_members("port", body, CREATABLE)?;
    if body.get("address").is_none() {
        return Err(ApiError::client(
            400,
            "Schema error for port: 'address' is a required property",
        ));
    }
    let node = body.get("node_uuid").or_else(|| body.get("node_ident"));
    let Some(node) = node else {
        return Err(ApiError::client(
            400,
            format!(
                "Schema error for port: {} is not valid under any of the given schemas. Possible root cause: 'node_ident' is a required property",
                body.repr()
            ),
        ));
    };
    let node = node.as_str().unwrap_or_default().to_owned();
    if !is_uuid_like(&node) {
        return Err(ApiError::client(
            400,
            format!("Expected UUID for node_uuid: {node}"),
        ));
    }
    let address = body
        .get("address")
        .and_then(Json::as_str)
        .unwrap_or_default();
    if !is_valid_mac(address) {
        return Err(bad_mac(address));
    }
    let uuid = super::ids::given_or_new_uuid(body)?;
    let mut doc = Json::Object(Vec::new());
    for (field, _) in FIELDS {
        let value = match *field {
            "links" => continue,
            "uuid" => Json::str(&uuid),
            "created_at" => Json::str(timestamp(now)),
            "address" => Json::str(address.to_ascii_lowercase()),
            "node_uuid" => Json::str(node.to_ascii_lowercase()),
            "extra" | "internal_info" | "local_link_connection" => body
                .get(field)
                .cloned()
                .filter(|v| !v.is_null())
                .unwrap_or_else(Json::empty),
            "is_smartnic" => body.get(field).cloned().unwrap_or(Json::Bool(false)),
            "pxe_enabled" | "available_for_dynamic_portgroup" => {
                body.get(field).cloned().unwrap_or(Json::Bool(true))
            }
            f => body.get(f).cloned().unwrap_or(Json::Null),
        };
        doc.set(field, value);
    }
    Ok(doc)
}
