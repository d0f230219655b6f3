//! How Ironic's kinds name each other: a feature names another item by its name (an alias),
//! the API takes and gives uuids. A port's or portgroup's `node`, a port's `portgroup` and an
//! allocation's `candidate_nodes` go out as uuids; a record read back shows the names again
//! (`node`, `portgroup`, `candidate_nodes`). An allocation's `traits` are written as features
//! write lists: words separated by spaces.

use serde_json::Value;

/// `(kind, attribute, kind referred to, API field)`: the attributes sent as uuids.
const BY_UUID: &[(&str, &str, &str, &str)] = &[
    ("port", "node", "node", "node_uuid"),
    ("port", "portgroup", "portgroup", "portgroup_uuid"),
    ("portgroup", "node", "node", "node_uuid"),
    ("allocation", "candidate_nodes", "node", "candidate_nodes"),
];

/// `(kind, API field, kind referred to, attribute)`: the uuids a record shows by name.
const BY_NAME: &[(&str, &str, &str, &str)] = &[
    ("port", "node_uuid", "node", "node"),
    ("port", "portgroup_uuid", "portgroup", "portgroup"),
    ("portgroup", "node_uuid", "node", "node"),
    ("allocation", "node_uuid", "node", "node"),
    ("allocation", "candidate_nodes", "node", "candidate_nodes"),
];

/// The lists an attribute of `kind` holds (words separated by spaces in a feature).
const LISTS: &[(&str, &str)] = &[("allocation", "traits"), ("allocation", "candidate_nodes")];

/// The name a `kind` item called `name` (a run's real name) has on the server: a deploy
/// template's name must be a trait, so `t1--ab12-3` is `CUSTOM_T1__AB12_3` (the real name is
/// kept in its `extra.provspec_name`, for sweeping). Names already in that form stay.
pub fn api_name(kind: &str, name: &str) -> String {
    if kind != "deploy_template" || name.starts_with("CUSTOM_") {
        return name.to_owned();
    }
    let upper: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("CUSTOM_{upper}")
}

/// Where a `kind` item keeps the run's real name it was created with (`name`, or for a deploy
/// template `extra.provspec_name`).
pub fn real_name_field(kind: &str) -> &'static [&'static str] {
    if kind == "deploy_template" {
        &["extra", "provspec_name"]
    } else {
        &["name"]
    }
}

/// For `kind`'s `attribute` sent by uuid: the kind it names and the API field it goes to.
pub fn by_uuid(kind: &str, attribute: &str) -> Option<(&'static str, &'static str)> {
    BY_UUID
        .iter()
        .find(|(k, a, _, _)| *k == kind && *a == attribute)
        .map(|(_, _, target, field)| (*target, *field))
}

/// The uuid fields of a record of `kind` shown by name: `(API field, kind, attribute)`.
pub fn named_fields(
    kind: &str,
) -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    BY_NAME
        .iter()
        .filter(move |(k, _, _, _)| *k == kind)
        .map(|(_, field, target, attribute)| (*field, *target, *attribute))
}

/// Whether `kind`'s `attribute` is a list.
pub fn is_list(kind: &str, attribute: &str) -> bool {
    LISTS.contains(&(kind, attribute))
}

/// A list attribute's words as a JSON array of strings.
pub fn list_value(text: &str) -> Value {
    Value::Array(
        text.split_whitespace()
            .map(|word| Value::String(word.to_owned()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_go_out_by_uuid_and_come_back_by_name() {
        assert_eq!(
            by_uuid("port", "portgroup"),
            Some(("portgroup", "portgroup_uuid"))
        );
        assert_eq!(by_uuid("node", "name"), None);
        let shown: Vec<_> = named_fields("allocation").map(|(f, _, a)| (f, a)).collect();
        assert_eq!(
            shown,
            [
                ("node_uuid", "node"),
                ("candidate_nodes", "candidate_nodes")
            ]
        );
        assert!(is_list("allocation", "traits") && !is_list("node", "traits"));
        assert_eq!(
            api_name("deploy_template", "t1--ab12-3"),
            "CUSTOM_T1__AB12_3"
        );
        assert_eq!(api_name("deploy_template", "CUSTOM_X"), "CUSTOM_X");
        assert_eq!(api_name("node", "n1--ab12-3"), "n1--ab12-3");
        assert_eq!(
            list_value(" CUSTOM_A  CUSTOM_B "),
            serde_json::json!(["CUSTOM_A", "CUSTOM_B"])
        );
    }
}
