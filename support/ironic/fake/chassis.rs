//! Chassis: the stored record in the real field order (with Ironic 39's `nodes` link list
//! nested one level too deep, as it answers), and the schema checks of a create or a patch.

use std::time::SystemTime;

use super::errors::ApiError;
use super::ids::timestamp;
use super::json::Json;
use super::nodes::{links, schema_members};

/// Every chassis field in the real order (all since 1.1).
pub const FIELDS: &[(&str, u32)] = &[
    ("uuid", 1),
    ("created_at", 1),
    ("updated_at", 1),
    ("description", 1),
    ("extra", 1),
    ("links", 1),
    ("nodes", 1),
];

/// What a POST may set, and a PATCH touch (in the order of the real schema, which the
/// patch error lists).
pub const SETTABLE: &[&str] = &["uuid", "extra", "description"];

/// The fields `?fields=` may name, as the real schema error lists them.
pub const SELECTABLE: &str =
    "['created_at', 'description', 'extra', 'links', 'nodes', 'updated_at', 'uuid']";

/// A stored chassis.
#[derive(Clone, Debug)]
pub struct Chassis {
    /// Insertion order (the database id the real server sorts by).
    pub id: u64,
    /// Every field except the links, in [`FIELDS`] order.
    pub doc: Json,
}

impl Chassis {
    /// The uuid.
    pub fn uuid(&self) -> &str {
        self.doc.get("uuid").and_then(Json::as_str).unwrap_or("")
    }

    /// The fields in `wanted` (all when `None`), in the real order, plus `links`.
    pub fn only(&self, wanted: Option<&[String]>, version: u32, base: &str) -> Json {
        let uuid = self.uuid();
        super::views::select(FIELDS, wanted, version, |f| match f {
            "links" => links(base, &format!("chassis/{uuid}")),
            "nodes" => Json::Array(vec![links(base, &format!("chassis/{uuid}/nodes"))]),
            _ => self.doc.get(f).cloned().unwrap_or(Json::Null),
        })
    }
}

/// Checks `?fields=` against the selectable fields.
pub fn check_fields(fields: &[String]) -> Result<(), ApiError> {
    super::views::check_selectable(fields, SELECTABLE)
}

/// The JSON types of the real schema (`what` is `chassis` on a create, `patch` on a patch).
pub fn check_types(what: &str, doc: &Json) -> Result<(), ApiError> {
    let wrong = |field: &str, types: &str, ok: bool| match doc.get(field) {
        Some(value) if !ok => Err(ApiError::client(
            400,
            format!(
                "Schema error for {what}: {} is not of type {types}",
                value.repr()
            ),
        )),
        _ => Ok(()),
    };
    let description = doc.get("description");
    wrong(
        "description",
        "'string', 'null'",
        matches!(description, None | Some(Json::Str(_) | Json::Null)),
    )?;
    let extra = doc.get("extra");
    wrong(
        "extra",
        "'object', 'null'",
        matches!(extra, None | Some(Json::Object(_) | Json::Null)),
    )
}

/// Checks a POST body; the new document.
pub fn create(body: &Json, now: SystemTime) -> Result<Json, ApiError> {
    schema_members("chassis", body, SETTABLE)?;
    check_types("chassis", body)?;
    let uuid = super::ids::given_or_new_uuid(body)?;
    let mut doc = Json::Object(Vec::new());
    doc.set("uuid", Json::str(uuid));
    doc.set("created_at", Json::str(timestamp(now)));
    doc.set("updated_at", Json::Null);
    doc.set(
        "description",
        body.get("description").cloned().unwrap_or(Json::Null),
    );
    let extra = body.get("extra").cloned().filter(|e| !e.is_null());
    doc.set("extra", extra.unwrap_or_else(Json::empty));
    Ok(doc)
}
