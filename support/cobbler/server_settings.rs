//! The settings of the server a conformance run compares the fake with: read from its own
//! `get_settings` before the probes, and given to the embedded fake, so that a server whose
//! `http_port`, `server` or `next_server_v4` is its own differs from the fake in behaviour
//! only, not in configuration.

use super::fake::Settings;
use super::protocol::Value;
use crate::conformance::{Speaker, Tree};

/// Why the server's settings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The call could not be sent.
    #[error("cannot ask the server for its settings (get_settings): {0}")]
    Send(String),
    /// The server answered with a fault or an error status.
    #[error("the server refused get_settings: fault {code}: {text}")]
    Refused {
        /// The fault code or HTTP status.
        code: i64,
        /// The fault string or body.
        text: String,
    },
    /// The answer is not a struct of settings.
    #[error("get_settings answered {0}, not a struct of settings")]
    NotSettings(String),
}

/// Asks `server` for its settings (`get_settings`), keeping the order it sends them in.
pub async fn read(server: &dyn Speaker) -> Result<Settings, SettingsError> {
    match server
        .send("get_settings []")
        .await
        .map_err(SettingsError::Send)?
    {
        Tree::Map(members) => Ok(Settings::from_ordered(
            members
                .into_iter()
                .map(|(name, tree)| (name, to_value(tree))),
        )),
        Tree::Fault { code, text } => Err(SettingsError::Refused { code, text }),
        Tree::Unreadable(why) => Err(SettingsError::Send(why)),
        other => Err(SettingsError::NotSettings(other.to_string())),
    }
}

/// An answer as an XML-RPC value again (a struct's order is the fake's own business).
fn to_value(tree: Tree) -> Value {
    match tree {
        Tree::Nil => Value::Nil,
        Tree::Bool(b) => Value::Boolean(b),
        Tree::Int(i) => i32::try_from(i).map_or(Value::Long(i), Value::Integer),
        Tree::Float(f) => Value::Double(f),
        Tree::Str(s) | Tree::Masked(s) | Tree::Unreadable(s) => Value::String(s),
        Tree::List(items) => Value::Array(items.into_iter().map(to_value).collect()),
        Tree::Map(members) => Value::Struct(
            members
                .into_iter()
                .map(|(name, tree)| (name, to_value(tree)))
                .collect(),
        ),
        Tree::Fault { text, .. } => Value::String(text),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    struct Answers(Tree, BTreeMap<String, String>);

    #[async_trait::async_trait]
    impl Speaker for Answers {
        async fn send(&self, call: &str) -> Result<Tree, String> {
            assert_eq!(call, "get_settings []");
            Ok(self.0.clone())
        }
        fn placeholders(&self) -> &BTreeMap<String, String> {
            &self.1
        }
    }

    #[tokio::test]
    async fn the_servers_settings_keep_their_order_and_types() {
        let answer = Tree::Map(vec![
            ("server".into(), Tree::Str("192.0.2.10".into())),
            ("http_port".into(), Tree::Int(25180)),
            ("manage_dhcp".into(), Tree::Bool(false)),
            ("kernel_options".into(), Tree::Map(vec![])),
        ]);
        let settings = read(&Answers(answer, BTreeMap::new())).await.expect("read");
        assert_eq!(
            settings.names(),
            ["server", "http_port", "manage_dhcp", "kernel_options"]
        );
        assert_eq!(settings.get("http_port"), Some(&Value::Integer(25180)));
        assert_eq!(settings.flag("manage_dhcp"), Some(false));
    }

    #[tokio::test]
    async fn a_refusal_is_an_error() {
        let fault = Tree::Fault {
            code: 1,
            text: "no".into(),
        };
        let error = read(&Answers(fault, BTreeMap::new()))
            .await
            .expect_err("a fault is no settings");
        assert!(error.to_string().contains("fault 1: no"), "{error}");
    }
}
