//! The steps the runner registers, read from cucumber's own registry (so none is missing),
//! with each step's phrase, doc comment and whether it takes a table read from its source.
//! It answers `--list-steps`, and the `before` hook uses it to explain an undefined step
//! (the closest known ones and a snippet) and to refuse a table given to a step without one.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use cucumber::codegen::{StepConstructor, WorldInventory};
use cucumber::gherkin::StepType;
use regex::Regex;

use super::ProvWorld;

/// The source of every file that defines steps, as compiled (so the catalogue describes this
/// build, wherever it runs). A step file missing here is reported at once.
const SOURCES: [(&str, &str); 18] = [
    ("steps/bmc.rs", include_str!("../steps/bmc.rs")),
    ("steps/calls.rs", include_str!("../steps/calls.rs")),
    ("steps/factories.rs", include_str!("../steps/factories.rs")),
    ("steps/faults.rs", include_str!("../steps/faults.rs")),
    ("steps/lifecycle.rs", include_str!("../steps/lifecycle.rs")),
    ("steps/outcomes.rs", include_str!("../steps/outcomes.rs")),
    ("steps/power.rs", include_str!("../steps/power.rs")),
    ("steps/processes.rs", include_str!("../steps/processes.rs")),
    ("steps/searches.rs", include_str!("../steps/searches.rs")),
    ("steps/servers.rs", include_str!("../steps/servers.rs")),
    ("steps/session.rs", include_str!("../steps/session.rs")),
    ("steps/states.rs", include_str!("../steps/states.rs")),
    (
        "steps/cobbler/profiles.rs",
        include_str!("../steps/cobbler/profiles.rs"),
    ),
    (
        "steps/cobbler/session.rs",
        include_str!("../steps/cobbler/session.rs"),
    ),
    (
        "steps/cobbler/systems.rs",
        include_str!("../steps/cobbler/systems.rs"),
    ),
    (
        "steps/cobbler/templates.rs",
        include_str!("../steps/cobbler/templates.rs"),
    ),
    (
        "steps/ironic/nodes.rs",
        include_str!("../steps/ironic/nodes.rs"),
    ),
    (
        "steps/ironic/ports.rs",
        include_str!("../steps/ironic/ports.rs"),
    ),
];

/// One registered step.
#[derive(Clone, Debug)]
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
    /// The line of its attribute.
    pub line: u32,
    /// True when the function reads the step's table (it takes the gherkin step).
    pub takes_table: bool,
    /// True when the step reads a doc string (its doc comment says `docstring`).
    pub takes_docstring: bool,
    /// The step function (so that a step matched once need not be matched again).
    pub function: cucumber::step::Step<ProvWorld>,
}

/// Every step the runner registers, sorted by file and line.
pub fn entries() -> &'static [Entry] {
    static ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        let mut entries = Vec::new();
        collect::<<ProvWorld as WorldInventory>::Given>("Given", &mut entries);
        collect::<<ProvWorld as WorldInventory>::When>("When", &mut entries);
        collect::<<ProvWorld as WorldInventory>::Then>("Then", &mut entries);
        entries.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        entries
    })
}

fn collect<T>(keyword: &'static str, entries: &mut Vec<Entry>)
where
    T: cucumber::codegen::inventory::Collect + StepConstructor<ProvWorld> + 'static,
{
    for constructor in cucumber::codegen::inventory::iter::<T> {
        let (location, regex, function) = constructor.inner();
        let path = clean_path(location.path);
        let source = Source::read(&path, location.line);
        assert!(
            source.phrase.is_some(),
            "{path}:{} defines a step, but world/catalogue.rs has no SOURCES entry for {path}: add it",
            location.line
        );
        entries.push(Entry {
            keyword,
            phrase: source.phrase.unwrap_or_else(|| regex().as_str().to_owned()),
            regex: regex(),
            doc: source.doc,
            path,
            line: location.line,
            takes_table: source.takes_table,
            takes_docstring: source.takes_docstring,
            function,
        });
    }
}

/// `tests/../steps/x.rs` as `steps/x.rs`.
fn clean_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in Path::new(path).iter().filter_map(|p| p.to_str()) {
        match part {
            ".." => {
                parts.pop();
            }
            "." => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// What the source says about a step: its phrase, doc comment, and whether it takes a table.
#[derive(Default)]
struct Source {
    phrase: Option<String>,
    doc: String,
    takes_table: bool,
    takes_docstring: bool,
}

impl Source {
    /// Reads the attribute at `line` of `path` (below the crate root) and what surrounds it.
    fn read(path: &str, line: u32) -> Self {
        let Some((_, text)) = SOURCES.iter().find(|(p, _)| *p == path) else {
            return Self::default();
        };
        let lines: Vec<&str> = text.lines().collect();
        let start = (line as usize).saturating_sub(1).min(lines.len());
        // The doc comment: the `///` lines right above the attribute.
        let mut doc_lines: Vec<&str> = lines[..start]
            .iter()
            .rev()
            .take_while(|l| l.trim_start().starts_with("///"))
            .map(|l| l.trim_start().trim_start_matches("///").trim())
            .collect();
        doc_lines.reverse();
        // The attribute and the signature, up to the function's body.
        let mut head = String::new();
        for line in &lines[start..] {
            head.push_str(line.trim());
            head.push(' ');
            if line.trim_end().ends_with('{') {
                break;
            }
        }
        static ATTRIBUTE: OnceLock<Regex> = OnceLock::new();
        let attribute = ATTRIBUTE.get_or_init(|| {
            Regex::new(r##"(?:expr|regex)\s*=\s*(?:r#"(.*?)"#|"((?:[^"\\]|\\.)*)")"##)
                .expect("the attribute pattern compiles")
        });
        let phrase = attribute.captures(&head).and_then(|c| {
            c.get(1)
                .or_else(|| c.get(2))
                .map(|m| m.as_str().replace("\\\"", "\"").replace("\\\\", "\\"))
        });
        let doc = doc_lines.join(" ");
        Self {
            phrase,
            takes_docstring: step_parameter().is_match(&head) && doc.contains("docstring"),
            doc,
            takes_table: step_parameter().is_match(&head),
        }
    }
}

/// A parameter that takes the gherkin step: `step: &Step`, `&gherkin::Step`, …
fn step_parameter() -> &'static Regex {
    static STEP: OnceLock<Regex> = OnceLock::new();
    STEP.get_or_init(|| {
        Regex::new(r"&\s*(?:[a-z_]+::)*Step\b").expect("the step-parameter pattern compiles")
    })
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
         Generated from the code by `cargo test --test cucumber -- --list-steps markdown`; CI fails \
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
