//! Deploy templates (microversion 1.55): the stored record in the real field order, the
//! schema checks of a create or a patch in the order Ironic 39 reports them (the template,
//! then each step), and its steps' `args` shown with secrets masked as oslo's
//! `mask_dict_password` masks them (by key).

use std::time::SystemTime;

use super::errors::ApiError;
use super::ids::timestamp;
use super::json::Json;

/// The microversion that brought deploy templates.
pub const SINCE: u32 = 55;

/// Every field shown, in the real order (`description` is accepted, but Ironic 39 neither
/// stores nor shows it).
pub const FIELDS: &[(&str, u32)] = &[
    ("uuid", 1),
    ("created_at", 1),
    ("updated_at", 1),
    ("name", 1),
    ("extra", 1),
    ("links", 1),
    ("steps", 1),
];

/// What a POST may set.
const CREATABLE: &[&str] = &["description", "extra", "name", "steps", "uuid"];

/// What a PATCH may touch, in the order of the real error message.
pub const PATCHABLE: &[&str] = &["extra", "name", "steps", "description"];

/// The fields `?fields=` may name, as the real schema error lists them.
pub const SELECTABLE: &str =
    "['created_at', 'description', 'extra', 'links', 'name', 'steps', 'updated_at', 'uuid']";

/// A stored deploy template.
#[derive(Clone, Debug)]
pub struct DeployTemplate {
    /// Insertion order (the database id the real server sorts by).
    pub id: u64,
    /// Every field except `links`.
    pub doc: Json,
}

impl DeployTemplate {
    /// The uuid.
    pub fn uuid(&self) -> &str {
        self.doc.get("uuid").and_then(Json::as_str).unwrap_or("")
    }

    /// The name.
    pub fn name(&self) -> Option<&str> {
        self.doc.get("name").and_then(Json::as_str)
    }

    /// The fields in `wanted` (all when `None`), in the real order, plus `links`; secrets in
    /// the steps' `args` masked.
    pub fn only(&self, wanted: Option<&[String]>, version: u32, base: &str) -> Json {
        super::step_rules::show(
            &self.doc,
            FIELDS,
            "deploy_templates",
            (wanted, version, base),
        )
    }
}

/// Checks a template document (a POST body, `what` = `template`; or a patched template,
/// `patch`) as the real schema and validators do.
pub fn check(what: &str, doc: &Json, allowed: &[&str]) -> Result<(), ApiError> {
    let Json::Object(members) = doc else {
        return Err(super::step_rules::schema(
            what,
            format!("{} is not of type 'object'", doc.repr()),
        ));
    };
    if let Some((k, _)) = members.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return Err(super::step_rules::schema(
            what,
            format!("Additional properties are not allowed ('{k}' was unexpected)"),
        ));
    }
    for required in ["steps", "name"] {
        if doc.get(required).is_none() {
            return Err(super::step_rules::schema(
                what,
                format!("'{required}' is a required property"),
            ));
        }
    }
    if let Some(name) = doc.get("name") {
        let valid = name.as_str().is_some_and(super::trait_names::is_valid);
        if !valid {
            let repr = name.repr();
            return Err(super::step_rules::schema(
                what,
                format!(
                    "{repr} is not valid under any of the given schemas. Possible root cause: {repr} does not match '^CUSTOM_[A-Z0-9_]+$'"
                ),
            ));
        }
    }
    super::step_rules::check_steps(what, doc, &super::step_rules::DEPLOY)
}

/// The document of a checked POST body (its steps as given: the answer to the POST shows
/// them so; the caller stores them with [`stored_steps`]).
pub fn create(body: &Json, now: SystemTime) -> Result<Json, ApiError> {
    check("template", body, CREATABLE)?;
    let uuid = super::ids::given_or_new_uuid(body)?;
    let mut doc = Json::Object(Vec::new());
    doc.set("uuid", Json::str(uuid));
    doc.set("created_at", Json::str(timestamp(now)));
    doc.set("updated_at", Json::Null);
    doc.set("name", body.get("name").cloned().unwrap_or(Json::Null));
    let extra = body.get("extra").cloned().filter(|e| !e.is_null());
    doc.set("extra", extra.unwrap_or_else(Json::empty));
    doc.set("steps", body.get("steps").cloned().unwrap_or(Json::Null));
    Ok(doc)
}
