//! What a person reads on the terminal while the run goes: each feature, scenario and step as
//! it finishes; a failed step with where it is, what kind of failure it is (from the World:
//! [`crate::world::FailureKind`]) and the step's message, its diff coloured when the terminal
//! takes colour. provspec's own writer, not cucumber's `Basic`: a failing step is a failure,
//! not a panic, whatever cucumber had to be told to learn of it.

use std::io::{self, Write};
use std::path::Path;

use cucumber::event::{self, Cucumber, Feature, Rule, Scenario, StepError};
use cucumber::gherkin;
use cucumber::writer::basic::{Cli, Coloring};
use cucumber::writer::out::Styles;
use cucumber::{Event, parser, writer};

use super::report_file::RunEvent;
use crate::assertions::{ACTUAL_ONLY, EXPECTED_ONLY};
use crate::world::ProvWorld;
use crate::world::error::panic_text;

/// The terminal writer (normalise it: it expects each scenario's events together, in order).
pub struct Terminal<Out: Write = io::Stdout> {
    output: Out,
    styles: Styles,
    verbosity: u8,
    coloring: Option<Coloring>,
    /// The progress line on a terminal, kept out of the way of the writer's lines.
    progress: Option<std::sync::Arc<super::progress::Progress>>,
}

impl Terminal {
    /// A terminal writer on standard output.
    pub fn stdout() -> Self {
        Terminal::new(io::stdout())
    }
}

impl<Out: Write> Terminal<Out> {
    /// A terminal writer on `output` (colour as `--color` says, `auto` by default).
    pub fn new(output: Out) -> Self {
        Terminal {
            output,
            styles: Styles::new(),
            verbosity: 0,
            coloring: None,
            progress: None,
        }
    }

    /// A terminal writer on `output` that never colours, whatever `--color` says (a test's
    /// captured output, a file).
    pub fn plain(output: Out) -> Self {
        Terminal {
            coloring: Some(Coloring::Never),
            ..Terminal::new(output)
        }
    }

    /// Keeps `progress`'s line below what this writer writes.
    pub fn with_progress(
        self,
        progress: Option<std::sync::Arc<super::progress::Progress>>,
    ) -> Self {
        Terminal { progress, ..self }
    }

    /// Writes `text`, the progress line out of its way.
    fn show(&mut self, text: &str) {
        match self.progress.clone() {
            Some(progress) => progress.around(|| write_line(&mut self.output, text)),
            None => write_line(&mut self.output, text),
        }
    }

    /// The lines for one event, if it shows.
    fn lines(&self, event: parser::Result<Event<Cucumber<ProvWorld>>>) -> Option<String> {
        match event.map(Event::into_inner) {
            Err(error) => Some(
                self.styles
                    .err(format!("cannot read: {error}"))
                    .into_owned(),
            ),
            Ok(event) => match RunEvent::from(event) {
                RunEvent::Scenario {
                    feature,
                    rule,
                    scenario,
                    event,
                    retries,
                } => {
                    let indent = if rule.is_some() { 4 } else { 2 };
                    let retry = matches!(event, Scenario::Started)
                        .then_some(retries)
                        .flatten()
                        .filter(|r| r.current > 0);
                    let lines = self.scenario(&feature, &scenario, event, indent)?;
                    Some(match retry {
                        Some(r) => format!(
                            "{lines}{}",
                            self.styles.retry(format!(
                                " (try {} of {}: the last failed)",
                                r.current + 1,
                                r.current + r.left + 1
                            ))
                        ),
                        None => lines,
                    })
                }
                RunEvent::Other(Cucumber::Feature(feature, Feature::Started)) => Some(
                    self.styles
                        .ok(format!("{}: {}", feature.keyword, feature.name))
                        .into_owned(),
                ),
                RunEvent::Other(Cucumber::Feature(_, Feature::Rule(rule, Rule::Started))) => Some(
                    self.styles
                        .ok(format!("  {}: {}", rule.keyword, rule.name))
                        .into_owned(),
                ),
                RunEvent::Other(_) => None,
            },
        }
    }

    /// The lines for one event of a scenario indented by `indent`.
    pub(crate) fn scenario(
        &self,
        feature: &gherkin::Feature,
        scenario: &gherkin::Scenario,
        event: Scenario<ProvWorld>,
        indent: usize,
    ) -> Option<String> {
        let pad = " ".repeat(indent);
        match event {
            Scenario::Started => Some(
                self.styles
                    .ok(format!("{pad}{}: {}", scenario.keyword, scenario.name))
                    .into_owned(),
            ),
            Scenario::Background(step, event) => self.step(feature, &step, event, indent, ">"),
            Scenario::Step(step, event) => self.step(feature, &step, event, indent, " "),
            Scenario::Hook(which, event::Hook::Failed(world, info)) => {
                let heading = format!(
                    "{pad} ✘  the scenario's {which} hook failed: {}:{}:{}",
                    shown_path(feature),
                    scenario.position.line,
                    scenario.position.col
                );
                let message = indented(&panic_text(info.as_ref()), indent + 4);
                let world = self.world_lines(world.as_deref(), indent + 4);
                Some(format!(
                    "{}\n{}{world}",
                    self.styles.err(heading),
                    self.styles.err(message)
                ))
            }
            Scenario::Log(message) => Some(message.trim_end().to_owned()),
            Scenario::Hook(..) | Scenario::Finished => None,
        }
    }

    /// The lines for a finished step (`mark` is `>` for a background's steps).
    fn step(
        &self,
        feature: &gherkin::Feature,
        step: &gherkin::Step,
        event: event::Step<ProvWorld>,
        indent: usize,
        mark: &str,
    ) -> Option<String> {
        let pad = " ".repeat(indent + 1);
        let text = format!(
            "{}{}{}",
            step.keyword,
            step.value,
            self.step_data(step, indent)
        );
        match event {
            event::Step::Started => None,
            event::Step::Passed(..) => {
                Some(self.styles.ok(format!("{pad}✔{mark} {text}")).into_owned())
            }
            event::Step::Skipped => Some(
                self.styles
                    .skipped(format!(
                        "{pad}?{mark} {text}\n{pad}   not run: no step matches it ({}:{}:{})",
                        shown_path(feature),
                        step.position.line,
                        step.position.col
                    ))
                    .into_owned(),
            ),
            event::Step::Failed(_, location, world, error) => {
                let kind = world.as_ref().and_then(|w| w.failure);
                let what = kind.map_or_else(String::new, |kind| format!(" ({kind})"));
                let matched = location
                    .map(|l| format!(", step defined at {}:{}", l.path, l.line))
                    .unwrap_or_default();
                let heading = format!(
                    "{pad}✘{mark} {text}\n{pad}   Step failed{what} at {}:{}:{}{matched}",
                    shown_path(feature),
                    step.position.line,
                    step.position.col
                );
                let message = self.message(&failure_text(&error), indent + 4);
                let world = self.world_lines(world.as_deref(), indent + 4);
                Some(format!("{}\n{message}{world}", self.styles.err(heading)))
            }
        }
    }

    /// A step's table (and, at `-vvv`, its doc string), indented under it.
    fn step_data(&self, step: &gherkin::Step, indent: usize) -> String {
        let mut data = String::new();
        if let Some(table) = &step.table {
            let widths: Vec<usize> = (0..table.rows.first().map_or(0, Vec::len))
                .map(|column| {
                    table
                        .rows
                        .iter()
                        .filter_map(|row| row.get(column))
                        .map(|cell| cell.chars().count())
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            for row in &table.rows {
                let cells: Vec<String> = row
                    .iter()
                    .zip(&widths)
                    .map(|(cell, width)| format!(" {cell:width$} "))
                    .collect();
                data.push_str(&format!(
                    "\n{}|{}|",
                    " ".repeat(indent + 5),
                    cells.join("|")
                ));
            }
        }
        if let Some(doc) = step.docstring.as_ref().filter(|_| self.verbosity >= 3) {
            data.push_str(&format!(
                "\n{}",
                indented(doc.trim_matches('\n'), indent + 5)
            ));
        }
        data
    }

    /// A failure's message under its step: red, a diff's own lines marked by side.
    fn message(&self, text: &str, indent: usize) -> String {
        let pad = " ".repeat(indent);
        let mut in_diff = false;
        let mut lines = Vec::new();
        for line in text.lines() {
            in_diff |= line == format!("{EXPECTED_ONLY}expected");
            let styled = if in_diff && line.starts_with(ACTUAL_ONLY) {
                self.styles.ok(format!("{pad}{line}"))
            } else if in_diff && !line.starts_with(EXPECTED_ONLY) {
                std::borrow::Cow::Owned(format!("{pad}{line}"))
            } else {
                self.styles.err(format!("{pad}{line}"))
            };
            lines.push(styled.into_owned());
        }
        lines.join("\n")
    }

    /// The World at `-vv`, after a failure.
    fn world_lines(&self, world: Option<&ProvWorld>, indent: usize) -> String {
        match world {
            Some(world) if self.verbosity >= 2 => {
                format!("\n{}", indented(&format!("{world:#?}"), indent))
            }
            _ => String::new(),
        }
    }
}

impl<Out: Write> cucumber::Writer<ProvWorld> for Terminal<Out> {
    type Cli = Cli;

    async fn handle_event(
        &mut self,
        event: parser::Result<Event<Cucumber<ProvWorld>>>,
        cli: &Self::Cli,
    ) {
        self.styles
            .apply_coloring(self.coloring.unwrap_or(cli.color));
        self.verbosity = cli.verbose;
        let finished = matches!(&event, Ok(e) if matches!(e.value, Cucumber::Finished));
        if let Some(lines) = self.lines(event) {
            self.show(&lines);
        }
        if let (true, Some(progress)) = (finished, &self.progress) {
            // The summary and the run's closing lines follow.
            progress.finish();
        }
    }
}

impl<Out: Write, Value: AsRef<str>> writer::Arbitrary<ProvWorld, Value> for Terminal<Out> {
    async fn write(&mut self, value: Value) {
        self.show(value.as_ref());
    }
}

impl<Out: Write> writer::NonTransforming for Terminal<Out> {}

/// Writes `text` and a newline; a terminal that cannot be written to ends the run loudly.
fn write_line(output: &mut impl Write, text: &str) {
    writeln!(output, "{text}")
        .and_then(|()| output.flush())
        .unwrap_or_else(|e| panic!("provspec cannot write to the terminal: {e}"));
}

/// What a failed step says: the step's message (the text its end made of its error), or
/// cucumber's words for a step it could not run.
pub(crate) fn failure_text(error: &StepError) -> String {
    match error {
        StepError::Panic(info) => panic_text(info.as_ref()),
        other => other.to_string(),
    }
}

/// The feature's path as given, shorter when it lies under the current folder.
pub fn shown_path(feature: &gherkin::Feature) -> String {
    let Some(path) = &feature.path else {
        return feature.name.clone();
    };
    std::env::current_dir()
        .ok()
        .and_then(|here| path.strip_prefix(&here).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.clone())
        .display()
        .to_string()
}

/// `text` with every line indented by `indent` spaces.
fn indented(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    text.lines()
        .map(|line| format!("{pad}{line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_keeps_its_markers_and_the_text_around_it() {
        let terminal = Terminal::new(Vec::new());
        let text = "list should equal\n- expected\n+ actual\n  [\n-   c,\n+   b,\n  ]";
        assert_eq!(
            terminal.message(text, 2),
            "  list should equal\n  - expected\n  + actual\n    [\n  -   c,\n  +   b,\n    ]"
        );
    }

    #[test]
    fn a_panic_payload_of_text_is_the_message() {
        let info: event::Info = std::sync::Arc::new(String::from("x should equal"));
        assert_eq!(panic_text(info.as_ref()), "x should equal");
        let other: event::Info = std::sync::Arc::new(7_u8);
        assert_eq!(
            panic_text(other.as_ref()),
            "(the failure carried no message)"
        );
    }
}
