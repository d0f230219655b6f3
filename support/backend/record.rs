//! One item's fields as the server returned them, whatever the protocol.

use std::collections::BTreeMap;

use serde_json::Value;

/// One item's fields, read with dotted paths such as `interfaces.eth0.mac_address` or
/// `properties.cpus`. Values are JSON: XML-RPC values are converted on the way in.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// The item's kind.
    pub kind: &'static str,
    /// The item's real name.
    pub name: String,
    /// Every field the server returned.
    pub fields: BTreeMap<String, Value>,
}

impl Record {
    /// The value at a dotted `path`, if there is one.
    pub fn get(&self, path: &str) -> Option<&Value> {
        let mut parts = path.split('.');
        let mut value = self.fields.get(parts.next()?)?;
        for part in parts {
            value = value.as_object()?.get(part)?;
        }
        Some(value)
    }

    /// The text of the value at `path` (see [`render`]).
    pub fn text(&self, path: &str) -> Option<String> {
        self.get(path).map(render)
    }

    /// Every top-level field name, for messages.
    pub fn field_names(&self) -> Vec<&str> {
        self.fields.keys().map(String::as_str).collect()
    }
}

/// A value as a feature writes it: text as is, numbers and booleans in their usual form,
/// `null` as nothing, a list as its items separated by spaces, a map as `key=value` pairs
/// separated by spaces (in key order).
pub fn render(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(render).collect::<Vec<_>>().join(" "),
        Value::Object(members) => {
            let mut pairs: Vec<_> = members.iter().collect();
            pairs.sort_by(|a, b| a.0.cmp(b.0));
            pairs
                .into_iter()
                .map(|(k, v)| format!("{k}={}", render(v)))
                .collect::<Vec<_>>()
                .join(" ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_reach_into_maps_and_values_render_as_features_write_them() {
        let record = Record {
            kind: "node",
            name: "n1".into(),
            fields: BTreeMap::from([
                ("properties".to_owned(), json!({"cpus": 4, "b": "x"})),
                ("power_state".to_owned(), Value::Null),
                ("servers".to_owned(), json!(["1.1.1.1", "8.8.8.8"])),
                ("ratio".to_owned(), json!(0.0)),
            ]),
        };
        assert_eq!(record.text("properties.cpus").as_deref(), Some("4"));
        assert_eq!(record.text("properties").as_deref(), Some("b=x cpus=4"));
        assert_eq!(record.text("power_state").as_deref(), Some(""));
        assert_eq!(record.text("servers").as_deref(), Some("1.1.1.1 8.8.8.8"));
        assert_eq!(record.text("ratio").as_deref(), Some("0.0"));
        assert_eq!(record.get("properties.nope"), None);
        assert_eq!(record.get("nope"), None);
    }
}
