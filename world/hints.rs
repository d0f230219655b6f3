//! Before a scenario runs, every step is checked against the catalogue: a step no function
//! matches fails the scenario with the three closest known steps (and whether the phrase
//! exists under another keyword) and a snippet to paste; a table or doc string given to a step
//! that takes none fails it too. Nothing is silently skipped or ignored.

use std::fmt::Write as _;

use cucumber::gherkin::{Feature, Rule, Scenario, Step};
use futures::future::LocalBoxFuture;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use regex::{Regex, RegexSet};

use super::ProvWorld;
use super::catalogue::{Entry, entries, keyword};

/// The `before` hook: fails the scenario (before any step runs) with every problem found.
/// Otherwise it keeps each step's function in the World (the step runner need not match it
/// again), and a scenario using a session step (one from a `session.rs` steps file: logging
/// in, counting logins, expiring tokens) gets a session of its own.
pub fn check_steps_before<'a>(
    feature: &'a Feature,
    rule: Option<&'a Rule>,
    scenario: &'a Scenario,
    world: &'a mut ProvWorld,
) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        let root = super::crate_root();
        let file = feature.path.as_ref().map_or_else(
            || feature.name.clone(),
            |p| p.strip_prefix(&root).unwrap_or(p).display().to_string(),
        );
        let steps = feature
            .background
            .iter()
            .chain(rule.and_then(|r| r.background.as_ref()))
            .flat_map(|b| b.steps.iter())
            .chain(scenario.steps.iter());
        let mut problems = Vec::new();
        let mut own_session = false;
        for step in steps {
            match check(step, &file) {
                Ok(entry) => {
                    own_session |= is_session_step(&entry.path);
                    world.step_functions.push((
                        (step.position.line, step.position.col),
                        entry.function.clone(),
                    ));
                }
                Err(problem) => {
                    world
                        .unrunnable_steps
                        .push(((step.position.line, step.position.col), problem.clone()));
                    problems.push(problem);
                }
            }
        }
        if !problems.is_empty() {
            crate::world::error::fail_scenario(problems.join("\n"));
        }
        if let Some(sessions) = world.backend.token_sessions().filter(|_| own_session) {
            sessions.own_session();
        }
    })
}

/// True for a step about the scenario's own session: one from a steps file named `session.rs`
/// (`steps/session.rs`, or a family's).
fn is_session_step(path: &str) -> bool {
    path.starts_with("steps/") && path.ends_with("/session.rs")
}

/// The catalogue's steps of one keyword as one set of regexes, matched in one pass.
struct Matcher {
    set: RegexSet,
    /// The catalogue entry of each regex in the set.
    entries: Vec<&'static Entry>,
}

/// The matcher of `keyword`'s steps.
fn matcher(keyword: &str) -> &'static Matcher {
    static MATCHERS: OnceLock<[Matcher; 3]> = OnceLock::new();
    let matchers = MATCHERS.get_or_init(|| {
        ["Given", "When", "Then"].map(|keyword| {
            let entries: Vec<&'static Entry> =
                entries().iter().filter(|e| e.keyword == keyword).collect();
            Matcher {
                set: RegexSet::new(entries.iter().map(|e| e.regex.as_str()))
                    .expect("cucumber compiled each of these regexes already"),
                entries,
            }
        })
    });
    match keyword {
        "Given" => &matchers[0],
        "When" => &matchers[1],
        _ => &matchers[2],
    }
}

/// The step `step` runs, or what is wrong with it.
fn check(step: &Step, file: &str) -> Result<&'static Entry, String> {
    let keyword = keyword(step.ty);
    let text = step.value.as_str();
    let matcher = matcher(keyword);
    let matching: Vec<&Entry> = matcher
        .set
        .matches(text)
        .into_iter()
        .map(|i| matcher.entries[i])
        .collect();
    let at = || format!("{file}:{}:{}", step.position.line, step.position.col);
    let Some(&entry) = matching.first() else {
        return Err(undefined(keyword, text, step, &at()));
    };
    if step.docstring.is_some() && matching.iter().all(|e| !e.takes_docstring) {
        // A doc string no step reads would be silently ignored.
        return Err(format!(
            "{}: `{keyword} {text}` is given a doc string, but its step ({}:{}) reads none: remove it, or use a step that takes one",
            at(),
            entry.path,
            entry.line
        ));
    }
    if step.table.is_some() && matching.iter().all(|e| !e.takes_table) {
        return Err(format!(
            "{}: `{keyword} {text}` is given a table, but its step ({}:{}) takes none: remove it, or use a step that takes one",
            at(),
            entry.path,
            entry.line
        ));
    }
    Ok(entry)
}

/// The message for a step no function matches: nearest steps and a snippet.
fn undefined(keyword: &str, text: &str, step: &Step, at: &str) -> String {
    let mut message = format!("{at}: no step matches `{keyword} {text}`.");
    let elsewhere: Vec<&Entry> = entries()
        .iter()
        .filter(|e| e.keyword != keyword && e.regex.is_match(text))
        .collect();
    for entry in &elsewhere {
        let _ = write!(
            message,
            "\n  It exists as a `{}` step: `{} {}` ({}:{}); write `{}` (or `And` after one).",
            entry.keyword, entry.keyword, entry.phrase, entry.path, entry.line, entry.keyword
        );
    }
    let shape = shape_of(text);
    let mut ranked: Vec<(usize, &Entry)> = entries()
        .iter()
        .map(|e| (strsim::levenshtein(&shape, &plain(&e.phrase)), e))
        .collect();
    ranked.sort_by_key(|(distance, e)| (*distance, e.keyword != keyword));
    message.push_str("\n  The closest known steps:");
    for (_, entry) in ranked.iter().take(3) {
        let _ = write!(
            message,
            "\n    {} {}    ({}:{})",
            entry.keyword, entry.phrase, entry.path, entry.line
        );
    }
    if SNIPPETS.load(Ordering::Relaxed) {
        let _ = write!(
            message,
            "\n  Or add a new step to your crate (`Text` is provspec::steps::parameters::Text):\n{}",
            snippet(keyword, text, step)
        );
    } else {
        message.push_str(
            "\n  Every step there is: `provspec run --list-steps` (the same as docs/steps.md in provspec's source).",
        );
    }
    message
}

/// Whether an undefined step's message offers a Rust snippet: true for a crate that runs the
/// steps itself (it can add one), false for `provspec run`, whose users write no Rust.
static SNIPPETS: AtomicBool = AtomicBool::new(true);

/// Says whether undefined steps get a Rust snippet (see [`SNIPPETS`]).
pub fn offer_snippets(offer: bool) {
    SNIPPETS.store(offer, Ordering::Relaxed);
}

/// The step text with quoted arguments as `{string}` and numbers as `{int}`.
fn shape_of(text: &str) -> String {
    static ARGUMENT: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let argument = ARGUMENT.get_or_init(|| {
        Regex::new(r#""(?:[^"\\]|\\.)*"|\b\d+\b"#).expect("the argument pattern compiles")
    });
    argument
        .replace_all(text, |c: &regex::Captures| {
            if c[0].starts_with('"') {
                "{string}"
            } else {
                "{int}"
            }
        })
        .into_owned()
}

/// A phrase without its optional parts and alternatives, for comparing with step text.
fn plain(phrase: &str) -> String {
    static OPTIONAL: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let optional =
        OPTIONAL.get_or_init(|| Regex::new(r"\([^)]*\)").expect("the optional pattern compiles"));
    optional
        .replace_all(phrase, "")
        .split(' ')
        .map(|word| match word {
            "{attempt}" => "I",
            other => other.split('/').next().unwrap_or(other),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A ready-to-paste step definition for `text`, its arguments typed.
fn snippet(keyword: &str, text: &str, step: &Step) -> String {
    // Characters cucumber expressions give a meaning to are escaped; then Rust's quoting.
    let expression: String = shape_of(text)
        .split_inclusive(['{', '}'])
        .flat_map(|part| {
            let (body, brace) = match part.strip_suffix(['{', '}']) {
                Some(body) => (body, &part[body.len()..]),
                None => (part, ""),
            };
            let body: String = body
                .chars()
                .flat_map(|c| match c {
                    '(' | ')' | '/' | '\\' => vec!['\\', c],
                    other => vec![other],
                })
                .collect();
            [body, brace.to_owned()]
        })
        .collect::<String>()
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    let mut arguments = String::new();
    let mut names = Vec::new();
    let (mut strings, mut ints) = (0, 0);
    for word in expression.split(['{', '}']) {
        match word {
            "string" => {
                strings += 1;
                let name = format!("text{strings}");
                let _ = write!(arguments, ", {name}: Text");
                names.push(name);
            }
            "int" => {
                ints += 1;
                let name = format!("number{ints}");
                let _ = write!(arguments, ", {name}: i64");
                names.push(name);
            }
            _ => {}
        }
    }
    if step.table.is_some() || step.docstring.is_some() {
        arguments.push_str(", step: &Step");
    }
    let function: String = shape_of(text)
        .to_lowercase()
        .replace("{string}", "")
        .replace("{int}", "n")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    let attribute = keyword.to_lowercase();
    let used = if names.is_empty() {
        String::new()
    } else {
        format!(" ({})", names.join(", "))
    };
    format!(
        "    /// `{keyword} {text}`.\n    async fn {function}(world: &mut ProvWorld{arguments}) -> StepResult {{\n        Err(WorldError::authoring(\"not implemented yet: one call into the World{used}\"))\n    }}\n  and list it in your steps' registration:\n    steps.{attribute}(\"{expression}\", {function});"
    )
}
