//! Differential conformance: the same probe calls sent to a fake and to a real server, the
//! answers normalised (tokens, handles, times) and compared, each difference shown side by side.
//!
//! A probe is a text file, one call a line, written in the family's own call syntax
//! (`support/cobbler/conformance.probe`: `method [json args]`):
//!
//! ```text
//! # comments and blank lines are skipped
//! token = login ["{user}", "{password}"]
//! h = new_distro ["$token"]
//! modify_distro ["$h", "name", "@d1", "$token"]
//! ```
//!
//! - `NAME = …` binds the answer (each side keeps its own), `$NAME` (or `$NAME.key` for a
//!   member) puts its text into a later call, and later answers show `$NAME` where the bound
//!   text appears, so a token or handle in a fault compares equal.
//! - `@alias` at the start of a string, a path segment, a query value or after a handle's `::`
//!   (`"@d1"`, `/v1/nodes/@n1`, `?name=@n1`, `"distro::@d1"`) is a run-marked name (`d1--RUNID-1`): everything a probe
//!   creates can be swept by its run id.
//! - `eventually CALL` sends the call again (up to 15 s) until both sides answer the same: a
//!   background task the fake finishes at once and a real server a moment later.
//! - `{placeholder}` is a value of the side (`{user}`, `{password}`, `{kernel}`, …); the
//!   report shows the probe's text, so a password never prints.

pub mod probe;
pub mod report;
pub mod tree;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

pub use probe::{FillError, Probe, Step};
pub use report::Comparison;
pub use tree::Tree;

use crate::naming::Namer;

/// A step written `eventually CALL` is sent again until both sides answer the same…
const EVENTUALLY: &str = "eventually ";
/// … for at most this long …
const EVENTUALLY_WITHIN: Duration = Duration::from_secs(15);
/// … this often.
const EVENTUALLY_EVERY: Duration = Duration::from_millis(300);

/// One side of the comparison: a server the probe's calls are sent to.
#[async_trait::async_trait]
pub trait Speaker: Send + Sync {
    /// Sends one call, written in the family's syntax with every variable and placeholder
    /// already filled in, and reads the answer. `Err` is a call the probe wrote wrongly.
    async fn send(&self, call: &str) -> Result<Tree, String>;

    /// The side's placeholders (`user`, `password`, boot files …) and their values.
    fn placeholders(&self) -> &BTreeMap<String, String>;
}

/// Makes two answers comparable: masks what differs by nature (tokens, handles, times).
pub trait Normaliser: Send + Sync {
    /// `answer` to the call written `call` (the probe's text, variables not filled in).
    fn normalise(&self, call: &str, answer: Tree) -> Tree;
}

/// A probe line the runner could not send.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {detail}")]
pub struct ProbeError {
    /// The probe's file name.
    pub file: String,
    /// The line, from 1.
    pub line: usize,
    /// What is wrong.
    pub detail: String,
}

/// Sends every step of `probe` to `fake` and to `server` (the fake first, step by step, so the
/// two stay in step), and returns each step's normalised answers.
pub async fn compare(
    probe: &Probe,
    fake: &dyn Speaker,
    server: &dyn Speaker,
    normaliser: &dyn Normaliser,
    namer: &Namer,
) -> Result<Vec<Comparison>, ProbeError> {
    let mut bound = [BTreeMap::new(), BTreeMap::new()];
    let mut compared = Vec::with_capacity(probe.steps.len());
    for step in &probe.steps {
        let (call, eventually) = match step.call.strip_prefix(EVENTUALLY) {
            Some(call) => (call.trim_start(), true),
            None => (step.call.as_str(), false),
        };
        let deadline = Instant::now() + EVENTUALLY_WITHIN;
        let (fake_answer, server_answer) = loop {
            let mut answers = Vec::with_capacity(2);
            for (side, speaker) in [fake, server].into_iter().enumerate() {
                let answer = match probe::fill(call, &bound[side], speaker.placeholders(), namer) {
                    Ok(text) => speaker
                        .send(&text)
                        .await
                        .map_err(|detail| probe.error(step, detail))?,
                    Err(FillError::Unusable(why)) => Tree::Unreadable(why),
                    Err(FillError::Authoring(detail)) => return Err(probe.error(step, detail)),
                };
                answers.push(answer);
            }
            let shown: Vec<Tree> = answers
                .iter()
                .zip(&bound)
                .zip([fake, server])
                .map(|((answer, bound), speaker)| {
                    let normalised = normaliser.normalise(call, answer.clone());
                    mask_placeholders(mask_bound(normalised, bound), speaker.placeholders())
                })
                .collect();
            let agree = shown[0] == shown[1];
            if agree || !eventually || Instant::now() >= deadline {
                if let Some(name) = &step.bind {
                    for (side, answer) in answers.into_iter().enumerate() {
                        bound[side].insert(name.clone(), answer);
                    }
                }
                let mut shown = shown.into_iter();
                break (
                    shown.next().unwrap_or(Tree::Nil),
                    shown.next().unwrap_or(Tree::Nil),
                );
            }
            tokio::time::sleep(EVENTUALLY_EVERY).await;
        };
        compared.push(Comparison {
            file: probe.file.clone(),
            line: step.line,
            call: step.call.clone(),
            fake: fake_answer,
            server: server_answer,
        });
    }
    Ok(compared)
}

/// Shows `{key}` wherever a side's placeholder value (6 characters or more; not the user or
/// the password, which answers never carry and which may be a common word) appears, longest
/// first: the two sides' boot files live in different directories.
fn mask_placeholders(answer: Tree, placeholders: &BTreeMap<String, String>) -> Tree {
    let mut texts: Vec<(&String, &String)> = placeholders
        .iter()
        .filter(|(key, value)| value.len() >= 6 && !matches!(key.as_str(), "user" | "password"))
        .map(|(key, value)| (value, key))
        .collect();
    texts.sort_by_key(|(value, _)| std::cmp::Reverse(value.len()));
    let replace = |mut text: String| {
        for (value, key) in &texts {
            if text.contains(value.as_str()) {
                text = text.replace(value.as_str(), &format!("{{{key}}}"));
            }
        }
        text
    };
    answer.map_nodes(&mut |_, node| match node {
        Tree::Str(s) => Tree::Str(replace(s)),
        Tree::Fault { code, text } => Tree::Fault {
            code,
            text: replace(text),
        },
        other => other,
    })
}

/// Shows `$NAME` wherever the text of a bound string (6 characters or more) appears.
fn mask_bound(answer: Tree, bound: &BTreeMap<String, Tree>) -> Tree {
    let texts: Vec<(&str, &String)> = bound
        .iter()
        .filter_map(|(name, tree)| tree.as_str().map(|text| (text, name)))
        .filter(|(text, _)| text.len() >= 6)
        .collect();
    if texts.is_empty() {
        return answer;
    }
    answer.map_nodes(&mut |_, node| match node {
        Tree::Str(mut s) => {
            for (text, name) in &texts {
                if s.contains(text) {
                    s = s.replace(text, &format!("${name}"));
                }
            }
            Tree::Str(s)
        }
        Tree::Fault { code, mut text } => {
            for (bound_text, name) in &texts {
                text = text.replace(bound_text, &format!("${name}"));
            }
            Tree::Fault { code, text }
        }
        other => other,
    })
}
