//! The data the fake copies from a real Cobbler 3.3.10 (see `recorded/README.md`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Value, from_json};

/// One item's fields, by name.
pub type Item = BTreeMap<String, Value>;

struct Recorded {
    defaults: BTreeMap<String, Item>,
    os_versions: BTreeMap<String, Vec<String>>,
    power_types: Vec<String>,
    settings: Value,
    check: Value,
    key_orders: BTreeMap<String, Vec<String>>,
}

fn recorded() -> &'static Recorded {
    static RECORDED: OnceLock<Recorded> = OnceLock::new();
    RECORDED.get_or_init(|| {
        let defaults: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(include_str!("recorded/item_defaults.json"))
                .expect("recorded/item_defaults.json is valid JSON");
        let defaults = defaults
            .iter()
            .map(|(kind, fields)| {
                let item = match from_json(fields) {
                    Value::Struct(members) => members,
                    _ => panic!("recorded default for {kind} is not an object"),
                };
                (kind.clone(), item)
            })
            .collect();
        let os_versions: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(include_str!("recorded/os_versions.json"))
                .expect("recorded/os_versions.json is valid JSON");
        let os_versions = os_versions
            .iter()
            .map(|(breed, versions)| {
                let list = versions
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                (breed.clone(), list)
            })
            .collect();
        let power_types = include_str!("recorded/power_types.txt")
            .trim()
            .split(',')
            .map(str::to_owned)
            .collect();
        let settings: serde_json::Value =
            serde_json::from_str(include_str!("recorded/settings.json"))
                .expect("recorded/settings.json is valid JSON");
        let check: serde_json::Value = serde_json::from_str(include_str!("recorded/check.json"))
            .expect("recorded/check.json is valid JSON");
        let key_orders: BTreeMap<String, Vec<String>> =
            serde_json::from_str(include_str!("recorded/key_order.json"))
                .expect("recorded/key_order.json is a map of key lists");
        Recorded {
            key_orders,
            check: from_json(&check),
            defaults,
            os_versions,
            power_types,
            settings: from_json(&settings),
        }
    })
}

/// A new item of `kind` with the real server's default fields.
pub fn default_item(kind: Kind) -> Item {
    recorded().defaults[kind.name()].clone()
}

/// A new interface entry with the real server's default fields.
pub fn default_interface() -> Item {
    recorded().defaults["interface"].clone()
}

/// True when interfaces have a field called `field`.
pub fn is_interface_field(field: &str) -> bool {
    recorded().defaults["interface"].contains_key(field)
}

/// The first default of `field` across kinds that is not `<<inherit>>`: the field's real type.
pub fn typed_default(field: &str) -> Option<&'static Value> {
    let defaults = &recorded().defaults;
    Kind::ALL
        .iter()
        .filter_map(|k| defaults[k.name()].get(field))
        .find(|v| !matches!(v, Value::String(s) if s == "<<inherit>>"))
}

/// The `os_version`s accepted for `breed`, in the server's order; `None` for an unknown breed.
pub fn os_versions(breed: &str) -> Option<&'static [String]> {
    recorded().os_versions.get(breed).map(Vec::as_slice)
}

/// The accepted `power_type`s (besides the empty one), in the server's order.
pub fn power_types() -> &'static [String] {
    &recorded().power_types
}

/// What `get_settings` answers (the shipped settings of the recorded server).
pub fn settings() -> &'static Value {
    &recorded().settings
}

/// What `check` answers on a server set up by `scripts/real-cobbler.sh` (a list of advice).
pub fn check() -> &'static Value {
    &recorded().check
}

/// The order the real server sends the keys of `what` in (a kind's item, `settings`, …;
/// see `recorded/key_order.json`); empty when not recorded.
pub fn key_order(what: &str) -> &'static [String] {
    recorded().key_orders.get(what).map_or(&[], Vec::as_slice)
}

/// Every recorded key order.
pub fn key_orders() -> impl Iterator<Item = &'static Vec<String>> {
    recorded().key_orders.values()
}
