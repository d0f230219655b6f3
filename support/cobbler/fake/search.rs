//! `find_*` criteria matching: Python `fnmatch` globs on top-level fields, or on any interface's
//! field for interface keys such as `mac_address`.

use std::collections::BTreeMap;

use super::fields::truthy;
use super::recorded::{Item, is_interface_field};
use crate::cobbler::protocol::{Value, ValueExt};

/// True when `item` matches every criterion.
pub fn matches_all(item: &Item, criteria: &BTreeMap<String, Value>) -> bool {
    criteria
        .iter()
        .all(|(key, pattern)| matches(item, key, &pattern.render()))
}

fn matches(item: &Item, key: &str, pattern: &str) -> bool {
    if let Some(value) = item.get(key) {
        return value_matches(value, pattern);
    }
    if !is_interface_field(key) {
        return false;
    }
    item.get("interfaces")
        .and_then(ValueExt::as_struct)
        .is_some_and(|interfaces| {
            interfaces.values().any(|iface| {
                iface
                    .as_struct()
                    .and_then(|fields| fields.get(key))
                    .is_some_and(|v| value_matches(v, pattern))
            })
        })
}

/// MACs are stored in lower case and, as on the real server, matched case-sensitively.
fn value_matches(value: &Value, pattern: &str) -> bool {
    match value {
        Value::Boolean(b) => truthy(pattern) == *b,
        Value::Array(items) => items.iter().any(|v| glob(&v.render(), pattern)),
        Value::Struct(_) => false,
        _ => glob(&value.render(), pattern),
    }
}

/// Python's `fnmatch.fnmatch` on POSIX: case-sensitive `*`, `?`, `[...]`; `*` crosses `/`.
fn glob(text: &str, pattern: &str) -> bool {
    match glob::Pattern::new(pattern) {
        Ok(compiled) => compiled.matches(text),
        Err(_) => text == pattern,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cobbler::protocol::from_json;

    fn item(json: serde_json::Value) -> Item {
        match from_json(&json) {
            Value::Struct(members) => members,
            _ => unreachable!(),
        }
    }

    fn criteria(pairs: &[(&str, &str)]) -> BTreeMap<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
            .collect()
    }

    #[test]
    fn globs_and_interface_fields_match_like_cobbler() {
        let system = item(serde_json::json!({
            "name": "web-01", "netboot_enabled": true,
            "interfaces": {"eth0": {"mac_address": "52:54:00:aa:bb:cc"}}
        }));
        assert!(matches_all(&system, &criteria(&[("name", "web-*")])));
        assert!(!matches_all(&system, &criteria(&[("name", "db-*")])));
        assert!(matches_all(
            &system,
            &criteria(&[("mac_address", "52:54:00:aa:*")])
        ));
        assert!(!matches_all(
            &system,
            &criteria(&[("mac_address", "52:54:00:AA:BB:CC")])
        ));
        assert!(matches_all(
            &system,
            &criteria(&[("netboot_enabled", "true")])
        ));
        assert!(!matches_all(&system, &criteria(&[("no_such_field", "x")])));
        assert!(!matches_all(
            &system,
            &criteria(&[("name", "web-*"), ("hostname", "x")])
        ));
    }
}
