//! Checks the feature files before a run, so that a mistake in one is reported with its file,
//! line, column and reason instead of "Could not parse feature file", and so that nothing
//! passes silently: an empty file, a feature without scenarios and a scenario without steps
//! (often a misspelt keyword, which Gherkin reads as description text) are errors too.

use std::path::{Path, PathBuf};

use cucumber::gherkin::{self, GherkinEnv, ParseFileError};

/// The keywords a step line starts with.
const STEP_KEYWORDS: [&str; 6] = ["Given", "When", "Then", "And", "But", "*"];

/// Every problem in the `.feature` files `pattern` names (a directory, a file or a glob),
/// each as `file:line:column: reason`, with file names relative to `root` where they can be.
#[allow(
    dead_code,
    reason = "tests/failing_features.rs checks files with it; the runner uses `load`"
)]
pub fn problems(pattern: &str, root: &Path) -> Vec<String> {
    load(pattern, root).1
}

/// The features `pattern` names, each parsed once (in path order, as cucumber's parser reads
/// them), and every problem found in them (see [`problems`]): the runner checks them and
/// hands the same features to cucumber.
pub fn load(pattern: &str, root: &Path) -> (Vec<gherkin::Feature>, Vec<String>) {
    let mut features = Vec::new();
    let mut found = Vec::new();
    let paths = feature_paths(pattern);
    if paths.is_empty() {
        let why = if Path::new(pattern).exists() {
            "it holds no .feature file"
        } else if pattern.contains(['*', '?', '[']) {
            "no .feature file matches it"
        } else {
            "no such file or folder"
        };
        found.push(format!("{pattern}: {why}"));
    }
    for path in paths {
        let shown = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let shown = shown.strip_prefix("./").unwrap_or(&shown).to_owned();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                found.push(format!("{shown}: cannot be read: {e}"));
                continue;
            }
        };
        if text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            found.push(format!(
                "{shown}: the file holds no feature (it is empty or only comments)"
            ));
            continue;
        }
        match gherkin::Feature::parse_path(&path, GherkinEnv::default()) {
            Err(error) => found.push(format!("{shown}:{}", parse_error(&error, &text))),
            Ok(feature) => {
                found.extend(feature_problems(&feature, &shown, &text));
                found.extend(tag_problems(&feature, &shown, &text));
                features.push(feature);
            }
        }
    }
    (features, found)
}

/// The files a pattern names, sorted, found as cucumber finds them: a directory's
/// `*.feature` files, a file, or a glob (globwalk, as cucumber's `--input`).
fn feature_paths(pattern: &str) -> Vec<PathBuf> {
    let path = Path::new(pattern);
    let walk = |walker: Result<globwalk::GlobWalker, globwalk::GlobError>| -> Vec<PathBuf> {
        walker
            .map(|w| w.filter_map(Result::ok).map(|e| e.into_path()).collect())
            .unwrap_or_default()
    };
    let paths: Vec<PathBuf> = if path.is_file() {
        vec![path.to_owned()]
    } else if path.is_dir() {
        walk(
            globwalk::GlobWalkerBuilder::new(path, "*.feature")
                .case_insensitive(true)
                .build(),
        )
    } else {
        walk(globwalk::glob(pattern))
    };
    // globwalk writes `tests/x/*.feature`'s files as `./tests/x/a.feature`: paths as given.
    let mut paths: Vec<PathBuf> = paths
        .into_iter()
        .map(|p| {
            p.components()
                .filter(|c| !matches!(c, std::path::Component::CurDir))
                .collect()
        })
        .collect();
    paths.sort();
    paths
}

/// `line:column: reason` of a parse error in a file holding `text`.
fn parse_error(error: &ParseFileError, text: &str) -> String {
    match error {
        ParseFileError::Reading { source, .. } => format!(" cannot be read: {source}"),
        ParseFileError::Parsing { error, source, .. } => {
            // gherkin shows the position as "Error at LINE:COL: {expected …}".
            let message = source.to_string();
            let (position, expected) = message
                .strip_prefix("Error at ")
                .and_then(|rest| rest.split_once(": "))
                .unwrap_or(("?:?", message.as_str()));
            let line_number = position
                .split(':')
                .next()
                .and_then(|l| l.parse::<usize>().ok())
                .unwrap_or(0);
            match error {
                Some(gherkin::EnvError::InconsistentCellCount(_)) => ragged_row(text, line_number)
                    .unwrap_or_else(|| format!("{position}: inconsistent table row sizes")),
                // gherkin reports every failed keyword as an unknown keyword, with a slice of
                // the text: show the line itself, where it starts, and what it starts with.
                _ => unknown_keyword(text, line_number, expected),
            }
        }
    }
}

/// `line:column: reason` for the line gherkin could not read, with what it `expected` there
/// (gherkin's `{"a", "b"}`).
fn unknown_keyword(text: &str, line_number: usize, expected: &str) -> String {
    let line = text
        .lines()
        .nth(line_number.saturating_sub(1))
        .unwrap_or("");
    let column = line.len() - line.trim_start().len() + 1;
    let first_word = line.split_whitespace().next().unwrap_or("");
    let mut expected: Vec<&str> = expected
        .trim_matches(|c| c == '{' || c == '}')
        .split(", ")
        .map(|e| e.trim_matches('"'))
        .filter(|e| !e.is_empty() && *e != "unknown keyword")
        .collect();
    expected.sort_unstable();
    let expected = if expected.is_empty() {
        String::new()
    } else {
        format!("; expected one of: {}", expected.join(", "))
    };
    format!(
        "{line_number}:{column}: unknown keyword {first_word:?} in {:?} (a line starts with Feature:, Rule:, Background:, Scenario:, Scenario Outline:, Examples:, Given, When, Then, And, But, *, |, @ or #){expected}",
        line.trim()
    )
}

/// `line:column: reason` for the ragged row of the table that ends before `error_line` (where
/// gherkin noticed it): the first row whose cell count differs from the table's first row.
fn ragged_row(text: &str, error_line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let is_row = |line: &str| line.trim_start().starts_with('|');
    // The table: the last block of `|` lines that starts before the error line.
    let end = (0..error_line.min(lines.len()))
        .rev()
        .find(|&i| is_row(lines[i]))?;
    let start = (0..=end).rev().take_while(|&i| is_row(lines[i])).last()?;
    let width = |line: &str| cells(line).len();
    let first = width(lines[start]);
    let ragged = (start..=end).find(|&i| width(lines[i]) != first)?;
    let line = lines[ragged];
    let column = line.len() - line.trim_start().len() + 1;
    Some(format!(
        "{}:{column}: inconsistent table row sizes: this row has {} cell(s), the table's first row (line {}) has {first}",
        ragged + 1,
        width(line),
        start + 1
    ))
}

/// The cells of a table row (`\|` is a pipe inside a cell).
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim();
    let inner = inner.strip_prefix('|').unwrap_or(inner);
    let mut cells = vec![String::new()];
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    cells.last_mut().expect("one cell").push(next);
                }
            }
            '|' => cells.push(String::new()),
            other => cells.last_mut().expect("one cell").push(other),
        }
    }
    // The text after the last pipe is not a cell.
    cells.pop();
    cells
}

/// What a parsed feature lacks: scenarios, or steps in a scenario.
fn feature_problems(feature: &gherkin::Feature, shown: &str, text: &str) -> Vec<String> {
    let has_steps =
        |b: &Option<gherkin::Background>| b.as_ref().is_some_and(|b| !b.steps.is_empty());
    // Each scenario, and whether a Background (the feature's or its rule's) gives it steps.
    let scenarios: Vec<(&gherkin::Scenario, bool)> = feature
        .scenarios
        .iter()
        .map(|s| (s, has_steps(&feature.background)))
        .chain(feature.rules.iter().flat_map(|r| {
            let background = has_steps(&feature.background) || has_steps(&r.background);
            r.scenarios.iter().map(move |s| (s, background))
        }))
        .collect();
    if scenarios.is_empty() {
        return vec![format!(
            "{shown}:{}:{}: the feature {:?} has no scenarios",
            feature.position.line, feature.position.col, feature.name
        )];
    }
    scenarios
        .into_iter()
        .filter(|(s, background)| s.steps.is_empty() && !background)
        .map(|(scenario, _)| {
            let description = scenario
                .description
                .as_deref()
                .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()));
            match description {
                // Text where steps should be: most likely a misspelt keyword; point at it.
                Some(line) => {
                    let (number, column) = text
                        .lines()
                        .enumerate()
                        .skip(scenario.position.line)
                        .find(|(_, l)| l.trim() == line)
                        .map_or((scenario.position.line, scenario.position.col), |(i, l)| {
                            (i + 1, l.len() - l.trim_start().len() + 1)
                        });
                    let keyword = line.split_whitespace().next().unwrap_or("");
                    format!(
                        "{shown}:{number}:{column}: unknown keyword {keyword:?}: {line:?} is not a step, so the scenario {:?} has none (steps start with {})",
                        scenario.name,
                        STEP_KEYWORDS.join(", ")
                    )
                }
                None => format!(
                    "{shown}:{}:{}: the scenario {:?} has no steps",
                    scenario.position.line, scenario.position.col, scenario.name
                ),
            }
        })
        .collect()
}

/// The tags provspec reads: the families' (a feature for one family), `@fake`, `@real`,
/// `@bmc`, and the installed servers' tags.
fn known_tags() -> Vec<&'static str> {
    let mut known = crate::backends::families();
    known.extend(["fake", "real", "bmc"]);
    known.extend(
        crate::backends::FAMILIES
            .iter()
            .map(|family| family.installed_server.tag),
    );
    known
}

/// Tags that are a tag provspec reads in another case (`@Cobbler`): tags are case-sensitive,
/// so such a tag would silently select nothing.
fn tag_problems(feature: &gherkin::Feature, shown: &str, text: &str) -> Vec<String> {
    let known = known_tags();
    let tags = feature
        .tags
        .iter()
        .chain(feature.rules.iter().flat_map(|r| r.tags.iter()))
        .chain(feature.scenarios.iter().flat_map(|s| s.tags.iter()))
        .chain(
            feature
                .rules
                .iter()
                .flat_map(|r| r.scenarios.iter().flat_map(|s| s.tags.iter())),
        );
    let mut problems = Vec::new();
    for tag in tags {
        let Some(meant) = known
            .iter()
            .find(|k| k.eq_ignore_ascii_case(tag) && **k != tag.as_str())
        else {
            continue;
        };
        let written = format!("@{tag}");
        let line = text
            .lines()
            .position(|l| l.split_whitespace().any(|word| word == written))
            .map_or(1, |i| i + 1);
        let problem = format!(
            "{shown}:{line}: the tag {written} is not @{meant}: tags are case-sensitive, and provspec reads @{meant}"
        );
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_tag_in_another_case_is_a_problem_with_its_line() {
        let family = crate::backends::families()[0];
        let upper = family.to_uppercase();
        let text = format!("@{upper}\nFeature: f\n\n  @Fake\n  Scenario: s\n    Given x\n");
        let feature = gherkin::Feature::parse(&text, GherkinEnv::default()).expect("a feature");
        assert_eq!(
            tag_problems(&feature, "f.feature", &text),
            [
                format!("f.feature:1: the tag @{upper} is not @{family}: tags are case-sensitive, and provspec reads @{family}"),
                "f.feature:4: the tag @Fake is not @fake: tags are case-sensitive, and provspec reads @fake".to_owned(),
            ]
        );
    }

    #[test]
    fn an_input_that_names_no_feature_file_is_a_problem() {
        let root = Path::new("/");
        assert_eq!(
            load("/no/such/folder", root).1,
            ["/no/such/folder: no such file or folder"]
        );
        assert_eq!(
            load("/no/such/*.feature", root).1,
            ["/no/such/*.feature: no .feature file matches it"]
        );
        let empty = tempfile::tempdir().expect("a folder");
        let shown = empty.path().display().to_string();
        assert_eq!(
            load(&shown, root).1,
            [format!("{shown}: it holds no .feature file")]
        );
    }

    #[test]
    fn a_relative_glob_gives_paths_as_written() {
        // cargo runs tests in the crate's folder.
        let paths = feature_paths("tests/report_fixtures/*.feature");
        assert!(!paths.is_empty());
        for path in paths {
            assert!(
                path.starts_with("tests/report_fixtures"),
                "{}",
                path.display()
            );
        }
    }
}
