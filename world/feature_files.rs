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
pub fn problems(pattern: &str, root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for path in feature_paths(pattern) {
        let shown = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
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
            Ok(feature) => found.extend(feature_problems(&feature, &shown)),
        }
    }
    found
}

/// The files a pattern names, sorted.
fn feature_paths(pattern: &str) -> Vec<PathBuf> {
    let path = Path::new(pattern);
    let glob = if path.is_dir() {
        format!("{}/**/*.feature", pattern.trim_end_matches('/'))
    } else {
        pattern.to_owned()
    };
    let mut paths: Vec<PathBuf> = glob::glob(&glob)
        .map(|paths| paths.filter_map(Result::ok).collect())
        .unwrap_or_default();
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
            let reason = match error {
                Some(gherkin::EnvError::InconsistentCellCount(rows)) => {
                    if let Some(located) = ragged_row(text, rows) {
                        return located;
                    }
                    let widths: Vec<String> = rows.iter().map(|r| r.len().to_string()).collect();
                    format!(
                        "inconsistent table row sizes: the rows have {} cells",
                        widths.join(", ")
                    )
                }
                Some(gherkin::EnvError::UnknownKeyword(keyword)) => {
                    format!("unknown keyword {keyword:?}")
                }
                Some(other) => other.to_string(),
                None => format!("the text here is not Gherkin; expected one of {expected}"),
            };
            format!("{position}: {reason}")
        }
    }
}

/// `line:column: reason` for the first row of the table `rows` whose width differs from its
/// first row's, found in `text`.
fn ragged_row(text: &str, rows: &[Vec<String>]) -> Option<String> {
    let cells = |line: &str| -> Option<Vec<String>> {
        let line = line.trim();
        let inner = line.strip_prefix('|')?.strip_suffix('|')?;
        Some(inner.split('|').map(|c| c.trim().to_owned()).collect())
    };
    let lines: Vec<&str> = text.lines().collect();
    let first = rows.first()?;
    let start = lines
        .iter()
        .position(|l| cells(l).as_ref() == Some(first))?;
    let (offset, ragged) = lines[start..]
        .iter()
        .enumerate()
        .take_while(|(_, l)| l.trim_start().starts_with('|'))
        .find_map(|(i, l)| cells(l).filter(|c| c.len() != first.len()).map(|c| (i, c)))?;
    let line = lines[start + offset];
    let column = line.len() - line.trim_start().len() + 1;
    Some(format!(
        "{}:{column}: inconsistent table row sizes: this row has {} cell(s), the table's first row (line {}) has {}",
        start + offset + 1,
        ragged.len(),
        start + 1,
        first.len()
    ))
}

/// What a parsed feature lacks: scenarios, or steps in a scenario.
fn feature_problems(feature: &gherkin::Feature, shown: &str) -> Vec<String> {
    let scenarios: Vec<&gherkin::Scenario> = feature
        .scenarios
        .iter()
        .chain(feature.rules.iter().flat_map(|r| r.scenarios.iter()))
        .collect();
    if scenarios.is_empty() {
        return vec![format!(
            "{shown}:{}:{}: the feature {:?} has no scenarios",
            feature.position.line, feature.position.col, feature.name
        )];
    }
    scenarios
        .into_iter()
        .filter(|s| s.steps.is_empty())
        .map(|scenario| {
            let hint = scenario
                .description
                .as_deref()
                .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
                .map(|line| {
                    format!(
                        "; its text {line:?} is not a step (steps start with {})",
                        STEP_KEYWORDS.join(", ")
                    )
                })
                .unwrap_or_default();
            format!(
                "{shown}:{}:{}: the scenario {:?} has no steps{hint}",
                scenario.position.line, scenario.position.col, scenario.name
            )
        })
        .collect()
}
