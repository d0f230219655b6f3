//! The server's settings (`/etc/cobbler/settings.yaml`, as `get_settings` answers them): what
//! `get_settings` answers, what items inherit, what blended data starts from and what `check`
//! advises on. The recorded server's by default; `provspec conformance` gives the fake the real
//! server's own, so that only behaviour is compared.

use std::collections::BTreeMap;
use std::sync::Arc;

use indexmap::IndexMap;

use super::recorded;
use crate::cobbler::protocol::{Value, ValueExt};

/// One server's settings, in the order the server sends them. Cheap to clone.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    values: Arc<IndexMap<String, Value>>,
}

impl Default for Settings {
    /// The settings of the recorded server (`recorded/settings.json`), in its order.
    fn default() -> Self {
        let members = recorded::settings()
            .as_struct()
            .cloned()
            .unwrap_or_default();
        let ordered = recorded::key_order("settings")
            .iter()
            .filter_map(|key| members.get(key).map(|v| (key.clone(), v.clone())))
            .chain(members.iter().map(|(k, v)| (k.clone(), v.clone())));
        Self::from_ordered(ordered)
    }
}

impl Settings {
    /// Settings given as (name, value) in the server's order; a name given twice keeps its
    /// first value.
    pub fn from_ordered(members: impl IntoIterator<Item = (String, Value)>) -> Self {
        let values = members
            .into_iter()
            .fold(IndexMap::new(), |mut map, (name, value)| {
                map.entry(name).or_insert(value);
                map
            });
        Self {
            values: Arc::new(values),
        }
    }

    /// These settings with `changes` over them (a setting not recorded is added last).
    pub fn with(&self, changes: impl IntoIterator<Item = (String, Value)>) -> Self {
        let mut values = (*self.values).clone();
        for (name, value) in changes {
            values.insert(name, value);
        }
        Self {
            values: Arc::new(values),
        }
    }

    /// The setting called `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    /// The text of the setting `name` as Python's `str()` prints it; `""` when there is none.
    pub fn text(&self, name: &str) -> String {
        self.get(name).map(ValueExt::render).unwrap_or_default()
    }

    /// The boolean setting `name`, when it is one.
    pub fn flag(&self, name: &str) -> Option<bool> {
        self.get(name).and_then(ValueExt::as_bool)
    }

    /// Every setting, in the server's order.
    pub fn ordered(&self) -> &IndexMap<String, Value> {
        &self.values
    }

    /// The names in the server's order.
    pub fn names(&self) -> Vec<String> {
        self.values.keys().cloned().collect()
    }

    /// What `get_settings` answers.
    pub fn to_value(&self) -> Value {
        Value::Struct(
            self.values
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_recorded_server_in_its_order() {
        let settings = Settings::default();
        assert_eq!(settings.get("http_port"), Some(&Value::Integer(80)));
        assert_eq!(settings.text("server"), "127.0.0.1");
        assert_eq!(
            settings.names().first().map(String::as_str),
            recorded::key_order("settings").first().map(String::as_str)
        );
        assert_eq!(&settings.to_value(), recorded::settings());
    }

    #[test]
    fn changes_replace_values_and_keep_the_order() {
        let settings = Settings::default();
        let changed = settings.with([("http_port".to_owned(), Value::Integer(25180))]);
        assert_eq!(changed.get("http_port"), Some(&Value::Integer(25180)));
        assert_eq!(changed.names(), settings.names());
        assert_ne!(changed, settings);
    }
}
