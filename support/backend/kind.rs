//! Kinds as data: what a backend offers, which attributes each kind has, which of them name
//! another item, the defaults a new item gets, and how names are checked.

use std::fmt;

use super::Error;

/// One kind of item a backend offers (a Cobbler `system`, an Ironic `node`).
#[derive(Debug)]
pub struct KindSpec {
    /// The singular name features use: `system`, `node`.
    pub name: &'static str,
    /// The plural: `systems`, `nodes`.
    pub plural: &'static str,
    /// Attributes that can be set at creation and by modify, sorted.
    pub attributes: &'static [&'static str],
    /// Attributes that hold a map: a path below them (`properties.cpus`) can be set too.
    pub maps: &'static [&'static str],
    /// Attributes whose value names another item: `(attribute, kind)`. Features give aliases
    /// there; the World turns them into real names.
    pub references: &'static [(&'static str, &'static str)],
    /// What a new item gets unless the feature says otherwise. Values may hold placeholders
    /// such as `{boot}` that the run fills in.
    pub defaults: &'static [(&'static str, &'static str)],
    /// Which names the server accepts for this kind, and what that means in words.
    pub names: NameRule,
}

/// How a backend checks the names of a kind.
#[derive(Debug)]
pub struct NameRule {
    /// True for a name the server accepts.
    pub accepts: fn(&str) -> bool,
    /// The rule in words.
    pub description: &'static str,
}

impl NameRule {
    /// A rule for names of `1..=max_len` characters, each accepted by `char_ok`.
    pub fn chars(name: &str, max_len: usize, char_ok: fn(char) -> bool) -> bool {
        (1..=max_len).contains(&name.chars().count()) && name.chars().all(char_ok)
    }
}

impl PartialEq for KindSpec {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for KindSpec {}

impl fmt::Display for KindSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl KindSpec {
    /// The kind `attribute` names, if it is a reference.
    pub fn reference(&self, attribute: &str) -> Option<&'static str> {
        self.references
            .iter()
            .find(|(a, _)| *a == attribute)
            .map(|(_, kind)| *kind)
    }

    /// Ok when the kind has `attribute` (or it is a path below one of its maps); otherwise an
    /// error that lists the known ones.
    pub fn check_attribute(&self, attribute: &str) -> Result<(), Error> {
        let top = attribute.split('.').next().unwrap_or(attribute);
        let known = if attribute.contains('.') {
            self.maps.contains(&top)
        } else {
            self.attributes.contains(&attribute)
        };
        if known {
            return Ok(());
        }
        Err(Error::UnknownAttribute {
            kind: self.name,
            attribute: attribute.to_owned(),
            known: self.attributes.join(", "),
        })
    }

    /// True when `name` is one the server accepts for this kind.
    pub fn name_is_valid(&self, name: &str) -> bool {
        (self.names.accepts)(name)
    }
}

/// Every kind one backend family offers, parents before children.
#[derive(Debug)]
pub struct Catalogue {
    /// The family: `cobbler`, `ironic`. Features name it in a tag (`@cobbler`).
    pub family: &'static str,
    /// The kinds.
    pub kinds: &'static [KindSpec],
    /// The call that logs a session in (`login` on Cobbler), counted in the call journal;
    /// `None` for a family without sessions.
    pub login_call: Option<&'static str>,
    /// How to take a new item to a state: `(state, [(action, state it settles in), …])`, the
    /// actions run in order through [`crate::backend::Backend::act`] (Ironic: `available` is
    /// `manage` then `provide`).
    pub state_paths: &'static [(&'static str, &'static [(&'static str, &'static str)])],
    /// How many independent creates the server takes at once (a lab's group); 1 where the
    /// server mishandles concurrent saves.
    pub concurrent_creates: usize,
    /// References that only name their target, `(kind, attribute)`: removing the target (even
    /// recursively) leaves the item (Cobbler: a profile's `repos`, a management class's
    /// `packages`). The other references make the item a dependant, removed with its target.
    pub naming_references: &'static [(&'static str, &'static str)],
    /// The factory book a project without `factories/FAMILY.toml` uses: the one shipped in
    /// this repository's `factories/`, compiled in.
    pub built_in_factory_book: &'static str,
}

impl Catalogue {
    /// True when removing what `kind`'s `attribute` names takes the item with it.
    pub fn is_dependency(&self, kind: &str, attribute: &str) -> bool {
        !self.naming_references.contains(&(kind, attribute))
    }

    /// The kind called `text` (singular or plural), or an error that lists the known ones.
    pub fn kind(&self, text: &str) -> Result<&'static KindSpec, Error> {
        self.kinds
            .iter()
            .find(|k| text == k.name || text == k.plural)
            .ok_or_else(|| Error::UnknownKind {
                family: self.family,
                kind: text.to_owned(),
                known: self
                    .kinds
                    .iter()
                    .map(|k| k.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// True when `attribute` names an item in some kind of this family (so search values
    /// for it are aliases); `name` always does.
    pub fn is_name_valued(&self, attribute: &str) -> bool {
        attribute == "name"
            || self
                .kinds
                .iter()
                .any(|k| k.references.iter().any(|(a, _)| *a == attribute))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static THING: KindSpec = KindSpec {
        name: "thing",
        plural: "things",
        attributes: &["colour", "owner", "properties"],
        maps: &["properties"],
        references: &[("owner", "person")],
        defaults: &[],
        names: NameRule {
            accepts: |name| NameRule::chars(name, 8, |c| c.is_ascii_lowercase() || c == '-'),
            description: "up to 8 lower-case letters and dashes",
        },
    };
    static CATALOGUE: Catalogue = Catalogue {
        login_call: None,
        state_paths: &[],
        concurrent_creates: 1,
        family: "toy",
        kinds: std::slice::from_ref(&THING),
        naming_references: &[],
        built_in_factory_book: "",
    };

    #[test]
    fn attributes_and_map_paths_are_checked_with_the_known_ones_listed() {
        THING.check_attribute("colour").unwrap();
        THING.check_attribute("properties.cpus").unwrap();
        assert_eq!(
            THING.check_attribute("color").unwrap_err().to_string(),
            "unknown thing attribute \"color\"; known thing attributes: colour, owner, properties"
        );
        assert!(THING.check_attribute("colour.x").is_err());
        assert_eq!(THING.reference("owner"), Some("person"));
    }

    #[test]
    fn kinds_are_found_by_singular_or_plural() {
        assert_eq!(CATALOGUE.kind("things").unwrap().name, "thing");
        assert_eq!(
            CATALOGUE.kind("node").unwrap_err().to_string(),
            "the toy backend has no kind \"node\"; its kinds: thing"
        );
        assert!(CATALOGUE.is_name_valued("owner"));
        assert!(!CATALOGUE.is_name_valued("colour"));
        assert!(THING.name_is_valid("a-b"));
        assert!(!THING.name_is_valid("a b"));
        assert!(!THING.name_is_valid(""));
        assert!(!THING.name_is_valid("abcdefghi"));
    }
}
