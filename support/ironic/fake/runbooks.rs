//! Runbooks (microversion 1.92): the stored record in the real field order (its
//! `description` and `traits` shown from 1.112), and the schema checks of a create or a patch:
//! the name a trait below 1.112 and a logical name from it, the steps as runbook steps
//! (`order`, optional `args`).

use std::time::SystemTime;

use super::errors::ApiError;
use super::ids::timestamp;
use super::json::Json;
use super::step_rules::{self, RUNBOOK, schema};

/// The microversion that brought runbooks.
pub const SINCE: u32 = 92;

/// The microversion that brought a runbook's description, traits and logical names.
pub const TRAITS_SINCE: u32 = 112;

/// Every field shown, in the real order, with the microversion that shows it.
pub const FIELDS: &[(&str, u32)] = &[
    ("uuid", 1),
    ("created_at", 1),
    ("updated_at", 1),
    ("name", 1),
    ("extra", 1),
    ("public", 1),
    ("owner", 1),
    ("disable_ramdisk", 1),
    ("description", TRAITS_SINCE),
    ("links", 1),
    ("steps", 1),
    ("traits", TRAITS_SINCE),
];

/// What a POST may set from 1.112 (traits have a sub-resource of their own); below it, all
/// but the last (`description`).
const CREATABLE: &[&str] = &[
    "uuid",
    "name",
    "steps",
    "disable_ramdisk",
    "extra",
    "public",
    "owner",
    "description",
];

/// What a PATCH may touch from 1.112, in the order of the real error message; below it, all
/// but the last (`description`).
const PATCHABLE: &[&str] = &[
    "disable_ramdisk",
    "extra",
    "name",
    "owner",
    "public",
    "steps",
    "description",
];

/// The fields of `all` at `version`: `description` only from 1.112.
fn at(all: &'static [&'static str], version: u32) -> &'static [&'static str] {
    if version >= TRAITS_SINCE {
        all
    } else {
        &all[..all.len() - 1]
    }
}

/// What a POST may set at `version`.
pub fn creatable(version: u32) -> &'static [&'static str] {
    at(CREATABLE, version)
}

/// What a PATCH may touch at `version`.
pub fn patchable(version: u32) -> &'static [&'static str] {
    at(PATCHABLE, version)
}

/// A stored runbook.
#[derive(Clone, Debug)]
pub struct Runbook {
    /// Insertion order (the database id the real server sorts by).
    pub id: u64,
    /// Every field except `links`.
    pub doc: Json,
}

impl Runbook {
    /// The uuid.
    pub fn uuid(&self) -> &str {
        self.doc.get("uuid").and_then(Json::as_str).unwrap_or("")
    }

    /// The name.
    pub fn name(&self) -> Option<&str> {
        self.doc.get("name").and_then(Json::as_str)
    }

    /// The fields in `wanted` (all when `None`) shown at `version`, plus `links`; secrets in
    /// the steps' `args` masked.
    pub fn only(&self, wanted: Option<&[String]>, version: u32, base: &str) -> Json {
        super::step_rules::show(&self.doc, FIELDS, "runbooks", (wanted, version, base))
    }
}

/// The name rule at `version`: a trait below 1.112, a logical name from it.
fn check_name(what: &str, name: &Json, version: u32) -> Result<(), ApiError> {
    let text = name.as_str().unwrap_or_default();
    let repr = name.repr();
    if version < TRAITS_SINCE {
        if name.as_str().is_some_and(super::trait_names::is_valid) {
            return Ok(());
        }
        return Err(schema(
            what,
            format!(
                "{repr} is not valid under any of the given schemas. Possible root cause: {repr} does not match '^CUSTOM_[A-Z0-9_]+$'"
            ),
        ));
    }
    let logical = !text.is_empty()
        && text.len() <= 255
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c));
    if logical {
        return Ok(());
    }
    Err(schema(
        what,
        format!("{repr} does not match '^[A-Za-z0-9\\\\-._~]+$'"),
    ))
}

/// The JSON types of the real schema.
fn check_types(what: &str, doc: &Json) -> Result<(), ApiError> {
    let rules: [(&str, &str); 5] = [
        ("disable_ramdisk", "'boolean', 'null'"),
        ("public", "'boolean', 'null'"),
        ("owner", "'string', 'null'"),
        ("description", "'string', 'null'"),
        ("extra", "'object', 'null'"),
    ];
    for (field, types) in rules {
        let Some(value) = doc.get(field) else {
            continue;
        };
        let fits = match types {
            "'boolean', 'null'" => matches!(value, Json::Bool(_) | Json::Null),
            "'string', 'null'" => matches!(value, Json::Str(_) | Json::Null),
            _ => matches!(value, Json::Object(_) | Json::Null),
        };
        if !fits {
            return Err(schema(
                what,
                format!("{} is not of type {types}", value.repr()),
            ));
        }
    }
    Ok(())
}

/// Checks a runbook document (a POST body, `what` = `runbook`; or a patched runbook,
/// `patch`) at `version`, as the real schema and validators do.
pub fn check(what: &str, doc: &Json, allowed: &[&str], version: u32) -> Result<(), ApiError> {
    let Json::Object(members) = doc else {
        return Err(schema(
            what,
            format!("{} is not of type 'object'", doc.repr()),
        ));
    };
    if let Some((k, _)) = members.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return Err(schema(
            what,
            format!("Additional properties are not allowed ('{k}' was unexpected)"),
        ));
    }
    for required in ["steps", "name"] {
        if doc.get(required).is_none() {
            return Err(schema(what, format!("'{required}' is a required property")));
        }
    }
    if let Some(name) = doc.get("name") {
        check_name(what, name, version)?;
    }
    check_types(what, doc)?;
    step_rules::check_steps(what, doc, &RUNBOOK)
}

/// The document of a checked POST body at `version` (the owner the caller's project: none
/// with noauth or http_basic).
pub fn create(body: &Json, version: u32, now: SystemTime) -> Result<Json, ApiError> {
    check("runbook", body, creatable(version), version)?;
    if body
        .get("owner")
        .is_some_and(|o| !o.is_null() && o != &Json::str(""))
    {
        return Err(ApiError::client(
            400,
            "Cannot create a runbook as a project scoped admin with an owner other than your own project.",
        ));
    }
    let uuid = super::ids::given_or_new_uuid(body)?;
    let flag = |field: &str| Json::Bool(body.get(field) == Some(&Json::Bool(true)));
    let mut doc = Json::Object(Vec::new());
    doc.set("uuid", Json::str(uuid));
    doc.set("created_at", Json::str(timestamp(now)));
    doc.set("updated_at", Json::Null);
    doc.set("name", body.get("name").cloned().unwrap_or(Json::Null));
    let extra = body.get("extra").cloned().filter(|e| !e.is_null());
    doc.set("extra", extra.unwrap_or_else(Json::empty));
    doc.set("public", flag("public"));
    doc.set("owner", Json::Null);
    doc.set("disable_ramdisk", flag("disable_ramdisk"));
    let description = body.get("description").cloned();
    doc.set("description", description.unwrap_or(Json::Null));
    let steps = body.get("steps").map(step_rules::stored_steps);
    doc.set("steps", steps.unwrap_or(Json::Null));
    doc.set("traits", Json::Array(Vec::new()));
    Ok(doc)
}
