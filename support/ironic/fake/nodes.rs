//! Nodes: the stored record (every field in the real server's order), its views per
//! microversion, creation rules and the interface tables of the `fake-hardware` type.

use std::time::{Instant, SystemTime};

use super::errors::ApiError;
use super::ids::{is_uuid_like, is_valid_logical_name, timestamp, uuid4};
use super::json::{Json, obj};

/// The conductor host name the real test server runs as.
pub const HOST: &str = "ironic-local";

/// Every node field in the order the real server writes it, with the microversion that
/// introduced it. `links`, `ports`, `states`, `portgroups` and `volume` are links built
/// from the base URL.
pub const FIELDS: &[(&str, u32)] = &[
    ("uuid", 1),
    ("created_at", 1),
    ("updated_at", 1),
    ("automated_clean", 47),
    ("bios_interface", 40),
    ("boot_interface", 31),
    ("boot_mode", 75),
    ("clean_step", 7),
    ("conductor_group", 46),
    ("console_enabled", 1),
    ("console_interface", 31),
    ("disable_power_off", 95),
    ("deploy_interface", 31),
    ("deploy_step", 44),
    ("description", 51),
    ("driver", 1),
    ("driver_info", 1),
    ("driver_internal_info", 3),
    ("extra", 1),
    ("fault", 42),
    ("firmware_interface", 86),
    ("health", 109),
    ("inspection_finished_at", 6),
    ("inspection_started_at", 6),
    ("inspect_interface", 31),
    ("instance_info", 1),
    ("instance_name", 104),
    ("instance_uuid", 1),
    ("last_error", 1),
    ("lessee", 65),
    ("maintenance", 1),
    ("maintenance_reason", 1),
    ("management_interface", 31),
    ("name", 5),
    ("network_data", 66),
    ("network_interface", 20),
    ("owner", 50),
    ("parent_node", 83),
    ("power_interface", 31),
    ("power_state", 1),
    ("properties", 1),
    ("protected", 48),
    ("protected_reason", 48),
    ("provision_state", 1),
    ("provision_updated_at", 1),
    ("raid_config", 12),
    ("raid_interface", 31),
    ("rescue_interface", 38),
    ("reservation", 1),
    ("resource_class", 21),
    ("retired", 61),
    ("retired_reason", 61),
    ("secure_boot", 75),
    ("service_step", 87),
    ("shard", 82),
    ("storage_interface", 33),
    ("target_power_state", 1),
    ("target_provision_state", 1),
    ("target_raid_config", 12),
    ("traits", 37),
    ("vendor_interface", 31),
    ("links", 1),
    ("conductor", 49),
    ("allocation_uuid", 52),
    ("chassis_uuid", 1),
    ("ports", 1),
    ("states", 14),
    ("portgroups", 24),
    ("volume", 32),
];

/// The short list form of `GET /v1/nodes`, and the `fields` its `next` link carries.
pub const SHORT_FIELDS: &[&str] = &[
    "uuid",
    "instance_uuid",
    "maintenance",
    "power_state",
    "provision_state",
    "name",
];

/// The `fields` value of a short list's `next` link.
pub const SHORT_NEXT_FIELDS: &str =
    "instance_uuid,maintenance,power_state,provision_state,uuid,name";

/// The fields of `GET /v1/nodes/<id>/states`, with their microversion.
pub const STATE_FIELDS: &[(&str, u32)] = &[
    ("console_enabled", 1),
    ("last_error", 1),
    ("power_state", 1),
    ("provision_state", 1),
    ("target_power_state", 1),
    ("target_provision_state", 1),
    ("provision_updated_at", 1),
    ("raid_config", 12),
    ("target_raid_config", 12),
    ("boot_mode", 75),
    ("secure_boot", 75),
];

/// The fields a PATCH may touch, in the order the real error message lists them.
pub const PATCHABLE: &[&str] = &[
    "automated_clean",
    "bios_interface",
    "boot_interface",
    "chassis_uuid",
    "conductor_group",
    "console_interface",
    "deploy_interface",
    "description",
    "disable_power_off",
    "driver",
    "driver_info",
    "extra",
    "inspect_interface",
    "instance_info",
    "instance_name",
    "instance_uuid",
    "lessee",
    "maintenance",
    "management_interface",
    "name",
    "network_data",
    "network_interface",
    "owner",
    "power_interface",
    "properties",
    "protected",
    "protected_reason",
    "raid_interface",
    "rescue_interface",
    "resource_class",
    "retired",
    "retired_reason",
    "shard",
    "storage_interface",
    "vendor_interface",
    "parent_node",
    "firmware_interface",
];

/// The fields a POST may set.
const CREATABLE: &[&str] = &[
    "automated_clean",
    "bios_interface",
    "boot_interface",
    "chassis_uuid",
    "conductor_group",
    "console_interface",
    "deploy_interface",
    "description",
    "disable_power_off",
    "driver",
    "driver_info",
    "extra",
    "firmware_interface",
    "inspect_interface",
    "instance_info",
    "instance_name",
    "instance_uuid",
    "lessee",
    "management_interface",
    "name",
    "network_data",
    "network_interface",
    "owner",
    "parent_node",
    "power_interface",
    "properties",
    "protected",
    "protected_reason",
    "raid_interface",
    "rescue_interface",
    "resource_class",
    "retired",
    "retired_reason",
    "shard",
    "storage_interface",
    "uuid",
    "vendor_interface",
];

/// The enabled interfaces of `fake-hardware` (default first), with the exact list the real
/// server prints in its error.
pub const INTERFACES: &[(&str, &str, &str)] = &[
    ("bios_interface", "fake", "['fake', 'no-bios']"),
    ("boot_interface", "fake", "['fake']"),
    ("console_interface", "fake", "['no-console', 'fake']"),
    ("deploy_interface", "fake", "['fake']"),
    ("firmware_interface", "fake", "['fake', 'no-firmware']"),
    ("inspect_interface", "fake", "['fake', 'no-inspect']"),
    ("management_interface", "fake", "['fake']"),
    ("network_interface", "noop", "['noop']"),
    ("power_interface", "fake", "['fake']"),
    ("raid_interface", "fake", "['fake', 'no-raid']"),
    ("rescue_interface", "fake", "['no-rescue', 'fake']"),
    ("storage_interface", "noop", "['noop']"),
    ("vendor_interface", "fake", "['no-vendor', 'fake']"),
];

/// The one enabled hardware type.
pub const DRIVER: &str = "fake-hardware";

/// A stored node: every field (latest form), plus what the fake needs to run transitions.
#[derive(Debug)]
pub struct Node {
    /// Insertion order (the database id the real server sorts by).
    pub id: u64,
    /// All fields except the link fields, in [`FIELDS`] order.
    pub doc: Json,
    /// Steps still to apply, earliest first.
    pub pending: Vec<Step>,
}

/// A deferred change to a node document, given the wall-clock time it applies at.
pub type Change = Box<dyn FnOnce(&mut Json, SystemTime) + Send>;

/// One deferred change of an asynchronous action.
pub struct Step {
    /// When it applies.
    pub at: Instant,
    /// The wall-clock time it applies at, for timestamps.
    pub wall: SystemTime,
    /// The change.
    pub apply: Change,
    /// A power step: the real conductor holds the node only for milliseconds while it
    /// changes power, so these do not lock the node.
    pub power: bool,
}

impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Step").field("at", &self.at).finish()
    }
}

impl Node {
    /// The uuid.
    pub fn uuid(&self) -> &str {
        self.doc.get("uuid").and_then(Json::as_str).unwrap_or("")
    }

    /// The name, if any.
    pub fn name(&self) -> Option<&str> {
        self.doc.get("name").and_then(Json::as_str)
    }

    /// A string field.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.doc.get(field).and_then(Json::as_str)
    }

    /// The provision state as stored.
    pub fn provision_state(&self) -> &str {
        self.text("provision_state").unwrap_or("")
    }

    /// Whether in maintenance.
    pub fn maintenance(&self) -> bool {
        matches!(self.doc.get("maintenance"), Some(Json::Bool(true)))
    }

    /// Whether an asynchronous action still runs (the node is locked).
    pub fn locked(&self) -> bool {
        self.pending.iter().any(|s| !s.power)
    }

    /// The value of `field` as shown at `version` (link fields built from `base`).
    pub fn field(&self, field: &str, version: u32, base: &str) -> Json {
        let uuid = self.uuid();
        match field {
            "links" => links(base, &format!("nodes/{uuid}")),
            "ports" | "states" | "portgroups" | "volume" => {
                links(base, &format!("nodes/{uuid}/{field}"))
            }
            "provision_state" if version < 2 && self.provision_state() == "available" => Json::Null,
            "reservation" if self.locked() => Json::str(HOST),
            // Ironic never shows a BMC password (`redfish_password`, `ipmi_password`): "******".
            "driver_info" => match self.doc.get(field).cloned() {
                Some(Json::Object(members)) => Json::Object(
                    members
                        .into_iter()
                        .map(|(key, value)| {
                            if key.contains("password") && !value.is_null() {
                                (key, Json::str("******"))
                            } else {
                                (key, value)
                            }
                        })
                        .collect(),
                ),
                other => other.unwrap_or(Json::Null),
            },
            _ => self.doc.get(field).cloned().unwrap_or(Json::Null),
        }
    }

    /// The full node at `version`.
    pub fn full(&self, version: u32, base: &str) -> Json {
        Json::Object(
            FIELDS
                .iter()
                .filter(|(_, since)| version >= *since)
                .map(|(f, _)| (f.to_string(), self.field(f, version, base)))
                .collect(),
        )
    }

    /// The listed `fields` (`uuid` first, then request order) plus `links`.
    pub fn only(&self, fields: &[String], version: u32, base: &str) -> Json {
        let uuid_first = fields.iter().filter(|f| *f == "uuid");
        let rest = fields.iter().filter(|f| *f != "uuid");
        let mut members: Vec<(String, Json)> = uuid_first
            .chain(rest)
            .map(|f| (f.clone(), self.field(f, version, base)))
            .collect();
        members.push(("links".to_owned(), self.field("links", version, base)));
        Json::Object(members)
    }

    /// The short list form.
    pub fn short(&self, version: u32, base: &str) -> Json {
        let fields: Vec<String> = SHORT_FIELDS
            .iter()
            .filter(|f| version >= 5 || **f != "name")
            .map(|f| f.to_string())
            .collect();
        self.only(&fields, version, base)
    }

    /// `GET /v1/nodes/<id>/states`.
    pub fn states(&self, version: u32, base: &str) -> Json {
        Json::Object(
            STATE_FIELDS
                .iter()
                .filter(|(_, since)| version >= *since)
                .map(|(f, _)| (f.to_string(), self.field(f, version, base)))
                .collect(),
        )
    }
}

/// `[{"href": base/v1/path, "rel": "self"}, {"href": base/path, "rel": "bookmark"}]`.
pub fn links(base: &str, path: &str) -> Json {
    Json::Array(vec![
        obj(vec![
            ("href", Json::str(format!("{base}/v1/{path}"))),
            ("rel", Json::str("self")),
        ]),
        obj(vec![
            ("href", Json::str(format!("{base}/{path}"))),
            ("rel", Json::str("bookmark")),
        ]),
    ])
}

/// 400 for a driver other than `fake-hardware`.
pub fn no_valid_host(driver: &str) -> ApiError {
    ApiError::client(
        400,
        format!(
            "No valid host was found. Reason: No conductor service registered which supports driver {driver} for conductor group \"\". Ensure the driver is valid and enabled."
        ),
    )
}

/// Checks an interface value against the enabled ones.
pub fn check_interface(field: &str, value: &Json) -> Result<(), ApiError> {
    let Some((_, _, valid)) = INTERFACES.iter().find(|(f, _, _)| *f == field) else {
        return Ok(());
    };
    let Some(value) = value.as_str() else {
        return Ok(());
    };
    // The redfish power and management interfaces are enabled too (for nodes powered by an
    // emulated BMC; real-ironic.sh enables them with PROVSPEC_IRONIC_REDFISH=1); the listing in
    // the message stays the one of a server without them.
    let redfish = value == "redfish" && matches!(field, "power_interface" | "management_interface");
    let enabled = redfish || valid.contains(&format!("'{value}'"));
    if enabled {
        return Ok(());
    }
    let kind = field.trim_end_matches("_interface");
    Err(ApiError::client(
        400,
        format!(
            "Could not find the following interface in the 'ironic.hardware.interfaces.{kind}' entrypoint: {value}. Valid interfaces are {valid}."
        ),
    ))
}

/// The conductor's rules for `retired` when a patch turns `old` into `doc`: unretiring
/// forgets the reason; an `available` node is not retired (409); a reason needs `retired`.
pub fn check_retired(old: &Json, doc: &mut Json) -> Result<(), ApiError> {
    let retired = |d: &Json| matches!(d.get("retired"), Some(Json::Bool(true)));
    let changed = retired(old) != retired(doc);
    if changed && !retired(doc) {
        doc.set("retired_reason", Json::Null);
    } else if changed && doc.get("provision_state").and_then(Json::as_str) == Some("available") {
        let uuid = doc.get("uuid").and_then(Json::as_str).unwrap_or_default();
        return Err(ApiError::client(
            409,
            format!(
                "Node {uuid} can not have 'retired' set in provision state 'available', the current state is 'available'"
            ),
        ));
    }
    let reason = |d: &Json| d.get("retired_reason").cloned().unwrap_or(Json::Null);
    let reason_set = !matches!(reason(doc), Json::Null) && reason(doc) != Json::str("");
    if reason(old) != reason(doc) && reason_set && !retired(doc) {
        return Err(ApiError::client(
            400,
            "The retired_reason field can only be set when retired is True",
        ));
    }
    Ok(())
}

/// A create body's members, checked as the real schemas check them: an object (`what` names
/// it in the error: `node`, `port`, `portgroup`) with no member outside `allowed`.
pub fn schema_members<'a>(
    what: &str,
    body: &'a Json,
    allowed: &[&str],
) -> Result<&'a [(String, Json)], ApiError> {
    let Json::Object(members) = body else {
        return Err(schema_type_error(what, body, "'object'"));
    };
    if let Some((k, _)) = members.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return Err(ApiError::client(
            400,
            format!(
                "Schema error for {what}: Additional properties are not allowed ('{k}' was unexpected)"
            ),
        ));
    }
    Ok(members)
}

/// A JSON-schema type name list as jsonschema prints it.
fn schema_type_error(what: &str, value: &Json, types: &str) -> ApiError {
    ApiError::client(
        400,
        format!(
            "Schema error for {what}: {} is not of type {types}",
            value.repr()
        ),
    )
}

/// The JSON type a creatable or patchable field must have.
pub fn check_type(what: &str, field: &str, value: &Json) -> Result<(), ApiError> {
    let ok = match field {
        "driver_info" | "extra" | "instance_info" | "properties" | "network_data" => {
            matches!(value, Json::Object(_) | Json::Null)
        }
        "maintenance" | "protected" | "retired" | "automated_clean" | "disable_power_off" => {
            value.is_null() || value.as_bool_like().is_some()
        }
        _ => matches!(value, Json::Str(_) | Json::Null),
    };
    if ok {
        return Ok(());
    }
    let types = match field {
        "driver_info" | "extra" | "instance_info" | "properties" | "network_data" => {
            "'object', 'null'"
        }
        "maintenance" | "protected" | "retired" | "automated_clean" | "disable_power_off" => {
            "'boolean', 'null'"
        }
        "driver" => "'string'",
        _ => "'string', 'null'",
    };
    Err(schema_type_error(what, value, types))
}

/// Builds a node from a POST body, or the real server's error.
pub fn create(
    body: &Json,
    version: u32,
    now: SystemTime,
    taken_name: impl Fn(&str) -> bool,
    taken_uuid: impl Fn(&str) -> bool,
) -> Result<Json, ApiError> {
    let members = schema_members("node", body, CREATABLE)?;
    let Some(driver) = body.get("driver") else {
        return Err(ApiError::client(
            400,
            "Schema error for node: 'driver' is a required property",
        ));
    };
    for (k, v) in members {
        check_type("node", k, v)?;
    }
    if version < 5 && body.get("name").is_some() {
        return Err(ApiError::client(406, "Request not acceptable."));
    }
    let uuid = match body.get("uuid") {
        Some(Json::Str(u)) => {
            if !is_uuid_like(u) {
                return Err(ApiError::client(
                    400,
                    format!("Expected UUID for uuid: {u}"),
                ));
            }
            u.to_ascii_lowercase()
        }
        _ => uuid4(),
    };
    let name = body.get("name").and_then(Json::as_str).map(str::to_owned);
    if let Some(name) = &name
        && !is_valid_logical_name(name)
    {
        return Err(ApiError::client(
            400,
            format!(
                "Cannot create node with invalid name {}",
                super::json::py_str_repr(name)
            ),
        ));
    }
    let driver = driver.as_str().unwrap_or_default();
    if driver != DRIVER {
        return Err(no_valid_host(driver));
    }
    for (field, _, _) in INTERFACES {
        if let Some(v) = body.get(field) {
            check_interface(field, v)?;
        }
    }
    if let Some(name) = &name
        && taken_name(name)
    {
        return Err(ApiError::client(
            409,
            format!("A node with name {name} already exists."),
        ));
    }
    if taken_uuid(&uuid) {
        return Err(ApiError::client(
            409,
            format!("A node with UUID {uuid} already exists."),
        ));
    }
    let initial = if version >= 11 { "enroll" } else { "available" };
    let mut doc = Json::Object(Vec::new());
    for (field, _) in FIELDS {
        let value = match *field {
            "links" | "ports" | "states" | "portgroups" | "volume" => continue,
            "uuid" => Json::str(&uuid),
            "created_at" => Json::str(timestamp(now)),
            "conductor_group" => Json::str(""),
            "console_enabled" | "disable_power_off" | "maintenance" | "protected" | "retired" => {
                Json::Bool(false)
            }
            "clean_step"
            | "deploy_step"
            | "driver_info"
            | "driver_internal_info"
            | "extra"
            | "instance_info"
            | "network_data"
            | "properties"
            | "raid_config"
            | "service_step"
            | "target_raid_config" => Json::empty(),
            "traits" => Json::Array(Vec::new()),
            "driver" => Json::str(DRIVER),
            "provision_state" => Json::str(initial),
            "conductor" => Json::str(HOST),
            f => match INTERFACES.iter().find(|(i, _, _)| *i == f) {
                Some((_, default, _)) => Json::str(*default),
                None => Json::Null,
            },
        };
        let value = match body.get(field) {
            Some(v) if *field != "uuid" && *field != "driver" => match (v, &value) {
                (Json::Null, Json::Object(_)) => value,
                (v, Json::Bool(_)) => Json::Bool(v.as_bool_like().unwrap_or(false)),
                _ => v.clone(),
            },
            _ => value,
        };
        doc.set(field, value);
    }
    Ok(doc)
}
