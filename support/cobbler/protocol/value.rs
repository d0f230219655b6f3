use std::collections::BTreeMap;

/// An XML-RPC value (dxr's type, shared by the fake, the session and the HTTP transport).
pub use dxr::Value;

/// Read access to [`Value`]s without matching on every variant.
pub trait ValueExt {
    /// The string, if this is one.
    fn as_str(&self) -> Option<&str>;
    /// The boolean, if this is one.
    fn as_bool(&self) -> Option<bool>;
    /// The members, if this is a struct.
    fn as_struct(&self) -> Option<&BTreeMap<String, Value>>;
    /// The items, if this is an array.
    fn as_array(&self) -> Option<&[Value]>;
    /// The XML-RPC type name (`string`, `struct`, …), for messages.
    fn type_name(&self) -> &'static str;
    /// Human text for assertions and messages: strings as they are, booleans as `true`/`false`,
    /// arrays space-separated, structs as `key=value` pairs (the way Cobbler takes them as input).
    fn render(&self) -> String;
}

impl ValueExt for Value {
    fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    fn as_struct(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Struct(members) => Some(members),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Value::Integer(_) => "int",
            Value::Long(_) => "i8",
            Value::Boolean(_) => "boolean",
            Value::String(_) => "string",
            Value::Double(_) => "double",
            Value::DateTime(_) => "dateTime.iso8601",
            Value::Base64(_) => "base64",
            Value::Struct(_) => "struct",
            Value::Array(_) => "array",
            Value::Nil => "nil",
            _ => "unknown",
        }
    }

    fn render(&self) -> String {
        match self {
            Value::Integer(i) => i.to_string(),
            Value::Long(l) => l.to_string(),
            Value::Boolean(b) => b.to_string(),
            Value::String(s) => s.clone(),
            Value::Double(d) => format!("{d:?}"),
            Value::DateTime(dt) => format!("{dt:?}"),
            Value::Base64(bytes) => format!("<{} bytes>", bytes.len()),
            Value::Struct(members) => members
                .iter()
                .map(|(k, v)| format!("{k}={}", v.render()))
                .collect::<Vec<_>>()
                .join(" "),
            Value::Array(items) => items
                .iter()
                .map(ValueExt::render)
                .collect::<Vec<_>>()
                .join(" "),
            Value::Nil => String::new(),
            _ => format!("{self:?}"),
        }
    }
}

/// Converts JSON (as recorded from a real server) into an XML-RPC value.
///
/// Integers become `int`, other numbers `double`, `null` becomes `nil`.
pub fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Boolean(*b),
        serde_json::Value::Number(n) => match n.as_i64().and_then(|i| i32::try_from(i).ok()) {
            Some(i) => Value::Integer(i),
            None => Value::Double(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(from_json).collect()),
        serde_json::Value::Object(members) => Value::Struct(
            members
                .iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect(),
        ),
    }
}

/// Converts an XML-RPC value into JSON, for the backend-neutral record: `nil` becomes `null`,
/// a date its ISO text, base64 its bytes as a list of numbers.
pub fn to_json(value: &Value) -> serde_json::Value {
    use serde_json::Value as Json;
    match value {
        Value::Integer(i) => Json::from(*i),
        Value::Long(l) => Json::from(*l),
        Value::Boolean(b) => Json::Bool(*b),
        Value::String(s) => Json::String(s.clone()),
        Value::Double(d) => serde_json::Number::from_f64(*d).map_or(Json::Null, Json::Number),
        Value::Struct(members) => Json::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
        Value::Array(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Nil => Json::Null,
        other => Json::String(other.render()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_reads_like_cobbler_input() {
        let options = from_json(&serde_json::json!({"b": "2", "a": "1"}));
        assert_eq!(options.render(), "a=1 b=2");
        let servers = from_json(&serde_json::json!(["1.1.1.1", "8.8.8.8"]));
        assert_eq!(servers.render(), "1.1.1.1 8.8.8.8");
        assert_eq!(Value::Double(0.0).render(), "0.0");
        assert_eq!(Value::Boolean(false).render(), "false");
    }

    #[test]
    fn json_round_trips_and_renders_the_same() {
        let json = serde_json::json!({"a": [1, "x", true], "b": 0.5, "c": null});
        assert_eq!(to_json(&from_json(&json)), json);
        let value = from_json(&serde_json::json!({"opts": {"b": "2", "a": "1"}, "d": 0.0}));
        let record = crate::backend::render(&to_json(&value));
        assert_eq!(record, value.render());
    }

    #[test]
    fn json_numbers_keep_their_kind() {
        assert_eq!(from_json(&serde_json::json!(-1)), Value::Integer(-1));
        assert_eq!(from_json(&serde_json::json!(0.5)), Value::Double(0.5));
    }
}
