//! The JUnit report (`--junit PATH`), in the shape Jenkins' xunit plugin validates
//! (`schemas/junit-10.xsd`) and Maven Surefire writes: one test suite per feature (its file),
//! one test case per selected scenario with the feature as its `classname` and its duration; a
//! failed scenario's `failure` has the failure's kind ([`crate::world::FailureKind`]) as its
//! `type`, the message's first line as its `message` and all of it as its text; a scenario the
//! backend's tags skip is `skipped` with why; a scenario that failed and then passed on a retry
//! carries its failed tries as `flakyFailure`s (`rerunFailure`s when it never passed). Each
//! case's `system-out` is its steps as the terminal shows them, then its evidence files as
//! `[[ATTACHMENT|path]]` lines (the Jenkins JUnit attachments plugin's form). Plain text only: no escape
//! codes, only characters XML 1.0 allows.

use std::io::Write;
use std::time::{Duration, SystemTime};

use cucumber::event::{self, Cucumber, Feature, Retries, Scenario};
use cucumber::gherkin;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::filter::{SkippedScenario, SkippedScenarios};
use super::report_file::{ReportBody, RunEvent};
use super::terminal::{Terminal, failure_text, shown_path};
use crate::world::ProvWorld;
use crate::world::error::panic_text;
use crate::world::hooks::label;
use crate::world::scenario_record::{self, ScenarioRecord};

/// The JUnit report's body (written by a [`super::report_file::ReportFile`]).
pub struct JUnit {
    suites: Vec<Suite>,
    case: Option<CaseInProgress>,
    transcript: Terminal<Vec<u8>>,
    skipped_by_tag: SkippedScenarios,
}

/// One feature's test suite.
struct Suite {
    name: String,
    file: Option<String>,
    started: SystemTime,
    cases: Vec<Case>,
}

/// One scenario's test case.
struct Case {
    name: String,
    classname: String,
    took: Duration,
    outcome: CaseOutcome,
    /// Tries that failed before the last one (`--retry`).
    earlier_failures: Vec<Failure>,
    system_out: String,
}

/// How a scenario ended.
enum CaseOutcome {
    Passed,
    Failed(Failure),
    Skipped { kind: &'static str, message: String },
}

/// A failure: its kind, and its text.
#[derive(Clone)]
struct Failure {
    kind: String,
    text: String,
}

/// What a scenario has done so far, in its current try.
struct CaseInProgress {
    started: SystemTime,
    steps: Vec<String>,
    failure: Option<Failure>,
    /// Why it did not run to its end without failing (a step no function matches).
    skipped: Option<String>,
    earlier_failures: Vec<Failure>,
}

impl JUnit {
    /// A report that also lists the scenarios in `skipped_by_tag` (as the run's filters fill it).
    pub fn new(skipped_by_tag: SkippedScenarios) -> Self {
        JUnit {
            suites: Vec::new(),
            case: None,
            transcript: Terminal::plain(Vec::new()),
            skipped_by_tag,
        }
    }
}

impl ReportBody for JUnit {
    const NAME: &'static str = "JUnit";

    fn take(&mut self, event: RunEvent, at: SystemTime) {
        match event {
            RunEvent::Scenario {
                feature,
                rule,
                scenario,
                event,
                retries,
            } => self.scenario(&feature, rule.as_deref(), &scenario, event, retries, at),
            RunEvent::Other(Cucumber::Feature(feature, Feature::Started)) => {
                self.suite_of(&feature, at);
            }
            RunEvent::Other(_) => {}
        }
    }

    fn write_to(&self, output: &mut dyn Write) -> Result<(), String> {
        let skipped = super::filter::skipped_so_far(&self.skipped_by_tag);
        let mut suites: Vec<&Suite> = self.suites.iter().collect();
        let extra = skipped_suites(&self.suites, &skipped);
        suites.extend(extra.iter());
        write_report(&suites, output).map_err(|e| e.to_string())
    }
}

impl JUnit {
    /// The suite of `feature`, started at `at` if it is new.
    fn suite_of(&mut self, feature: &gherkin::Feature, at: SystemTime) -> &mut Suite {
        let name = feature.name.clone();
        let file = feature.path.as_ref().map(|_| shown_path(feature));
        let index = match self
            .suites
            .iter()
            .position(|s| s.name == name && s.file == file)
        {
            Some(index) => index,
            None => {
                self.suites.push(Suite {
                    name,
                    file,
                    started: at,
                    cases: Vec::new(),
                });
                self.suites.len() - 1
            }
        };
        &mut self.suites[index]
    }

    fn scenario(
        &mut self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        event: Scenario<ProvWorld>,
        retries: Option<Retries>,
        at: SystemTime,
    ) {
        if let Scenario::Started = event {
            let earlier_failures = self
                .case
                .take()
                .map(|c| c.earlier_failures)
                .unwrap_or_default();
            self.case = Some(CaseInProgress {
                started: at,
                steps: Vec::new(),
                failure: None,
                skipped: None,
                earlier_failures,
            });
            return;
        }
        let Some(case) = self.case.as_mut() else {
            return;
        };
        if let Some(lines) = self
            .transcript
            .scenario(feature, scenario, event.clone(), 0)
        {
            case.steps.push(lines);
        }
        match event {
            Scenario::Step(_, event::Step::Failed(_, _, world, error))
            | Scenario::Background(_, event::Step::Failed(_, _, world, error)) => {
                let kind = world
                    .and_then(|w| w.failure)
                    .map_or_else(|| "failure".to_owned(), |k| k.to_string());
                let text = failure_text(&error);
                case.failure.get_or_insert(Failure { kind, text });
            }
            Scenario::Hook(which, event::Hook::Failed(_, info)) => {
                let text = panic_text(info.as_ref());
                let kind = format!("{which} hook");
                case.failure.get_or_insert(Failure { kind, text });
            }
            Scenario::Step(step, event::Step::Skipped)
            | Scenario::Background(step, event::Step::Skipped) => {
                case.skipped.get_or_insert(format!(
                    "no step matches `{} {}`",
                    step.keyword.trim(),
                    step.value
                ));
            }
            Scenario::Finished => self.finish(feature, rule, scenario, retries, at),
            _ => {}
        }
    }

    /// Ends the scenario's try: a failed try that will be retried is kept for the next.
    fn finish(
        &mut self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        retries: Option<Retries>,
        at: SystemTime,
    ) {
        let Some(mut case) = self.case.take() else {
            return;
        };
        let retried = retries.is_some_and(|r| r.left > 0);
        if let (Some(failure), true) = (&case.failure, retried) {
            case.earlier_failures.push(failure.clone());
            self.case = Some(case);
            return;
        }
        let outcome = match (case.failure, case.skipped) {
            (Some(failure), _) => CaseOutcome::Failed(failure),
            (None, Some(message)) => CaseOutcome::Skipped {
                kind: "undefined",
                message,
            },
            (None, None) => CaseOutcome::Passed,
        };
        let mut system_out = case.steps.join("\n");
        let record = scenario_record::of(&label(feature, scenario));
        for file in record.iter().flat_map(ScenarioRecord::evidence_files) {
            // The Jenkins JUnit attachments plugin's form: the file goes with the case.
            system_out.push_str(&format!("\n[[ATTACHMENT|{}]]", file.display()));
        }
        let test_case = Case {
            name: case_name(rule.map(|r| r.name.as_str()), scenario),
            classname: feature.name.clone(),
            took: at.duration_since(case.started).unwrap_or(Duration::ZERO),
            outcome,
            earlier_failures: case.earlier_failures,
            system_out,
        };
        self.suite_of(feature, at).cases.push(test_case);
    }
}

/// A test case's name: the rule, the scenario's keyword and name, and its line.
fn case_name(rule: Option<&str>, scenario: &gherkin::Scenario) -> String {
    format!(
        "{}{}: {} (line {})",
        rule.map(|r| format!("{r}: ")).unwrap_or_default(),
        scenario.keyword,
        scenario.name,
        scenario.position.line
    )
}

/// The scenarios the backend's tags skipped, as cases of suites of their own (a feature none
/// of whose scenarios ran has no suite yet) or added to their feature's.
fn skipped_suites(ran: &[Suite], skipped: &[SkippedScenario]) -> Vec<Suite> {
    let mut suites: Vec<Suite> = Vec::new();
    for item in skipped {
        let file = item
            .feature
            .path
            .as_ref()
            .map(|_| shown_path(&item.feature));
        let case = Case {
            name: case_name(item.rule.as_ref().map(|r| r.name.as_str()), &item.scenario),
            classname: item.feature.name.clone(),
            took: Duration::ZERO,
            outcome: CaseOutcome::Skipped {
                kind: "skipped by tag",
                message: item.reason.clone(),
            },
            earlier_failures: Vec::new(),
            system_out: String::new(),
        };
        let same = |s: &&mut Suite| s.name == item.feature.name && s.file == file;
        match suites.iter_mut().find(same) {
            Some(suite) => suite.cases.push(case),
            None => suites.push(Suite {
                name: item.feature.name.clone(),
                file,
                started: ran
                    .first()
                    .map_or_else(SystemTime::now, |suite| suite.started),
                cases: vec![case],
            }),
        }
    }
    suites
}

/// Writes the report: `testsuites`, then each suite with its counts and cases.
fn write_report(suites: &[&Suite], output: &mut dyn Write) -> std::io::Result<()> {
    let mut xml = quick_xml::Writer::new_with_indent(output, b' ', 2);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let cases = suites.iter().flat_map(|s| s.cases.iter());
    let failures = cases.clone().filter(|c| c.is_failure()).count();
    let took: Duration = cases.clone().map(|c| c.took).sum();
    xml.create_element("testsuites")
        .with_attribute(("tests", cases.count().to_string().as_str()))
        .with_attribute(("failures", failures.to_string().as_str()))
        .with_attribute(("errors", "0"))
        .with_attribute(("time", seconds(took).as_str()))
        .write_inner_content(|xml| {
            for (id, suite) in suites.iter().enumerate() {
                write_suite(xml, id, suite)?;
            }
            Ok(())
        })?;
    Ok(())
}

/// One suite and its cases.
fn write_suite<W: Write>(
    xml: &mut quick_xml::Writer<W>,
    id: usize,
    suite: &Suite,
) -> std::io::Result<()> {
    let count = |wanted: fn(&Case) -> bool| suite.cases.iter().filter(|c| wanted(c)).count();
    let took: Duration = suite.cases.iter().map(|c| c.took).sum();
    let mut element = xml
        .create_element("testsuite")
        .with_attribute(("id", id.to_string().as_str()))
        .with_attribute(("name", xml_text(&suite.name).as_str()))
        .with_attribute(("tests", suite.cases.len().to_string().as_str()))
        .with_attribute(("failures", count(Case::is_failure).to_string().as_str()))
        .with_attribute(("errors", "0"))
        .with_attribute(("skipped", count(Case::is_skipped).to_string().as_str()))
        .with_attribute(("time", seconds(took).as_str()))
        .with_attribute((
            "timestamp",
            humantime::format_rfc3339_seconds(suite.started)
                .to_string()
                .as_str(),
        ));
    if let Some(file) = &suite.file {
        element = element.with_attribute(("file", xml_text(file).as_str()));
    }
    element.write_inner_content(|xml| {
        for case in &suite.cases {
            write_case(xml, case)?;
        }
        Ok(())
    })?;
    Ok(())
}

/// One case: its outcome, its earlier failed tries, its transcript.
fn write_case<W: Write>(xml: &mut quick_xml::Writer<W>, case: &Case) -> std::io::Result<()> {
    xml.create_element("testcase")
        .with_attribute(("name", xml_text(&case.name).as_str()))
        .with_attribute(("classname", xml_text(&case.classname).as_str()))
        .with_attribute(("time", seconds(case.took).as_str()))
        .write_inner_content(|xml| {
            match &case.outcome {
                CaseOutcome::Passed => {}
                CaseOutcome::Failed(failure) => write_failure(xml, "failure", failure)?,
                CaseOutcome::Skipped { kind, message } => {
                    xml.create_element("skipped")
                        .with_attribute(("type", *kind))
                        .with_attribute(("message", xml_text(message).as_str()))
                        .write_empty()?;
                }
            }
            let earlier = match case.outcome {
                CaseOutcome::Failed(_) => "rerunFailure",
                _ => "flakyFailure",
            };
            for failure in &case.earlier_failures {
                write_failure(xml, earlier, failure)?;
            }
            if !case.system_out.is_empty() {
                xml.create_element("system-out")
                    .write_text_content(BytesText::new(&xml_text(&case.system_out)))?;
            }
            Ok(())
        })?;
    Ok(())
}

/// A `failure` (or `flakyFailure`, `rerunFailure`): kind, first line, and the whole text.
fn write_failure<W: Write>(
    xml: &mut quick_xml::Writer<W>,
    element: &str,
    failure: &Failure,
) -> std::io::Result<()> {
    let first_line = failure.text.lines().next().unwrap_or_default();
    let is_failure = element == "failure";
    let element = xml
        .create_element(element)
        .with_attribute(("type", xml_text(&failure.kind).as_str()))
        .with_attribute(("message", xml_text(first_line).as_str()));
    if is_failure {
        element.write_text_content(BytesText::new(&xml_text(&failure.text)))?;
    } else {
        // Surefire's rerun elements hold the text in a `stackTrace` child.
        element.write_inner_content(|xml| {
            xml.create_element("stackTrace")
                .write_text_content(BytesText::new(&xml_text(&failure.text)))?;
            Ok(())
        })?;
    }
    Ok(())
}

impl Case {
    fn is_failure(&self) -> bool {
        matches!(self.outcome, CaseOutcome::Failed(_))
    }

    fn is_skipped(&self) -> bool {
        matches!(self.outcome, CaseOutcome::Skipped { .. })
    }
}

/// A duration as JUnit's `time`: seconds with at most three decimals (Surefire's pattern).
fn seconds(took: Duration) -> String {
    format!("{:.3}", took.as_secs_f64())
}

/// `text` as XML 1.0 allows it: characters it forbids (control characters other than tab,
/// line feed and carriage return, which include terminal escape codes) become U+FFFD.
pub fn xml_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if c < ' ' || ('\u{fffe}'..='\u{ffff}').contains(&c) => '\u{fffd}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_xml_forbids_is_replaced_and_the_rest_kept() {
        assert_eq!(xml_text("a\u{1b}[31mb\tc\nd"), "a\u{fffd}[31mb\tc\nd");
        assert_eq!(xml_text("x ]]> y"), "x ]]> y");
        assert_eq!(xml_text("é ✔"), "é ✔");
    }

    #[test]
    fn times_have_three_decimals_at_most() {
        assert_eq!(seconds(Duration::from_nanos(1_234_567_891)), "1.235");
        assert_eq!(seconds(Duration::ZERO), "0.000");
    }
}
