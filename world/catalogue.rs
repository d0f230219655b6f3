//! The steps the run registered ([`super::step_definitions`], so none is missing), with each
//! step's doc comment and line read from its function's source.
//! It answers `--list-steps`, and the `before` hook uses it to explain an undefined step
//! (the closest known ones and a snippet) and to refuse a table given to a step without one.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use cucumber::gherkin::StepType;
use regex::Regex;

use super::step_definitions::{StepDefinition, StepFunction, installed};

/// One registered step.
#[derive(Clone)]
pub struct Entry {
    /// `Given`, `When` or `Then`.
    pub keyword: &'static str,
    /// What the step matches: its cucumber expression (`a/an {kind} {string}`) or regex.
    pub phrase: String,
    /// The regex cucumber matches step text with.
    pub regex: Regex,
    /// The step function's doc comment, joined into one paragraph.
    pub doc: String,
    /// Where it is defined, relative to the crate root.
    pub path: String,
    /// The line of its function.
    pub line: u32,
    /// True when the function reads the step's table (it takes the gherkin step).
    pub takes_table: bool,
    /// True when the step reads a doc string (its doc comment says `docstring`).
    pub takes_docstring: bool,
    /// The step function (so that a step matched once need not be matched again).
    pub function: StepFunction,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("keyword", &self.keyword)
            .field("phrase", &self.phrase)
            .field("path", &self.path)
            .field("line", &self.line)
            .finish_non_exhaustive()
    }
}

/// Every step the run registered, sorted by file and line.
pub fn entries() -> &'static [Entry] {
    static ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        let mut entries: Vec<Entry> = installed().iter().map(entry).collect();
        entries.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        entries
    })
}

/// The source of every built-in steps file (`crate::steps::sources`).
static SOURCES: std::sync::LazyLock<Vec<(&str, &str)>> =
    std::sync::LazyLock::new(crate::steps::sources);

/// The catalogue entry of one registered step: a built-in one read from [`SOURCES`], another
/// crate's from its file when it is there (its doc comment is then left empty).
fn entry(definition: &StepDefinition) -> Entry {
    let (path, text) = match definition.built_in_file() {
        Some(path) => {
            let text = SOURCES
                .iter()
                .find(|(p, _)| *p == path)
                .map(|(_, text)| *text);
            assert!(
                text.is_some(),
                "{path} defines a built-in step, but world/catalogue.rs is not in its folder's SOURCES (steps/mod.rs and each family's steps/FAMILY/mod.rs): add it"
            );
            (path, text.map(str::to_owned))
        }
        None => (
            definition.registered_in(),
            read_own_source(definition.location.file()),
        ),
    };
    let source = text
        .as_deref()
        .map(|text| Source::read(text, definition.function_name()))
        .unwrap_or_default();
    let doc = source.doc;
    Entry {
        keyword: keyword(definition.ty),
        phrase: definition.expression.clone(),
        regex: definition.regex.clone(),
        // A built-in step says `docstring` in its doc comment when it reads one; another
        // crate's step that takes the gherkin step may read either.
        takes_docstring: definition.takes_step
            && (doc.contains("docstring") || definition.built_in_file().is_none()),
        doc,
        path,
        line: source.line.unwrap_or_else(|| definition.location.line()),
        takes_table: definition.takes_step,
        function: definition.function.clone(),
    }
}

/// The source of another crate's steps file: its path as compiled, read from the current
/// folder or the crate under test (CARGO_MANIFEST_DIR).
fn read_own_source(path: &str) -> Option<String> {
    std::fs::read_to_string(path).ok().or_else(|| {
        let root = std::env::var_os("CARGO_MANIFEST_DIR")?;
        std::fs::read_to_string(Path::new(&root).join(path)).ok()
    })
}

/// What the source says about a step function: its doc comment and line.
#[derive(Default)]
struct Source {
    doc: String,
    line: Option<u32>,
}

impl Source {
    /// Finds `fn NAME(` in `text` and reads the `///` lines above it (attributes skipped).
    fn read(text: &str, function_name: &str) -> Self {
        let lines: Vec<&str> = text.lines().collect();
        let signature = format!("fn {function_name}(");
        let Some(at) = lines.iter().position(|l| l.contains(&signature)) else {
            return Self::default();
        };
        let mut doc_lines: Vec<&str> = lines[..at]
            .iter()
            .rev()
            .skip_while(|l| l.trim_start().starts_with("#["))
            .take_while(|l| l.trim_start().starts_with("///"))
            .map(|l| l.trim_start().trim_start_matches("///").trim())
            .collect();
        doc_lines.reverse();
        Self {
            doc: doc_lines.join(" "),
            line: u32::try_from(at + 1).ok(),
        }
    }
}

/// The keyword of a gherkin step type.
pub fn keyword(ty: StepType) -> &'static str {
    match ty {
        StepType::Given => "Given",
        StepType::When => "When",
        StepType::Then => "Then",
    }
}

/// The catalogue as text: one block per step.
pub fn render_text() -> String {
    let mut out = String::new();
    for entry in entries() {
        let _ = writeln!(
            out,
            "{} {}\n    {}\n    {}:{}{}\n",
            entry.keyword,
            entry.phrase,
            entry.doc,
            entry.path,
            entry.line,
            if entry.takes_table {
                " (takes a table)"
            } else {
                ""
            }
        );
    }
    out
}

/// The catalogue as markdown (`docs/steps.md`), grouped by file.
pub fn render_markdown() -> String {
    let mut out = String::from(
        "# Steps\n\n\
         Generated from the code by `provspec run --list-steps markdown`; CI fails \
         when it is out of date. `{kind}` is any kind of the backend the run is on, `{attempt}` is \
         `I` or `I try to` (the outcome is then recorded for `Then it should …`), `{string}` is a \
         quoted argument (`\\\"` inside it stands for a quote), `{int}` a number, `{field}` a \
         field path such as `properties.cpus`; `( with:)` is optional text.\n",
    );
    let mut current = "";
    for entry in entries() {
        if entry.path != current {
            current = &entry.path;
            let _ = write!(
                out,
                "\n## `{current}`\n\n| step | what it does | line |\n| --- | --- | --- |\n"
            );
        }
        let table = if entry.takes_table { " (+ table)" } else { "" };
        let _ = writeln!(
            out,
            "| `{} {}`{table} | {} | {} |",
            entry.keyword,
            entry.phrase.replace('|', "\\|"),
            entry.doc.replace('|', "\\|"),
            entry.line
        );
    }
    out
}
