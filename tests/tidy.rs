//! Tidy tests: the invariants ARCHITECTURE.md states, checked by reading the source tree (in
//! the manner of rust-analyzer's tidy tests). Each failure says what is wrong and what to do.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use provspec::world::catalogue;
use provspec::world::step_definitions::{StepDefinition, Steps};
use regex::Regex;

/// The command that writes `docs/steps.md`.
const REGENERATE_STEPS_MD: &str =
    "cargo test --test cucumber -- --list-steps markdown > docs/steps.md";

/// The backend families: each lives in `support/FAMILY/`, `steps/FAMILY/`,
/// `factories/FAMILY.toml` and features tagged `@FAMILY`.
const FAMILIES: [&str; 2] = ["cobbler", "ironic"];

/// The one list of families outside their folders (ARCHITECTURE.md: "the only place outside
/// the family folders that names them").
const LIST_OF_FAMILIES: &str = "support/backends.rs";

/// Files outside the family folders whose code names a family today. This list must only
/// shrink: the goal is that only the family folders and [`LIST_OF_FAMILIES`] name them. Never
/// add a file to it; take the family-specific code into the family's folder (or ask the
/// backend through `dyn Backend` / the catalogue) instead. Remove a file once it is clean (the
/// test fails until you do, so that the list stays exact).
const KNOWN_VIOLATIONS: &[&str] = &[
    "steps/mod.rs",
    "support/bin/fake_cobbler.rs",
    "support/bin/fake_ironic.rs",
    "support/bin/provspec.rs",
    "support/calls/journal.rs",
    "support/factories/book.rs",
    "support/http.rs",
    "support/project.rs",
    "support/sweep.rs",
    "world/cleanup.rs",
    "world/manifest.rs",
    "world/processes.rs",
    "world/registry.rs",
    "world/runner/setup.rs",
];

#[test]
fn docs_steps_md_is_fresh() {
    let path = root().join("docs/steps.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let rendered = catalogue::render_markdown();
    if committed == rendered {
        return;
    }
    let mut committed_lines = committed.lines();
    let mut rendered_lines = rendered.lines();
    let mut number = 1;
    let difference = loop {
        match (committed_lines.next(), rendered_lines.next()) {
            (Some(a), Some(b)) if a == b => number += 1,
            (a, b) => {
                break format!(
                    "line {number}:\n  docs/steps.md: {}\n  the code:      {}",
                    a.unwrap_or("(end of file)"),
                    b.unwrap_or("(end of text)")
                );
            }
        }
    };
    panic!(
        "docs/steps.md is out of date with the steps (first difference at {difference}).\n\
         Regenerate it:\n  {REGENERATE_STEPS_MD}"
    );
}

#[test]
fn every_step_is_in_the_catalogue_and_every_catalogue_entry_is_registered() {
    let steps = Steps::built_in();
    let definitions = steps.definitions();
    let mut problems = Vec::new();

    let registered = count(
        definitions
            .iter()
            .map(|d| (catalogue::keyword(d.ty).to_owned(), d.expression.clone())),
    );
    let listed = count(
        catalogue::entries()
            .iter()
            .map(|e| (e.keyword.to_owned(), e.phrase.clone())),
    );
    for (step, n) in &registered {
        let m = listed.get(step).copied().unwrap_or(0);
        if m != *n {
            problems.push(format!(
                "`{} {}` is registered {n} time(s) but in the catalogue {m} time(s) \
                 (world/catalogue.rs builds its entries from the registered steps)",
                step.0, step.1
            ));
        }
    }
    for (step, m) in &listed {
        if !registered.contains_key(step) {
            problems.push(format!(
                "the catalogue lists `{} {}` ({m} time(s)) but no step is registered with it",
                step.0, step.1
            ));
        }
    }

    for entry in catalogue::entries() {
        if entry.doc.is_empty() {
            problems.push(format!(
                "{}:{}: the step `{} {}` has no doc comment: add one that starts with an \
                 example (`{} …`)",
                entry.path, entry.line, entry.keyword, entry.phrase, entry.keyword
            ));
        } else if !entry.doc.starts_with('`') {
            problems.push(format!(
                "{}:{}: the doc comment of `{} {}` should start with an example in backticks \
                 (ARCHITECTURE.md, How to add a step)",
                entry.path, entry.line, entry.keyword, entry.phrase
            ));
        }
    }
    for definition in definitions {
        if definition.built_in_file().is_none() {
            problems.push(format!(
                "{}: {} is registered as a built-in step but is not in provspec::steps",
                place(definition),
                definition.function_path
            ));
        }
    }

    let mut by_regex: BTreeMap<(&str, &str), Vec<&StepDefinition>> = BTreeMap::new();
    for definition in definitions {
        by_regex
            .entry((catalogue::keyword(definition.ty), definition.regex.as_str()))
            .or_default()
            .push(definition);
    }
    for ((keyword, _), same) in by_regex.into_iter().filter(|(_, same)| same.len() > 1) {
        let which: Vec<String> = same
            .iter()
            .map(|d| format!("`{}` ({}, {})", d.expression, d.function_name(), place(d)))
            .collect();
        problems.push(format!(
            "{} {keyword} steps match the same text (one regex): {}: reword all but one",
            same.len(),
            which.join(", ")
        ));
    }

    fail_on(
        "The registered steps and the step catalogue disagree",
        &problems,
    );
}

#[test]
fn every_step_function_in_steps_is_registered() {
    let step_function = Regex::new(
        r"(?m)^(?:pub(?:\([^)]*\))?\s+)?async\s+fn\s+(\w+)\s*(?:<[^>]*>)?\s*\(\s*(?:mut\s+)?\w+\s*:\s*&\s*(?:'\w+\s+)?mut\s+(?:[\w:]+::)?ProvWorld\b",
    )
    .unwrap();
    let register = Regex::new(r"(?ms)^(?:pub(?:\([^)]*\))?\s+)?fn\s+register\s*\(.*?^\}").unwrap();
    let listed =
        Regex::new(r#"(?s)\.(?:given|when|then)\(\s*"(?:[^"\\]|\\.)*"\s*,\s*([\w:]+)\s*,?\s*\)"#)
            .unwrap();
    let steps = Steps::built_in();
    let installed: BTreeSet<(String, &str)> = steps
        .definitions()
        .iter()
        .filter_map(|d| Some((d.built_in_file()?, d.function_name())))
        .collect();

    let mut problems = Vec::new();
    let mut found = 0;
    for file in rust_files(&root().join("steps")) {
        let path = relative(&file);
        let text = std::fs::read_to_string(&file).unwrap();
        let body = register.find(&text);
        let names: BTreeSet<&str> = body
            .map(|m| {
                listed
                    .captures_iter(m.as_str())
                    .map(|c| c.get(1).unwrap().as_str())
                    .collect()
            })
            .unwrap_or_default();
        let defined: BTreeMap<&str, usize> = step_function
            .captures_iter(&text)
            .map(|c| {
                let name = c.get(1).unwrap();
                (name.as_str(), line_of(&text, name.start()))
            })
            .collect();
        found += defined.len();
        for (name, line) in &defined {
            if !names.contains(name) {
                problems.push(format!(
                    "{path}:{line}: the step function `{name}` is not listed in this file's \
                     `register`, so it is not a step: add `.given/.when/.then(\"…\", {name})` there{}",
                    if body.is_none() {
                        " (the file has no `pub(crate) fn register(steps: &mut Steps)`)"
                    } else {
                        ""
                    }
                ));
            } else if !installed.contains(&(path.clone(), *name)) {
                problems.push(format!(
                    "{path}:{line}: `{name}` is listed in this file's `register`, but \
                     Steps::built_in() does not have it: call this file's `register` from its \
                     parent module's `register` (steps/mod.rs or the family's mod.rs)"
                ));
            }
        }
        for name in &names {
            if !defined.contains_key(name) {
                let at = body.map_or(1, |m| line_of(&text, m.start()));
                problems.push(format!(
                    "{path}:{at}: `register` lists `{name}`, which is not an `async fn {name}(world: \
                     &mut ProvWorld, …)` of this file: define the step here"
                ));
            }
        }
    }
    if found == 0 {
        problems.push(
            "no step functions found in steps/: the pattern in tests/tidy.rs no longer matches \
             how steps are written; update it"
                .to_owned(),
        );
    }
    fail_on("Step functions and `register` lists disagree", &problems);
}

#[test]
fn generated_probes_are_fresh() {
    let header = Regex::new(r"^# Generated by (scripts/[\w.-]+\.py)\b").unwrap();
    let shipped: BTreeSet<&str> = provspec::cobbler::conformance::PROBES
        .iter()
        .chain(provspec::ironic::conformance::PROBES)
        .map(|(path, _)| *path)
        .collect();
    let mut problems = Vec::new();
    let mut generators = BTreeSet::new();
    let mut probes = BTreeSet::new();
    for file in files_under(&root().join("support"), "probe") {
        let path = relative(&file);
        let text = std::fs::read_to_string(&file).unwrap();
        if !shipped.contains(path.as_str()) {
            problems.push(format!(
                "{path} is not in its family's conformance PROBES, so `provspec conformance` \
                 never sends it: add it there (or remove the file)"
            ));
        }
        probes.insert(path.clone());
        let Some(script) = header
            .captures(text.lines().next().unwrap_or(""))
            .map(|c| c[1].to_owned())
        else {
            continue;
        };
        generators.insert(script.clone());
        let output = match Command::new("python3")
            .arg(&script)
            .current_dir(root())
            .output()
        {
            Ok(output) => output,
            Err(e) => {
                problems.push(format!(
                    "{path} is generated by {script}, which could not run ({e}): python3 is \
                     needed for this check"
                ));
                continue;
            }
        };
        if !output.status.success() {
            problems.push(format!(
                "{script} failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        } else if output.stdout != text.as_bytes() {
            let generated = String::from_utf8_lossy(&output.stdout);
            let line = generated
                .lines()
                .zip(text.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| generated.lines().count().min(text.lines().count()))
                + 1;
            problems.push(format!(
                "{path} is not what {script} writes (first difference at line {line}): \
                 regenerate it:\n    {script} > {path}"
            ));
        }
    }
    for path in &shipped {
        if !probes.contains(*path) {
            problems.push(format!("PROBES names {path}, which is not there"));
        }
    }
    for script in files_under(&root().join("scripts"), "py") {
        let script = relative(&script);
        let name = script.rsplit('/').next().unwrap_or_default();
        if name.starts_with("gen-") && name.contains("probe") && !generators.contains(&script) {
            problems.push(format!(
                "{script} generates a probe, but no probe's first line says \
                 `# Generated by {script}: …`, so nothing checks that it is fresh"
            ));
        }
    }
    fail_on("The conformance probes are out of date", &problems);
}

#[test]
fn manifest_schema_is_valid_json_and_names_what_the_code_writes() {
    let text = std::fs::read_to_string(root().join("schemas/run-manifest.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("schemas/run-manifest.schema.json is not valid JSON: {e}"));
    let source = std::fs::read_to_string(root().join("world/manifest.rs")).unwrap();
    let mut problems = Vec::new();
    for (name, at) in [
        ("Manifest", ""),
        ("ScenarioEntry", "/$defs/scenario"),
        ("Leftover", "/properties/left/items"),
    ] {
        let (fields, optional) = struct_fields(&source, name);
        let always: BTreeSet<String> = fields.difference(&optional).cloned().collect();
        let object = schema.pointer(at).unwrap_or_else(|| {
            panic!("schemas/run-manifest.schema.json has nothing at {at:?} (for {name})")
        });
        let required: BTreeSet<String> = object
            .get("required")
            .and_then(|r| r.as_array())
            .map(|r| {
                r.iter()
                    .filter_map(|v| v.as_str())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let properties: BTreeSet<String> = object
            .get("properties")
            .and_then(|p| p.as_object())
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let place = if at.is_empty() { "top level" } else { at };
        for (what, names, written) in [
            ("required", &required, &always),
            ("properties", &properties, &fields),
        ] {
            let missing: Vec<&String> = written.difference(names).collect();
            let extra: Vec<&String> = names.difference(written).collect();
            if !missing.is_empty() || !extra.is_empty() {
                problems.push(format!(
                    "the schema's {what} at {place} differ from the fields of world/manifest.rs's \
                     `{name}`: missing {missing:?}, not written by the code {extra:?}"
                ));
            }
        }
    }
    fail_on(
        "schemas/run-manifest.schema.json does not describe what world/manifest.rs writes",
        &problems,
    );
}

#[test]
fn families_named_only_in_their_folders() {
    for family in FAMILIES {
        for folder in [format!("support/{family}"), format!("steps/{family}")] {
            assert!(
                root().join(&folder).is_dir(),
                "{folder} is missing: update FAMILIES in tests/tidy.rs"
            );
        }
    }
    let alternatives: Vec<String> = FAMILIES
        .iter()
        .flat_map(|f| [f.to_string(), capitalised(f)])
        .collect();
    let name = Regex::new(&format!(r"\b({})\b", alternatives.join("|"))).unwrap();
    let declaration = Regex::new(&format!(
        r"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(?:{})\s*;",
        FAMILIES.join("|")
    ))
    .unwrap();
    let family_folders: Vec<String> = FAMILIES
        .iter()
        .flat_map(|f| [format!("support/{f}/"), format!("steps/{f}/")])
        .collect();

    let mut naming: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for top in ["support", "world", "steps"] {
        for file in rust_files(&root().join(top)) {
            let path = relative(&file);
            if path == LIST_OF_FAMILIES || family_folders.iter().any(|f| path.starts_with(f)) {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            let code = without_comments(&text);
            for (n, (line, original)) in code.lines().zip(text.lines()).enumerate() {
                // A family's folder is a module its parent has to declare.
                if name.is_match(line) && !declaration.is_match(line) {
                    naming.entry(path.clone()).or_default().push(format!(
                        "{path}:{}: {}",
                        n + 1,
                        original.trim()
                    ));
                }
            }
        }
    }

    let mut problems = Vec::new();
    for (path, lines) in &naming {
        if !KNOWN_VIOLATIONS.contains(&path.as_str()) {
            problems.push(format!(
                "{path} names a backend family ({}) outside the family folders; move that code \
                 into support/FAMILY/ or steps/FAMILY/ (or reach it through `dyn Backend`, the \
                 catalogue or {LIST_OF_FAMILIES}); do not add it to KNOWN_VIOLATIONS:\n  {}",
                FAMILIES.join(", "),
                lines.join("\n  ")
            ));
        }
    }
    for path in KNOWN_VIOLATIONS {
        if !naming.contains_key(*path) {
            problems.push(format!(
                "{path} no longer names a family: remove it from KNOWN_VIOLATIONS in tests/tidy.rs"
            ));
        }
    }
    fail_on(
        "Backend families are named outside their folders",
        &problems,
    );
}

// ---- helpers ----------------------------------------------------------------------------

/// The crate root.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `path` relative to the crate root, with `/` separators.
fn relative(path: &Path) -> String {
    let path = path.strip_prefix(root()).unwrap_or(path);
    path.iter()
        .map(|p| p.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every `.rs` file below `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    files_under(dir, "rs")
}

/// Every file below `dir` whose extension is `extension`, sorted.
fn files_under(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == extension) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Where a step was registered, as `steps/x.rs:LINE` (its `location` reads
/// `support/../steps/x.rs`, the library's root being `support/`).
fn place(definition: &StepDefinition) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in definition.location.file().split(['/', '\\']) {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            part => parts.push(part),
        }
    }
    format!("{}:{}", parts.join("/"), definition.location.line())
}

/// How often each item occurs.
fn count<T: Ord>(items: impl Iterator<Item = T>) -> BTreeMap<T, usize> {
    let mut counts = BTreeMap::new();
    for item in items {
        *counts.entry(item).or_insert(0) += 1;
    }
    counts
}

/// The 1-based line of byte offset `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// `Cobbler` for `cobbler`.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The names of the fields of `pub struct NAME { … }` in `source` (as serde writes them: the
/// test refuses serde attributes that would rename or flatten them), and those of them left
/// out when absent (`skip_serializing_if`).
fn struct_fields(source: &str, name: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let start = Regex::new(&format!(r"(?m)^pub struct {name} \{{$"))
        .unwrap()
        .find(source)
        .unwrap_or_else(|| panic!("world/manifest.rs has no `pub struct {name} {{`"));
    let body = &source[start.end()..];
    let body = &body[..body.find("\n}").unwrap_or(body.len())];
    let attributes = source[..start.start()].lines().rev().take(3);
    // `skip_serializing_if` only leaves an absent value out; it renames nothing.
    let renaming = |l: &str| l.contains("#[serde(") && !l.contains("#[serde(skip_serializing_if");
    assert!(
        !body.lines().any(renaming) && !attributes.into_iter().any(renaming),
        "world/manifest.rs's `{name}` has serde attributes: teach tests/tidy.rs how they change \
         the names written"
    );
    let field = Regex::new(r"^\s+pub (\w+):").unwrap();
    let (mut fields, mut optional) = (BTreeSet::new(), BTreeSet::new());
    let mut skipped_when_absent = false;
    for line in body.lines() {
        if line.contains("#[serde(skip_serializing_if") {
            skipped_when_absent = true;
        } else if let Some(found) = field.captures(line) {
            fields.insert(found[1].to_owned());
            if std::mem::take(&mut skipped_when_absent) {
                optional.insert(found[1].to_owned());
            }
        }
    }
    assert!(
        !fields.is_empty(),
        "no `pub NAME:` fields found in world/manifest.rs's `{name}`"
    );
    (fields, optional)
}

/// `text` with its comments blanked out (line breaks kept, so lines still line up); string
/// and character literals are kept as they are.
fn without_comments(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let identifier_before = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && !identifier_before && matches!(at(i + 1), '"' | '#') {
            // A raw string: r"…", r#"…"#.
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            if at(i + 1 + hashes) != '"' {
                out.push(c);
                i += 1;
                continue;
            }
            let close: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let mut j = i + 2 + hashes;
            while j < chars.len() && !chars[j..].starts_with(&close) {
                j += 1;
            }
            let end = (j + close.len()).min(chars.len());
            out.extend(&chars[i..end]);
            i = end;
        } else if c == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(chars.len());
            out.extend(&chars[i..end]);
            i = end;
        } else if c == '\'' && (at(i + 1) == '\\' || at(i + 2) == '\'') {
            // A character literal ('x', '\n', '\'', '\u{…}'), not a lifetime.
            let mut j = i + 1;
            if at(j) == '\\' {
                j += 2;
            } else {
                j += 1;
            }
            while j < chars.len() && chars[j] != '\'' {
                j += 1;
            }
            let end = (j + 1).min(chars.len());
            out.extend(&chars[i..end]);
            i = end;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Fails with `title` and every problem, one per paragraph.
fn fail_on(title: &str, problems: &[String]) {
    if problems.is_empty() {
        return;
    }
    let mut message = format!("{title} ({} problem(s)):\n", problems.len());
    for problem in problems {
        let _ = writeln!(message, "\n- {problem}");
    }
    panic!("{message}");
}

#[test]
fn comments_are_blanked_and_literals_kept() {
    let text =
        "let a = \"http://x\"; // cobbler\n/* ironic /* nested */ still */ 'c' '\\'' r#\"//\"# b\n";
    let code = without_comments(text);
    assert_eq!(code.lines().count(), text.lines().count());
    assert!(code.contains("\"http://x\""), "{code}");
    assert!(!code.contains("cobbler") && !code.contains("ironic") && !code.contains("still"));
    assert!(code.contains("'c' '\\'' r#\"//\"# b"), "{code}");
}
