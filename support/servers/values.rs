//! The placeholders of a server definition's templates: `{port}`, `{dir}`, `{file:NAME}`,
//! `{bin:NAME}`, `{root}`, `{env:NAME}`, `{out:NAME}` (a `NAME=value` line of a start script's
//! stdout) and whatever the caller adds (`{password}`, …).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use crate::servers::ServerError;

/// Values for placeholders, and where `{bin:NAME}`, `{file:NAME}` and `{root}` point.
#[derive(Clone, Debug, Default)]
pub struct Values {
    /// Plain placeholders: `port` → `40517`.
    pub plain: BTreeMap<String, String>,
    /// Where the project's binaries are (`{bin:fake-cobbler}`).
    pub bin_dir: PathBuf,
    /// The server's directory for generated files (`{dir}`, `{file:NAME}`).
    pub dir: PathBuf,
    /// The project's root (`{root}`).
    pub root: PathBuf,
    /// `KEY=VALUE` lines a start script printed (`{out:KEY}`).
    pub out: BTreeMap<String, String>,
}

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{([a-z_]+)(?::([^{}]+))?\}").expect("the placeholder pattern compiles")
});

impl Values {
    /// Sets a plain placeholder.
    pub fn set(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.plain.insert(key.to_owned(), value.into());
        self
    }

    /// `template` with every placeholder filled in; one without a value is an error naming it.
    pub fn fill(&self, server: &str, template: &str) -> Result<String, ServerError> {
        let mut missing = None;
        let filled = PLACEHOLDER.replace_all(template, |c: &regex::Captures<'_>| {
            let arg = c.get(2).map(|m| m.as_str());
            let value = match (&c[1], arg) {
                ("bin", Some(name)) => Some(path(&self.bin_dir.join(name))),
                ("file", Some(name)) => Some(path(&self.dir.join(name))),
                ("env", Some(name)) => std::env::var(name).ok(),
                ("out", Some(name)) => self.out.get(name).cloned(),
                ("dir", None) => Some(path(&self.dir)),
                ("root", None) => Some(path(&self.root)),
                (key, None) => self.plain.get(key).cloned(),
                _ => None,
            };
            value.unwrap_or_else(|| {
                missing.get_or_insert_with(|| c[0].trim_matches(['{', '}']).to_owned());
                String::new()
            })
        });
        match missing {
            None => Ok(filled.into_owned()),
            Some(placeholder) => Err(ServerError::Placeholder {
                server: server.to_owned(),
                template: template.to_owned(),
                placeholder,
                known: self.known(),
            }),
        }
    }

    fn known(&self) -> Vec<String> {
        let mut known: Vec<String> = self.plain.keys().map(|k| format!("{{{k}}}")).collect();
        known.extend(
            [
                "{dir}",
                "{root}",
                "{bin:NAME}",
                "{file:NAME}",
                "{env:NAME}",
                "{out:NAME}",
            ]
            .map(str::to_owned),
        );
        known
    }
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

/// The `KEY=VALUE` lines of `text` (a start script's stdout, as `real-ironic.sh start` prints
/// them; shell quoting of simple values is not expected).
pub fn key_values(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| {
            let (key, value) = line.split_once('=')?;
            let key = key.trim();
            (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                .then(|| (key.to_owned(), value.trim().to_owned()))
        })
        .collect()
}

/// A fresh password for a server (`{password}`): 16 random letters and digits, never printed.
pub fn random_password() -> String {
    use rand::Rng as _;
    let mut rng = rand::rng();
    (0..16)
        .map(|_| char::from(b"abcdefghijkmnopqrstuvwxyz23456789"[rng.random_range(0..33)]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_a_missing_one_is_named() {
        let mut values = Values {
            bin_dir: "/b".into(),
            dir: "/d".into(),
            root: "/r".into(),
            ..Values::default()
        };
        values.set("port", "4242");
        assert_eq!(
            values
                .fill(
                    "s",
                    "{bin:fake} --listen 127.0.0.1:{port} -c {file:a.conf} {root}"
                )
                .unwrap(),
            "/b/fake --listen 127.0.0.1:4242 -c /d/a.conf /r"
        );
        let error = values.fill("s", "x {nope}").unwrap_err().to_string();
        assert!(
            error.contains("uses {nope}, which has no value here; known: {port}"),
            "{error}"
        );
    }
}
