//! Deploy templates (microversion 1.55): the stored record in the real field order, the
//! schema checks of a create or a patch in the order Ironic 39 reports them (the template,
//! then each step), and its steps' `args` shown with secrets masked as oslo's
//! `mask_dict_password` masks them (by key).

use std::time::SystemTime;

use super::errors::ApiError;
use super::ids::timestamp;
use super::json::Json;
use super::nodes::links;

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

/// The interfaces a deploy step may name, in the real enum's order.
const INTERFACES: &str = "['vendor', 'power', 'management', 'firmware', 'deploy', 'bios', 'raid']";

/// The members of a step, in the order the real schema requires them.
const STEP_MEMBERS: &[&str] = &["interface", "step", "args", "priority"];

/// Parts of a key that make oslo mask its value.
const SECRET_KEYS: &[&str] = &[
    "adminpass",
    "admin_pass",
    "password",
    "auth_token",
    "new_pass",
    "secret",
    "sys_pswd",
    "token",
    "configdrive",
    "chappassword",
    "encrypted_key",
    "private_key",
    "fernetkey",
    "sslkey",
    "passphrase",
];

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
        super::views::select(FIELDS, wanted, version, |f| match f {
            "links" => links(base, &format!("deploy_templates/{}", self.uuid())),
            "steps" => match self.doc.get("steps") {
                Some(Json::Array(steps)) => Json::Array(steps.iter().map(masked_step).collect()),
                _ => Json::Array(Vec::new()),
            },
            _ => self.doc.get(f).cloned().unwrap_or(Json::Null),
        })
    }
}

fn masked_step(step: &Json) -> Json {
    let mut step = step.clone();
    if let Some(args) = step.get("args") {
        let masked = mask(args);
        step.set("args", masked);
    }
    step
}

/// `value` with the values of secret keys replaced by `******`, recursively.
fn mask(value: &Json) -> Json {
    match value {
        Json::Object(members) => Json::Object(
            members
                .iter()
                .map(|(k, v)| {
                    let lower = k.to_ascii_lowercase();
                    let secret = SECRET_KEYS.iter().any(|s| lower.contains(s));
                    let v = if secret { Json::str("******") } else { mask(v) };
                    (k.clone(), v)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn schema(what: &str, text: String) -> ApiError {
    ApiError::client(400, format!("Schema error for {what}: {text}"))
}

/// Checks a template document (a POST body, `what` = `template`; or a patched template,
/// `patch`) as the real schema and validators do.
pub fn check(what: &str, doc: &Json, allowed: &[&str]) -> Result<(), ApiError> {
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
        let valid = name.as_str().is_some_and(super::trait_names::is_valid);
        if !valid {
            let repr = name.repr();
            return Err(schema(
                what,
                format!(
                    "{repr} is not valid under any of the given schemas. Possible root cause: {repr} does not match '^CUSTOM_[A-Z0-9_]+$'"
                ),
            ));
        }
    }
    let steps = match doc.get("steps") {
        Some(Json::Array(steps)) if steps.is_empty() => {
            return Err(schema(what, "[] should be non-empty".to_owned()));
        }
        Some(Json::Array(steps)) => steps,
        Some(other) => {
            return Err(schema(
                what,
                format!("{} is not of type 'array'", other.repr()),
            ));
        }
        None => return Ok(()),
    };
    for step in steps {
        check_step(what, step)?;
    }
    check_duplicates(steps)
}

fn check_step(what: &str, step: &Json) -> Result<(), ApiError> {
    let Json::Object(members) = step else {
        return Err(schema(
            what,
            format!("{} is not of type 'object'", step.repr()),
        ));
    };
    if let Some((k, _)) = members
        .iter()
        .find(|(k, _)| !STEP_MEMBERS.contains(&k.as_str()))
    {
        return Err(schema(
            what,
            format!("Additional properties are not allowed ('{k}' was unexpected)"),
        ));
    }
    if let Some(missing) = STEP_MEMBERS.iter().find(|m| step.get(m).is_none()) {
        return Err(schema(what, format!("'{missing}' is a required property")));
    }
    let interface = step
        .get("interface")
        .and_then(Json::as_str)
        .unwrap_or_default();
    if !INTERFACES.contains(&format!("'{interface}'")) {
        let value = step.get("interface").cloned().unwrap_or(Json::Null);
        return Err(schema(
            what,
            format!("{} is not one of {INTERFACES}", value.repr()),
        ));
    }
    if step.get("step").and_then(Json::as_str) == Some("") {
        return Err(schema(what, "'' should be non-empty".to_owned()));
    }
    if !matches!(step.get("args"), Some(Json::Object(_))) {
        let args = step.get("args").cloned().unwrap_or(Json::Null);
        return Err(schema(
            what,
            format!("{} is not of type 'object'", args.repr()),
        ));
    }
    match step.get("priority") {
        Some(Json::Int(n)) if *n < 0 => {
            Err(schema(what, format!("{n} is less than the minimum of 0")))
        }
        Some(Json::Int(_)) => Ok(()),
        Some(Json::Str(s)) if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) => Ok(()),
        // A string is judged by the string branch of the schema's `anyOf`.
        Some(Json::Str(s)) => Err(schema(
            what,
            format!("{} does not match '^[0-9]+$'", Json::str(s.as_str()).repr()),
        )),
        Some(other) => Err(schema(
            what,
            format!(
                "{} is not valid under any of the given schemas",
                other.repr()
            ),
        )),
        None => Ok(()),
    }
}

fn check_duplicates(steps: &[Json]) -> Result<(), ApiError> {
    let key = |s: &Json| {
        let text = |f: &str| {
            s.get(f)
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        (text("interface"), text("step"))
    };
    let mut seen = Vec::new();
    let mut duplicates = Vec::new();
    for step in steps {
        let k = key(step);
        if seen.contains(&k) && !duplicates.contains(&k) {
            duplicates.push(k.clone());
        }
        seen.push(k);
    }
    if duplicates.is_empty() {
        return Ok(());
    }
    // The real text joins a Python set: one duplicate is what compares.
    let listed: Vec<String> = duplicates
        .iter()
        .map(|(i, s)| format!("interface: {i}, step: {s}"))
        .collect();
    Err(ApiError::client(
        400,
        format!(
            "Deploy template invalid: Duplicate deploy steps. A template cannot have multiple deploy steps with the same interface and step. Duplicates: {}.",
            listed.join("; ")
        ),
    ))
}

/// The stored form of `steps`: priorities given as digits become numbers.
pub fn stored_steps(steps: &Json) -> Json {
    match steps {
        Json::Array(items) => Json::Array(
            items
                .iter()
                .map(|step| {
                    let mut step = step.clone();
                    if let Some(Json::Str(digits)) = step.get("priority")
                        && let Ok(n) = digits.parse::<i128>()
                    {
                        step.set("priority", Json::Int(n));
                    }
                    step
                })
                .collect(),
        ),
        other => other.clone(),
    }
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
