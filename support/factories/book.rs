//! The factory book of one backend family, read from a data file QA edit without touching
//! Rust (`factories/cobbler.toml`, `factories/ironic.toml`):
//!
//! ```toml
//! [kind.system]                      # what every system gets unless a step says otherwise
//! profile = "{new profile}"          # a sub-factory: a profile made for it, alias "web-01-profile"
//! "interfaces.eth0.mac_address" = "{mac}"
//!
//! [variant.web-server]               # a named variant: `Given a system "w1" from "web-server"`
//! extends = "system"                 # a kind, or another variant
//! kernel_options = "console=ttyS0"
//! after = ["power on"]               # post-create hooks
//!
//! [lab.small]                        # `Given the lab "small"`
//! items = [
//!   { from = "distro", count = 1, alias = "ubuntu" },
//!   { from = "profile", count = 2, alias = "base-{n}" },   # {new distro} → the lab's distros
//!   { from = "system", count = 4, alias = "web-{n}" },     # {new profile} → its profiles, in turn
//! ]
//! ```
//!
//! Values may hold `{n}` (the item's number in a sequence), `{mac}`, `{ip}`, `{dns}`
//! (allocated addresses), `{new KIND}` (a sub-factory) and the run's placeholders (`{boot}`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One `name = value` of a section, with its line in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The attribute path (`interfaces.eth0.mac_address`, `properties.cpus`).
    pub path: String,
    /// The value, placeholders unexpanded.
    pub value: String,
    /// Its line in the data file.
    pub line: usize,
}

/// A kind's defaults or a variant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Section {
    /// What it extends: a kind or a variant (a kind section extends nothing).
    pub extends: Option<String>,
    /// Its fields, in file order.
    pub fields: Vec<Field>,
    /// Its post-create hooks (`power on`, `state available`).
    pub after: Vec<String>,
    /// The line of its `[…]` header.
    pub line: usize,
}

/// One group of a lab: `count` items from a kind or variant, aliases from a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabGroup {
    /// A kind or a variant.
    pub from: String,
    /// How many.
    pub count: usize,
    /// The alias pattern (`web-{n}`; `n` counts from 1).
    pub alias: String,
}

/// A named standard lab: groups built in order, parents first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lab {
    /// The groups.
    pub items: Vec<LabGroup>,
    /// The line of its `[lab.…]` header.
    pub line: usize,
}

/// A variant flattened: its kind, every field (inherited ones first, overridden in place)
/// and every hook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipe {
    /// The kind it makes.
    pub kind: String,
    /// The fields, each path once.
    pub fields: Vec<Field>,
    /// The hooks, inherited ones first.
    pub after: Vec<String>,
}

/// Why a factory book cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BookError {
    /// The file could not be read.
    #[error("cannot read the factory file {path}: {detail}")]
    Unreadable {
        /// The file.
        path: String,
        /// What the system said.
        detail: String,
    },
    /// The file is not the expected TOML.
    #[error("{path}:{line}: {detail}")]
    Malformed {
        /// The file.
        path: String,
        /// Where.
        line: usize,
        /// What is wrong and what is expected.
        detail: String,
    },
    /// A name is neither a kind nor a variant, or no lab.
    #[error("unknown {what} {name:?}; known {known_what}: {known}")]
    Unknown {
        /// `variant`, `lab`.
        what: &'static str,
        /// `kinds and variants`, `labs`.
        known_what: &'static str,
        /// The name asked for.
        name: String,
        /// What there is.
        known: String,
    },
    /// Variants that extend each other in a circle.
    #[error("{path}:{line}: the variants extend each other in a circle: {cycle}")]
    Cycle {
        /// The file.
        path: String,
        /// The line of the variant where the circle was found.
        line: usize,
        /// The circle, `a → b → a`.
        cycle: String,
    },
}

/// Where allocated addresses come from, when the book says (`[addresses]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressConfig {
    /// IPv4 pools as (network, prefix length).
    pub ipv4_pools: Vec<(std::net::Ipv4Addr, u8)>,
    /// The domain of allocated DNS names.
    pub dns_domain: String,
}

/// A family's factory book.
#[derive(Clone, Debug, Default)]
pub struct Book {
    path: String,
    addresses: Option<AddressConfig>,
    kinds: BTreeMap<String, Section>,
    variants: BTreeMap<String, Section>,
    labs: BTreeMap<String, Lab>,
}

impl Book {
    /// Reads `path`, named `shown` in messages (e.g. relative to the crate root); a missing
    /// file is an empty book (kinds keep their built-in defaults).
    pub fn load(path: &Path, shown: &str) -> Result<Self, BookError> {
        let shown = shown.to_owned();
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, &shown),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self {
                path: shown,
                ..Self::default()
            }),
            Err(e) => Err(BookError::Unreadable {
                path: shown,
                detail: e.to_string(),
            }),
        }
    }

    /// Parses the text of a factory file named `path` (for messages).
    pub fn parse(text: &str, path: &str) -> Result<Self, BookError> {
        let malformed = |line: usize, detail: String| BookError::Malformed {
            path: path.to_owned(),
            line,
            detail,
        };
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let line = e.span().map_or(1, |span| {
                text[..span.start.min(text.len())].lines().count().max(1)
            });
            malformed(line, e.message().to_owned())
        })?;
        let lines = Lines::new(text);
        let mut book = Self {
            path: path.to_owned(),
            ..Self::default()
        };
        for (top, value) in &table {
            let toml::Value::Table(entries) = value else {
                return Err(malformed(
                    lines.key(None, top),
                    format!(
                        "{top:?} is not a section; the file holds [kind.NAME], [variant.NAME], [lab.NAME] and [addresses] sections"
                    ),
                ));
            };
            if top == "addresses" {
                book.addresses = Some(
                    read_addresses(entries, lines.header("addresses"))
                        .map_err(|(line, detail)| malformed(line, detail))?,
                );
                continue;
            }
            for (name, body) in entries {
                let header = format!("{top}.{name}");
                let line = lines.header(&header);
                let toml::Value::Table(body) = body else {
                    return Err(malformed(line, format!("{header} must be a table")));
                };
                match top.as_str() {
                    "kind" | "variant" => {
                        let section = read_section(body, &header, line, &lines, top == "kind")
                            .map_err(|(line, detail)| malformed(line, detail))?;
                        if top == "kind" {
                            book.kinds.insert(name.clone(), section);
                        } else {
                            book.variants.insert(name.clone(), section);
                        }
                    }
                    "lab" => {
                        let lab = read_lab(body, &header, line)
                            .map_err(|(line, detail)| malformed(line, detail))?;
                        book.labs.insert(name.clone(), lab);
                    }
                    other => {
                        return Err(malformed(
                            line,
                            format!(
                                "unknown section [{other}.{name}]; the file holds [kind.NAME], [variant.NAME] and [lab.NAME] sections"
                            ),
                        ));
                    }
                }
            }
        }
        Ok(book)
    }

    /// The address pools and domain the book sets, if it sets them.
    pub fn addresses(&self) -> Option<&AddressConfig> {
        self.addresses.as_ref()
    }

    /// The file the book was read from.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The variants' names.
    pub fn variant_names(&self) -> Vec<&str> {
        self.variants.keys().map(String::as_str).collect()
    }

    /// The labs' names.
    pub fn lab_names(&self) -> Vec<&str> {
        self.labs.keys().map(String::as_str).collect()
    }

    /// Every kind section and variant, with its name, for checks against a catalogue.
    pub fn sections(&self) -> impl Iterator<Item = (&str, &Section)> {
        self.kinds
            .iter()
            .chain(self.variants.iter())
            .map(|(name, section)| (name.as_str(), section))
    }

    /// The kind sections' names.
    pub fn kind_names(&self) -> Vec<&str> {
        self.kinds.keys().map(String::as_str).collect()
    }

    /// The lab called `name`, or an error listing the labs there are.
    pub fn lab(&self, name: &str) -> Result<&Lab, BookError> {
        self.labs.get(name).ok_or_else(|| BookError::Unknown {
            what: "lab",
            known_what: "labs",
            name: name.to_owned(),
            known: list(self.lab_names(), &self.path),
        })
    }

    /// The recipe for `name`: a kind among `kinds` (its section, if the book has one, else
    /// nothing beyond the kind's built-in defaults), or a variant, flattened.
    pub fn recipe(&self, name: &str, kinds: &[&str]) -> Result<Recipe, BookError> {
        let mut chain: Vec<(&str, &Section)> = Vec::new();
        let mut at = name.to_owned();
        loop {
            if let Some(section) = self.variants.get(&at) {
                if let Some(seen) = chain.iter().position(|(n, _)| *n == at) {
                    let mut names: Vec<&str> = chain[seen..].iter().map(|(n, _)| *n).collect();
                    names.push(&at);
                    return Err(BookError::Cycle {
                        path: self.path.clone(),
                        line: section.line,
                        cycle: names.join(" → "),
                    });
                }
                let key = self
                    .variants
                    .get_key_value(&at)
                    .map(|(k, _)| k.as_str())
                    .unwrap_or("");
                chain.push((key, section));
                match &section.extends {
                    Some(parent) => at = parent.clone(),
                    None => {
                        return Err(BookError::Malformed {
                            path: self.path.clone(),
                            line: section.line,
                            detail: format!("[variant.{at}] needs `extends = \"KIND or VARIANT\"`"),
                        });
                    }
                }
            } else if kinds.contains(&at.as_str()) {
                let kind_section = self.kinds.get(&at);
                let mut fields: Vec<Field> = Vec::new();
                let mut after: Vec<String> = Vec::new();
                let layers = kind_section
                    .into_iter()
                    .chain(chain.iter().rev().map(|(_, s)| *s));
                for layer in layers {
                    for field in &layer.fields {
                        match fields.iter_mut().find(|f| f.path == field.path) {
                            Some(existing) => *existing = field.clone(),
                            None => fields.push(field.clone()),
                        }
                    }
                    after.extend(layer.after.iter().cloned());
                }
                return Ok(Recipe {
                    kind: at,
                    fields,
                    after,
                });
            } else {
                let mut known: Vec<&str> = kinds.to_vec();
                known.extend(self.variant_names());
                let (what, line) = match chain.last() {
                    // A variant extends something unknown: say where.
                    Some((variant, section)) => {
                        return Err(BookError::Malformed {
                            path: self.path.clone(),
                            line: section.line,
                            detail: format!(
                                "[variant.{variant}] extends {at:?}, which is neither a kind nor a variant; known: {}",
                                known.join(", ")
                            ),
                        });
                    }
                    None => ("kind or variant", 0),
                };
                let _ = line;
                return Err(BookError::Unknown {
                    what,
                    known_what: "kinds and variants",
                    name: at,
                    known: list(known, &self.path),
                });
            }
        }
    }
}

fn list(names: Vec<&str>, path: &str) -> String {
    if names.is_empty() {
        format!("none (define them in {path})")
    } else {
        format!("{} (in {path})", names.join(", "))
    }
}

/// Reads a `[kind.…]` or `[variant.…]` table.
fn read_section(
    body: &toml::Table,
    header: &str,
    line: usize,
    lines: &Lines,
    is_kind: bool,
) -> Result<Section, (usize, String)> {
    let mut section = Section {
        line,
        ..Section::default()
    };
    for (key, value) in body {
        let key_line = lines.key(Some(header), key);
        match (key.as_str(), value) {
            ("extends", toml::Value::String(parent)) if !is_kind => {
                section.extends = Some(parent.clone());
            }
            ("extends", _) if is_kind => {
                return Err((
                    key_line,
                    format!(
                        "[{header}] is a kind's defaults: it extends nothing (a [variant.NAME] can)"
                    ),
                ));
            }
            ("after", toml::Value::Array(hooks)) => {
                for hook in hooks {
                    match hook {
                        toml::Value::String(hook) => section.after.push(hook.clone()),
                        other => {
                            return Err((
                                key_line,
                                format!(
                                    "`after` lists hooks as strings (\"power on\", \"state available\"), not {other}"
                                ),
                            ));
                        }
                    }
                }
            }
            ("after", toml::Value::String(hook)) => section.after.push(hook.clone()),
            (_, toml::Value::Table(_) | toml::Value::Array(_)) => {
                return Err((
                    key_line,
                    format!(
                        "{key:?} must be a single value; write nested attributes as dotted keys in quotes: \"properties.cpus\" = \"4\""
                    ),
                ));
            }
            (_, toml::Value::String(text)) => section.fields.push(Field {
                path: key.clone(),
                value: text.clone(),
                line: key_line,
            }),
            (_, other) => section.fields.push(Field {
                path: key.clone(),
                value: other.to_string(),
                line: key_line,
            }),
        }
    }
    Ok(section)
}

/// Reads the `[addresses]` table: `ipv4_pools = ["10.1.0.0/24", …]`, `dns_domain = "lab.example"`
/// (each optional; the defaults are the documentation ranges and `provspec.test`).
fn read_addresses(body: &toml::Table, line: usize) -> Result<AddressConfig, (usize, String)> {
    use super::addresses::{DEFAULT_DOMAIN, DEFAULT_POOLS};
    let expected = "[addresses] takes ipv4_pools = [\"192.0.2.0/24\", …] (prefixes /8 to /30) and dns_domain = \"lab.example\"";
    let mut config = AddressConfig {
        ipv4_pools: DEFAULT_POOLS.to_vec(),
        dns_domain: DEFAULT_DOMAIN.to_owned(),
    };
    for (key, value) in body {
        match (key.as_str(), value) {
            ("ipv4_pools", toml::Value::Array(pools)) => {
                config.ipv4_pools = pools
                    .iter()
                    .map(|pool| {
                        pool.as_str()
                            .and_then(|text| text.split_once('/'))
                            .and_then(|(network, prefix)| {
                                Some((network.parse().ok()?, prefix.parse::<u8>().ok()?))
                            })
                            .filter(|(_, prefix)| (8..=30).contains(prefix))
                            .ok_or_else(|| {
                                (line, format!("{pool} is not an IPv4 pool; {expected}"))
                            })
                    })
                    .collect::<Result<_, _>>()?;
            }
            ("dns_domain", toml::Value::String(domain)) if !domain.is_empty() => {
                config.dns_domain = domain.trim_matches('.').to_owned();
            }
            _ => return Err((line, format!("{key:?} = {value}: {expected}"))),
        }
    }
    Ok(config)
}

/// Reads a `[lab.…]` table.
fn read_lab(body: &toml::Table, header: &str, line: usize) -> Result<Lab, (usize, String)> {
    let expected =
        "a lab is `items = [{ from = \"KIND or VARIANT\", count = N, alias = \"web-{n}\" }, …]`";
    let Some(toml::Value::Array(items)) = body.get("items") else {
        return Err((line, format!("[{header}]: {expected}")));
    };
    if let Some(other) = body.keys().find(|k| *k != "items") {
        return Err((line, format!("[{header}] has {other:?}; {expected}")));
    }
    let mut lab = Lab {
        items: Vec::new(),
        line,
    };
    for item in items {
        let toml::Value::Table(item) = item else {
            return Err((line, format!("[{header}]: {expected}")));
        };
        let text = |key: &str| {
            item.get(key)
                .and_then(toml::Value::as_str)
                .map(str::to_owned)
        };
        let count = item.get("count").map_or(Some(1), |c| {
            c.as_integer().and_then(|c| usize::try_from(c).ok())
        });
        match (text("from"), count, text("alias")) {
            (Some(from), Some(count), Some(alias)) => {
                lab.items.push(LabGroup { from, count, alias })
            }
            _ => return Err((line, format!("[{header}]: {expected}"))),
        }
    }
    Ok(lab)
}

/// Line numbers of headers and keys in a TOML text (the parser keeps none for tables).
struct Lines {
    lines: Vec<String>,
}

impl Lines {
    fn new(text: &str) -> Self {
        Self {
            lines: text.lines().map(str::to_owned).collect(),
        }
    }

    /// The line of `[header]` (1 when not found).
    fn header(&self, header: &str) -> usize {
        let quoted = |h: &str| {
            h.split_once('.')
                .map(|(a, b)| format!("{a}.\"{b}\""))
                .unwrap_or_default()
        };
        self.lines
            .iter()
            .position(|l| {
                let l = l.trim();
                l == format!("[{header}]") || l == format!("[{}]", quoted(header))
            })
            .map_or(1, |i| i + 1)
    }

    /// The line of `key = …` after `[header]` (the header's line when not found).
    fn key(&self, header: Option<&str>, key: &str) -> usize {
        let start = header.map_or(0, |h| self.header(h));
        self.lines
            .iter()
            .enumerate()
            .skip(start)
            .take_while(|(i, l)| *i == start || !l.trim_start().starts_with('['))
            .find(|(_, l)| {
                let l = l.trim_start();
                let rest = l
                    .strip_prefix(&format!("\"{key}\""))
                    .or_else(|| l.strip_prefix(key));
                rest.is_some_and(|r| r.trim_start().starts_with('='))
            })
            .map_or(start.max(1), |(i, _)| i + 1)
    }
}

/// The book of `family` beside the crate: `ROOT/factories/FAMILY.toml`.
pub fn path_for(root: &Path, family: &str) -> PathBuf {
    root.join("factories").join(format!("{family}.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"
[kind.system]
profile = "{new profile}"
"interfaces.eth0.mac_address" = "{mac}"

[variant.web-server]
extends = "system"
kernel_options = "console=ttyS0"
after = ["power on"]

[variant.db-server]
extends = "web-server"
comment = "db"
kernel_options = "quiet"

[lab.small]
items = [
  { from = "distro", count = 1, alias = "ubuntu" },
  { from = "system", count = 4, alias = "web-{n}" },
]
"#;

    const KINDS: &[&str] = &["distro", "profile", "system"];

    #[test]
    fn variants_inherit_and_override_in_place() {
        let book = Book::parse(TEXT, "factories/cobbler.toml").unwrap();
        let recipe = book.recipe("db-server", KINDS).unwrap();
        assert_eq!(recipe.kind, "system");
        let fields: Vec<(&str, &str, usize)> = recipe
            .fields
            .iter()
            .map(|f| (f.path.as_str(), f.value.as_str(), f.line))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("profile", "{new profile}", 3),
                ("interfaces.eth0.mac_address", "{mac}", 4),
                ("kernel_options", "quiet", 14),
                ("comment", "db", 13),
            ]
        );
        assert_eq!(recipe.after, vec!["power on"]);
        assert_eq!(book.recipe("distro", KINDS).unwrap().fields, vec![]);
        assert_eq!(book.lab("small").unwrap().items[1].count, 4);
    }

    #[test]
    fn address_pools_and_domain_come_from_the_book() {
        let book = Book::parse(
            "[addresses]\nipv4_pools = [\"10.9.0.0/24\"]\ndns_domain = \"lab.example.\"\n",
            "f.toml",
        )
        .unwrap();
        assert_eq!(
            book.addresses(),
            Some(&AddressConfig {
                ipv4_pools: vec![(std::net::Ipv4Addr::new(10, 9, 0, 0), 24)],
                dns_domain: "lab.example".to_owned(),
            })
        );
        let error =
            Book::parse("\n[addresses]\nipv4_pools = [\"10.9.0.0/33\"]\n", "f.toml").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("f.toml:2: \"10.9.0.0/33\" is not an IPv4 pool"),
            "{error}"
        );
    }

    #[test]
    fn mistakes_say_where_and_what_there_is() {
        let book = Book::parse(TEXT, "f.toml").unwrap();
        assert_eq!(
            book.recipe("dbserver", KINDS).unwrap_err().to_string(),
            "unknown kind or variant \"dbserver\"; known kinds and variants: distro, profile, system, db-server, web-server (in f.toml)"
        );
        assert_eq!(
            book.lab("rack").unwrap_err().to_string(),
            "unknown lab \"rack\"; known labs: small (in f.toml)"
        );
        let circle = Book::parse(
            "[variant.a]\nextends = \"b\"\n\n[variant.b]\nextends = \"a\"\n",
            "f.toml",
        )
        .unwrap();
        assert_eq!(
            circle.recipe("a", KINDS).unwrap_err().to_string(),
            "f.toml:1: the variants extend each other in a circle: a → b → a"
        );
        let error = Book::parse("[kind.system]\nprofile = [1]\n", "f.toml").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("f.toml:2: \"profile\" must be a single value"),
            "{error}"
        );
        let error = Book::parse("[kind.system\n", "f.toml").unwrap_err();
        assert!(error.to_string().starts_with("f.toml:1: "), "{error}");
        let error = Book::parse("[variant.x]\nextends = \"nothing\"\n", "f.toml")
            .unwrap()
            .recipe("x", KINDS)
            .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("f.toml:1: [variant.x] extends \"nothing\""),
            "{error}"
        );
    }
}
