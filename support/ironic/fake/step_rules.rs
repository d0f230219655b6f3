//! Deploy and runbook steps as Ironic 39 checks and shows them: each step's schema (the
//! members, a known interface, a step name, `args`, a priority or order of digits), no
//! interface and step twice, priorities given as digits stored as numbers, secrets in `args`
//! masked by key as oslo's `mask_dict_password` masks them.

use super::errors::ApiError;
use super::json::Json;

/// What one kind of step must and may hold.
pub struct StepRules {
    /// The members a step may have.
    pub members: &'static [&'static str],
    /// The members it must have, in the order the real schema lists them.
    pub required: &'static [&'static str],
    /// `priority` (deploy steps) or `order` (runbook steps).
    pub ordering: &'static str,
}

/// A deploy template's steps.
pub const DEPLOY: StepRules = StepRules {
    members: &["interface", "step", "args", "priority"],
    required: &["interface", "step", "args", "priority"],
    ordering: "priority",
};

/// A runbook's steps (`args` optional).
pub const RUNBOOK: StepRules = StepRules {
    members: &["args", "interface", "step", "order"],
    required: &["interface", "step", "order"],
    ordering: "order",
};

/// The interfaces a deploy step may name, in the real enum's order.
const INTERFACES: &str = "['vendor', 'power', 'management', 'firmware', 'deploy', 'bios', 'raid']";

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

/// A schema error for `what` (`template`, `runbook`, `patch`).
pub fn schema(what: &str, text: String) -> ApiError {
    ApiError::client(400, format!("Schema error for {what}: {text}"))
}

/// Checks the `steps` of `doc` (already known to hold the required members) against `rules`.
pub fn check_steps(what: &str, doc: &Json, rules: &StepRules) -> Result<(), ApiError> {
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
        check_step(what, step, rules)?;
    }
    check_duplicates(steps)
}

fn check_step(what: &str, step: &Json, rules: &StepRules) -> Result<(), ApiError> {
    let Json::Object(members) = step else {
        return Err(schema(
            what,
            format!("{} is not of type 'object'", step.repr()),
        ));
    };
    if let Some((k, _)) = members
        .iter()
        .find(|(k, _)| !rules.members.contains(&k.as_str()))
    {
        return Err(schema(
            what,
            format!("Additional properties are not allowed ('{k}' was unexpected)"),
        ));
    }
    if let Some(missing) = rules.required.iter().find(|m| step.get(m).is_none()) {
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
    if let Some(args) = step.get("args")
        && !matches!(args, Json::Object(_))
    {
        return Err(schema(
            what,
            format!("{} is not of type 'object'", args.repr()),
        ));
    }
    match step.get(rules.ordering) {
        Some(Json::Int(n)) if *n < 0 => {
            Err(schema(what, format!("{n} is less than the minimum of 0")))
        }
        Some(Json::Int(_)) => Ok(()),
        Some(Json::Str(s)) if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) => Ok(()),
        // A string of something else is judged by the string branch of the `anyOf`; an empty
        // one and any other type by the whole `anyOf`, its root cause the integer branch.
        Some(Json::Str(s)) if !s.is_empty() => Err(schema(
            what,
            format!("{} does not match '^[0-9]+$'", Json::str(s.as_str()).repr()),
        )),
        Some(other) => {
            let repr = other.repr();
            Err(schema(
                what,
                format!(
                    "{repr} is not valid under any of the given schemas. Possible root cause: {repr} is not of type 'integer'"
                ),
            ))
        }
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

/// The stored form of `steps`: a priority (or order) given as digits becomes a number, and
/// missing `args` are `{}`.
pub fn stored_steps(steps: &Json) -> Json {
    match steps {
        Json::Array(items) => Json::Array(
            items
                .iter()
                .map(|step| {
                    let mut step = step.clone();
                    for key in ["priority", "order"] {
                        if let Some(Json::Str(digits)) = step.get(key)
                            && let Ok(n) = digits.parse::<i128>()
                        {
                            step.set(key, Json::Int(n));
                        }
                    }
                    if step.get("args").is_none() {
                        step.set("args", Json::empty());
                    }
                    step
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A deploy template or runbook (`resource`) as shown: the fields of `table` in `wanted`
/// (all when `None`) at `version`, its links, its steps' secrets masked.
pub fn show(
    doc: &Json,
    table: &[(&str, u32)],
    resource: &str,
    (wanted, version, base): (Option<&[String]>, u32, &str),
) -> Json {
    let uuid = doc.get("uuid").and_then(Json::as_str).unwrap_or("");
    super::views::select(table, wanted, version, |f| match f {
        "links" => super::nodes::links(base, &format!("{resource}/{uuid}")),
        "steps" => match doc.get("steps") {
            Some(Json::Array(steps)) => Json::Array(steps.iter().map(masked).collect()),
            _ => Json::Array(Vec::new()),
        },
        _ => doc.get(f).cloned().unwrap_or(Json::Null),
    })
}

/// A step as shown: the secrets in its `args` masked.
pub fn masked(step: &Json) -> Json {
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
