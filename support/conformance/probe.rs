//! Reading a probe file and filling one line in for one side (see the module above for the
//! syntax).

use std::collections::BTreeMap;

use super::{ProbeError, Tree};
use crate::naming::Namer;

/// A probe: its steps in order.
#[derive(Clone, Debug)]
pub struct Probe {
    /// Where it was read from, for messages.
    pub file: String,
    /// Its calls.
    pub steps: Vec<Step>,
}

/// One call of a probe.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// Its line in the file, from 1.
    pub line: usize,
    /// The variable its answer is bound to (`token` in `token = login […]`).
    pub bind: Option<String>,
    /// The call as written, variables not filled in.
    pub call: String,
}

impl Probe {
    /// The probes given, or else the shipped ones `(file, text)` read in order (the first
    /// mistake as text).
    pub fn given_or_shipped(
        given: Option<Vec<Self>>,
        shipped: &[(&str, &str)],
    ) -> Result<Vec<Self>, String> {
        match given {
            Some(probes) => Ok(probes),
            None => shipped
                .iter()
                .map(|(name, text)| Self::parse(name, text))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| e.to_string()),
        }
    }

    /// Reads the probe in `text` (named `file` in messages).
    pub fn parse(file: &str, text: &str) -> Result<Self, ProbeError> {
        let mut steps = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let (bind, call) = match split_binding(trimmed) {
                Some((name, call)) => (Some(name.to_owned()), call),
                None => (None, trimmed),
            };
            if call.is_empty() {
                return Err(ProbeError {
                    file: file.to_owned(),
                    line,
                    detail: format!("`{trimmed}` binds nothing: expected `NAME = call`"),
                });
            }
            steps.push(Step {
                line,
                bind,
                call: call.to_owned(),
            });
        }
        Ok(Self {
            file: file.to_owned(),
            steps,
        })
    }

    /// The error for `step`, with this probe's file and the step's line.
    pub fn error(&self, step: &Step, detail: String) -> ProbeError {
        ProbeError {
            file: self.file.clone(),
            line: step.line,
            detail,
        }
    }

    /// Every distinct first word of a call (the method, or `GET`, …), in order.
    pub fn methods(&self) -> Vec<&str> {
        let mut seen = Vec::new();
        for step in &self.steps {
            let method = step.call.split_whitespace().next().unwrap_or("");
            if !seen.contains(&method) {
                seen.push(method);
            }
        }
        seen
    }
}

/// `NAME = rest` when the line starts with an identifier followed by ` = `.
fn split_binding(line: &str) -> Option<(&str, &str)> {
    let (name, rest) = line.split_once('=')?;
    let name = name.trim_end();
    let is_identifier = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    (is_identifier && line[name.len()..].starts_with(" =")).then(|| (name, rest.trim()))
}

/// A step's `call` for one side: `$NAME`/`$NAME.key` from `bound`, `"@alias` as a real
/// name, `{placeholder}` from `placeholders`. Text put into a call is escaped for a JSON
/// string, where probes write it.
pub fn fill(
    call: &str,
    bound: &BTreeMap<String, Tree>,
    placeholders: &BTreeMap<String, String>,
    namer: &Namer,
) -> Result<String, FillError> {
    let mut out = String::with_capacity(call.len() + 32);
    let mut rest = call;
    while let Some(at) = rest.find(['$', '{', '@']) {
        out.push_str(&rest[..at]);
        let sigil = rest[at..].chars().next().unwrap_or('$');
        let after = &rest[at + 1..];
        match sigil {
            '$' => {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                    .unwrap_or(after.len());
                let path = after[..end].trim_end_matches('.');
                let value = lookup(path, bound)?;
                push_json_text(&mut out, &value);
                rest = &after[path.len()..];
            }
            '{' => match after.split_once('}') {
                Some((key, tail)) if placeholders.contains_key(key) => {
                    push_json_text(&mut out, &placeholders[key]);
                    rest = tail;
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            },
            _ => {
                // `@alias` only at the start of a string, a path segment, a query value or
                // after a handle's `::`: `"@d1"`, `/v1/nodes/@n1`, `?name=@n1`, `"distro::@d1"`.
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                    .unwrap_or(after.len());
                if (out.ends_with('"')
                    || out.ends_with('/')
                    || out.ends_with('=')
                    || out.ends_with("::"))
                    && end > 0
                {
                    push_json_text(&mut out, &namer.real_name(&after[..end]));
                    rest = &after[end..];
                } else {
                    out.push('@');
                    rest = after;
                }
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Why a call could not be filled in.
#[derive(Debug, PartialEq)]
pub enum FillError {
    /// The probe is wrong: a variable no earlier line binds.
    Authoring(String),
    /// An earlier answer of this side cannot be used here (a fault where a handle was
    /// expected): the call is not sent, and its answer shows why.
    Unusable(String),
}

/// The text of a bound value (`token`) or of one of its members (`node.uuid`).
fn lookup(path: &str, bound: &BTreeMap<String, Tree>) -> Result<String, FillError> {
    let mut parts = path.split('.');
    let name = parts.next().unwrap_or("");
    let mut tree = bound.get(name).ok_or_else(|| {
        let known: Vec<&str> = bound.keys().map(String::as_str).collect();
        FillError::Authoring(format!(
            "${name} is not bound by an earlier line (bound: {})",
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ))
    })?;
    for key in parts {
        tree = tree.get(key).ok_or_else(|| {
            FillError::Unusable(format!(
                "${path}: the answer bound to ${name} has no member {key:?}: {tree}"
            ))
        })?;
    }
    Ok(match tree {
        Tree::Str(s) => s.clone(),
        Tree::Int(i) => i.to_string(),
        other => {
            return Err(FillError::Unusable(format!("not sent: ${path} is {other}")));
        }
    })
}

fn push_json_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(text: &str) -> Probe {
        Probe::parse("t.probe", text).expect("parses")
    }

    #[test]
    fn lines_bind_and_comments_are_skipped() {
        let p = probe("# c\n\ntoken = login [\"a\", \"b\"]\nping []\n");
        assert_eq!(p.steps.len(), 2);
        assert_eq!(p.steps[0].bind.as_deref(), Some("token"));
        assert_eq!(p.steps[0].line, 3);
        assert_eq!(p.steps[1].call, "ping []");
        assert_eq!(p.methods(), ["login", "ping"]);
        // `=` inside the arguments is not a binding.
        assert_eq!(
            probe("find_system [{\"name\": \"a=b\"}]").steps[0].bind,
            None
        );
    }

    #[test]
    fn variables_names_and_placeholders_are_filled_in() {
        let p = probe("modify_distro [\"$h\", \"name\", \"@d1\", \"{kernel}\", \"$t\", \"a@b\"]");
        let bound = BTreeMap::from([
            ("h".to_owned(), Tree::Str("distro::x".into())),
            ("t".to_owned(), Tree::Str("to\"k".into())),
        ]);
        let places = BTreeMap::from([("kernel".to_owned(), "/b/vmlinuz".to_owned())]);
        let namer = Namer::new("abc", 1);
        let call = fill(&p.steps[0].call, &bound, &places, &namer).expect("fills");
        assert_eq!(
            call,
            format!(
                "modify_distro [\"distro::x\", \"name\", \"{}\", \"/b/vmlinuz\", \"to\\\"k\", \"a@b\"]",
                namer.real_name("d1")
            )
        );
    }

    #[test]
    fn an_unbound_variable_names_the_bound_ones() {
        let p = probe("x [\"$nope\"]");
        let bound = BTreeMap::from([("token".to_owned(), Tree::Str("t".into()))]);
        let err = fill(
            &p.steps[0].call,
            &bound,
            &BTreeMap::new(),
            &Namer::new("abc", 1),
        )
        .unwrap_err();
        assert_eq!(
            err,
            FillError::Authoring("$nope is not bound by an earlier line (bound: token)".into())
        );
    }
}
