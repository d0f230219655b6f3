//! The entities a scenario named, by alias.

use crate::backend::KindSpec;

/// One alias: its kind and the real name on the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The item's kind.
    pub kind: &'static KindSpec,
    /// The name the feature uses.
    pub alias: String,
    /// The name on the server.
    pub real_name: String,
}

/// Aliases a scenario created or reserved, in order.
#[derive(Debug, Default)]
pub struct Registry {
    entries: Vec<Entry>,
}

impl Registry {
    /// Records `alias` of `kind` as `real_name` (again is fine: same mapping).
    pub fn register(&mut self, kind: &'static KindSpec, alias: &str, real_name: &str) {
        if self.lookup(kind, alias).is_none() {
            self.entries.push(Entry {
                kind,
                alias: alias.to_owned(),
                real_name: real_name.to_owned(),
            });
        }
    }

    fn lookup(&self, kind: &KindSpec, alias: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.kind == kind && e.alias == alias)
    }

    /// The real name of `alias`, or an error that lists the aliases this scenario knows.
    pub fn resolve(&self, kind: &KindSpec, alias: &str) -> Result<String, String> {
        match self.lookup(kind, alias) {
            Some(entry) => Ok(entry.real_name.clone()),
            None => {
                let known = self.aliases(kind);
                let known = if known.is_empty() {
                    format!("this scenario has named no {} yet", kind.plural)
                } else {
                    format!("known {}: {}", kind.plural, known.join(", "))
                };
                Err(format!(
                    "unknown {kind} alias {alias:?}; {known} (create it in an earlier step, or say `Given no {kind} \"{alias}\" exists`)"
                ))
            }
        }
    }

    /// The aliases of `kind`, in the order they were named.
    pub fn aliases(&self, kind: &KindSpec) -> Vec<&str> {
        self.entries
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.alias.as_str())
            .collect()
    }
}
