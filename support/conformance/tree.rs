//! One answer of a server, as data that keeps what matters to a client: types, the order of a
//! struct's (or JSON object's) keys, faults.

use std::fmt::{self, Write as _};

/// A server's answer to one probe call, order-preserving.
#[derive(Clone, Debug, PartialEq)]
pub enum Tree {
    /// XML-RPC `nil`, JSON `null`.
    Nil,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A string.
    Str(String),
    /// An array.
    List(Vec<Tree>),
    /// A struct or object, keys in the order the server sent them.
    Map(Vec<(String, Tree)>),
    /// The server's refusal: an XML-RPC fault, an HTTP error status with its body.
    Fault {
        /// The fault code or HTTP status.
        code: i64,
        /// The fault string or error body.
        text: String,
    },
    /// No answer could be read (connection refused, a body that is not the protocol).
    Unreadable(String),
    /// What a normaliser put in place of a value that differs by nature (a token, a time).
    Masked(String),
}

impl Tree {
    /// The text, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Tree::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The member called `key`, if this is a map.
    pub fn get(&self, key: &str) -> Option<&Tree> {
        match self {
            Tree::Map(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Applies `change` to every node, children first.
    pub fn map_nodes(self, change: &mut impl FnMut(Option<&str>, Tree) -> Tree) -> Tree {
        self.map_with_key(None, change)
    }

    fn map_with_key(
        self,
        key: Option<&str>,
        change: &mut impl FnMut(Option<&str>, Tree) -> Tree,
    ) -> Tree {
        let mapped = match self {
            Tree::List(items) => Tree::List(
                items
                    .into_iter()
                    .map(|t| t.map_with_key(None, change))
                    .collect(),
            ),
            Tree::Map(members) => Tree::Map(
                members
                    .into_iter()
                    .map(|(k, v)| {
                        let v = v.map_with_key(Some(&k), change);
                        (k, v)
                    })
                    .collect(),
            ),
            other => other,
        };
        change(key, mapped)
    }

    /// Python-like text, one member or item per line, so two answers diff line by line.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write_pretty(&mut out, 0);
        out
    }

    fn write_pretty(&self, out: &mut String, indent: usize) {
        let pad = "  ".repeat(indent + 1);
        match self {
            Tree::List(items) if !items.is_empty() => {
                out.push_str("[\n");
                for item in items {
                    out.push_str(&pad);
                    item.write_pretty(out, indent + 1);
                    out.push_str(",\n");
                }
                out.push_str(&"  ".repeat(indent));
                out.push(']');
            }
            Tree::Map(members) if !members.is_empty() => {
                out.push_str("{\n");
                for (key, value) in members {
                    let _ = write!(out, "{pad}{key:?}: ");
                    value.write_pretty(out, indent + 1);
                    out.push_str(",\n");
                }
                out.push_str(&"  ".repeat(indent));
                out.push('}');
            }
            other => {
                let _ = write!(out, "{other}");
            }
        }
    }
}

impl fmt::Display for Tree {
    /// One line: `'text'`, `3`, `True`, `None`, `{'a': 1}`, `Fault 1: '…'`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tree::Nil => f.write_str("None"),
            Tree::Bool(true) => f.write_str("True"),
            Tree::Bool(false) => f.write_str("False"),
            Tree::Int(i) => write!(f, "{i}"),
            Tree::Float(x) => write!(f, "{x:?}"),
            Tree::Str(s) => write!(f, "{s:?}"),
            Tree::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Tree::Map(members) => {
                f.write_str("{")?;
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{key:?}: {value}")?;
                }
                f.write_str("}")
            }
            Tree::Fault { code, text } => write!(f, "Fault {code}: {text:?}"),
            Tree::Unreadable(why) => write!(f, "no answer: {why}"),
            Tree::Masked(what) => write!(f, "<{what}>"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_puts_one_member_on_a_line_in_the_servers_order() {
        let tree = Tree::Map(vec![
            ("b".into(), Tree::Int(1)),
            (
                "a".into(),
                Tree::List(vec![Tree::Str("x".into()), Tree::Nil]),
            ),
        ]);
        assert_eq!(
            tree.pretty(),
            "{\n  \"b\": 1,\n  \"a\": [\n    \"x\",\n    None,\n  ],\n}"
        );
    }

    #[test]
    fn map_nodes_sees_each_members_key() {
        let tree = Tree::Map(vec![
            ("mtime".into(), Tree::Float(1.5)),
            ("n".into(), Tree::Float(2.0)),
        ]);
        let masked = tree.map_nodes(&mut |key, node| match key {
            Some("mtime") => Tree::Masked("time".into()),
            _ => node,
        });
        assert_eq!(masked.to_string(), "{\"mtime\": <time>, \"n\": 2.0}");
    }
}
