//! The JUnit report (`--junit PATH`): one test suite per feature, one test case per scenario
//! with the feature as its `classname`, its duration, and for a failed scenario a `failure`
//! whose `type` is the failure's kind ([`crate::world::FailureKind`]), whose `message` is the
//! message's first line and whose text is all of it; each case's `system-out` is its steps as
//! the terminal shows them. Plain text only: no escape codes, only characters XML 1.0 allows.

use std::io::Write;
use std::time::{Duration, SystemTime};

use cucumber::event::{self, Cucumber, Feature, Scenario};
use cucumber::gherkin;
use junit_report::{Report, TestCase, TestCaseBuilder, TestSuite};

use super::report_file::{ReportBody, RunEvent};
use super::terminal::{Terminal, failure_text};
use crate::world::ProvWorld;
use crate::world::error::panic_text;

/// The JUnit report's body (written by a [`super::report_file::ReportFile`]).
pub struct JUnit {
    report: Report,
    suite: Option<TestSuite>,
    case: Option<CaseInProgress>,
    transcript: Terminal<Vec<u8>>,
}

/// What a scenario has done so far.
struct CaseInProgress {
    started: SystemTime,
    steps: Vec<String>,
    /// The failure's kind and text, once a step or hook failed.
    failure: Option<(String, String)>,
    /// Why it did not run to its end without failing (a step no function matches).
    skipped: Option<String>,
}

impl Default for JUnit {
    fn default() -> Self {
        JUnit {
            report: Report::new(),
            suite: None,
            case: None,
            transcript: Terminal::plain(Vec::new()),
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
            } => self.scenario(&feature, rule.as_deref(), &scenario, event, at),
            RunEvent::Other(Cucumber::Feature(feature, Feature::Started)) => {
                self.suite = Some(TestSuite::new(&xml_text(&feature.name)));
            }
            RunEvent::Other(Cucumber::Feature(_, Feature::Finished)) => {
                if let Some(suite) = self.suite.take() {
                    self.report.add_testsuite(suite);
                }
            }
            RunEvent::Other(_) => {}
        }
    }

    fn write_to(&self, output: &mut dyn Write) -> Result<(), String> {
        self.report.write_xml(output).map_err(|e| e.to_string())
    }
}

impl JUnit {
    fn scenario(
        &mut self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        event: Scenario<ProvWorld>,
        at: SystemTime,
    ) {
        if let Scenario::Started = event {
            self.case = Some(CaseInProgress {
                started: at,
                steps: Vec::new(),
                failure: None,
                skipped: None,
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
                case.failure.get_or_insert((kind, failure_text(&error)));
            }
            Scenario::Hook(which, event::Hook::Failed(_, info)) => {
                let text = panic_text(info.as_ref());
                case.failure.get_or_insert((format!("{which} hook"), text));
            }
            Scenario::Step(step, event::Step::Skipped)
            | Scenario::Background(step, event::Step::Skipped) => {
                case.skipped.get_or_insert(format!(
                    "no step matches `{} {}`",
                    step.keyword.trim(),
                    step.value
                ));
            }
            Scenario::Finished => self.finish(feature, rule, scenario, at),
            _ => {}
        }
    }

    fn finish(
        &mut self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        at: SystemTime,
    ) {
        let Some(case) = self.case.take() else {
            return;
        };
        let name = xml_text(&format!(
            "{}{}: {} (line {})",
            rule.map(|r| format!("{}: ", r.name)).unwrap_or_default(),
            scenario.keyword,
            scenario.name,
            scenario.position.line
        ));
        let took = at.duration_since(case.started).unwrap_or(Duration::ZERO);
        let took = junit_report::Duration::try_from(took).unwrap_or_default();
        let mut builder = match (&case.failure, &case.skipped) {
            (Some((kind, text)), _) => {
                let first_line = text.lines().next().unwrap_or_default();
                let mut builder =
                    TestCaseBuilder::failure(&name, took, &xml_text(kind), &xml_text(first_line));
                builder.set_trace(&xml_text(text));
                builder
            }
            (None, Some(why)) => {
                TestCaseBuilder::skipped_with_cause(&name, "undefined", &xml_text(why))
            }
            (None, None) => TestCaseBuilder::success(&name, took),
        };
        builder.set_classname(&xml_text(&feature.name));
        if let Some(path) = &feature.path {
            builder.set_filepath(&xml_text(&path.display().to_string()));
        }
        builder.set_system_out(&xml_text(&case.steps.join("\n")));
        let test_case: TestCase = builder.build();
        if let Some(suite) = self.suite.as_mut() {
            suite.add_testcase(test_case);
        }
    }
}

/// `text` as XML 1.0 allows it: characters it forbids (control characters other than tab,
/// line feed and carriage return, which include terminal escape codes) become U+FFFD, and a
/// `]]>` that would end the character data early is broken up.
pub fn xml_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if c < ' ' || ('\u{fffe}'..='\u{ffff}').contains(&c) => '\u{fffd}',
            c => c,
        })
        .collect::<String>()
        .replace("]]>", "]] >")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_xml_forbids_is_replaced_and_the_rest_kept() {
        assert_eq!(xml_text("a\u{1b}[31mb\tc\nd"), "a\u{fffd}[31mb\tc\nd");
        assert_eq!(xml_text("x ]]> y"), "x ]] > y");
        assert_eq!(xml_text("é ✔"), "é ✔");
    }
}
