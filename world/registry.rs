//! The entities a scenario named, by alias.

use crate::backend::KindSpec;
use crate::world::StepResult;

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
    pub fn resolve(&self, kind: &KindSpec, alias: &str) -> StepResult<String> {
        match self.lookup(kind, alias) {
            Some(entry) => Ok(entry.real_name.clone()),
            None => {
                let known = self.aliases(kind);
                let known = if known.is_empty() {
                    format!("this scenario has named no {} yet", kind.plural)
                } else {
                    format!("known {}: {}", kind.plural, known.join(", "))
                };
                Err(crate::authoring!(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cobbler::catalogue::CATALOGUE;

    fn spec(kind: &str) -> &'static KindSpec {
        CATALOGUE.kind(kind).expect("a Cobbler kind")
    }

    #[test]
    fn aliases_resolve_to_their_real_names_per_kind_in_the_order_named() {
        let (system, profile) = (spec("system"), spec("profile"));
        let mut registry = Registry::default();
        registry.register(system, "web-02", "web-02--run1-1");
        registry.register(system, "web-01", "web-01--run1-1");
        registry.register(profile, "web-01", "web-01--run1-1p");
        assert_eq!(
            registry
                .resolve(system, "web-01")
                .map_err(|e| e.to_string()),
            Ok("web-01--run1-1".into())
        );
        assert_eq!(
            registry
                .resolve(profile, "web-01")
                .map_err(|e| e.to_string()),
            Ok("web-01--run1-1p".into())
        );
        assert_eq!(registry.aliases(system), ["web-02", "web-01"]);
        assert_eq!(registry.aliases(profile), ["web-01"]);
        assert!(registry.aliases(spec("distro")).is_empty());
        // Registering the same mapping again adds nothing.
        registry.register(system, "web-02", "web-02--run1-1");
        assert_eq!(registry.aliases(system), ["web-02", "web-01"]);
        assert_eq!(
            registry
                .resolve(system, "web-02")
                .map_err(|e| e.to_string()),
            Ok("web-02--run1-1".into())
        );
    }

    #[test]
    fn an_unknown_alias_is_an_error_that_lists_the_known_ones_of_its_kind() {
        let (system, profile) = (spec("system"), spec("profile"));
        let mut registry = Registry::default();
        assert_eq!(
            registry.resolve(system, "web-01").map_err(|e| e.to_string()),
            Err("unknown system alias \"web-01\"; this scenario has named no systems yet (create it in an earlier step, or say `Given no system \"web-01\" exists`)".into())
        );
        registry.register(system, "web-01", "web-01--run1-1");
        registry.register(system, "web-02", "web-02--run1-1");
        registry.register(profile, "base", "base--run1-1");
        assert_eq!(
            registry.resolve(system, "web-03").map_err(|e| e.to_string()),
            Err("unknown system alias \"web-03\"; known systems: web-01, web-02 (create it in an earlier step, or say `Given no system \"web-03\" exists`)".into())
        );
        // An alias of another kind is not one of this kind.
        assert_eq!(
            registry.resolve(profile, "web-01").map_err(|e| e.to_string()),
            Err("unknown profile alias \"web-01\"; known profiles: base (create it in an earlier step, or say `Given no profile \"web-01\" exists`)".into())
        );
        assert_eq!(
            registry.resolve(spec("mgmtclass"), "x").map_err(|e| e.to_string()),
            Err("unknown mgmtclass alias \"x\"; this scenario has named no mgmtclasses yet (create it in an earlier step, or say `Given no mgmtclass \"x\" exists`)".into())
        );
    }
}
