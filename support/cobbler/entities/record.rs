//! An item's fields as `get_*` returned them.

use std::collections::BTreeMap;

use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Value, ValueExt};

/// One item's fields, read with dotted paths such as `interfaces.eth0.mac_address`.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// The item's kind.
    pub kind: Kind,
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
            value = value.as_struct()?.get(part)?;
        }
        Some(value)
    }

    /// The text of the value at `path` (see [`ValueExt::render`]).
    pub fn text(&self, path: &str) -> Option<String> {
        self.get(path).map(ValueExt::render)
    }

    /// Every top-level field name, for messages.
    pub fn field_names(&self) -> Vec<&str> {
        self.fields.keys().map(String::as_str).collect()
    }
}
