//! The HTML report (`--html PATH`): what it gathers from the run's events (each scenario's
//! steps, durations, status and failure) and, once the run has finished, from what each
//! scenario's after hook kept (its calls, log and evidence: [`crate::world::scenario_record`])
//! and the manifest (its items and how each was cleaned up). `html_page.rs` renders it.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use cucumber::event::{self, Cucumber, Feature, Retries, Scenario};
use cucumber::gherkin;

use super::filter::SkippedScenarios;
use super::html_page;
use super::report_file::{ReportBody, RunEvent};
use super::terminal::{failure_text, shown_path};
use crate::world::ProvWorld;
use crate::world::error::panic_text;
use crate::world::hooks::label;

/// How a scenario ended, in the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Every step passed.
    Passed,
    /// A step or hook failed, or a step matched no function.
    Failed,
    /// Skipped by the backend's tags.
    Skipped,
    /// Failed, then passed on a retry.
    Flaky,
}

impl Status {
    /// The word the page and its filters use.
    pub fn word(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
            Status::Flaky => "flaky",
        }
    }
}

/// How a step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepStatus {
    /// It passed.
    Passed,
    /// It failed.
    Failed,
    /// No function matches it.
    Undefined,
    /// It did not run (a step before it failed).
    NotRun,
}

/// One step of a scenario (its Background's first).
#[derive(Clone, Debug)]
pub struct StepReport {
    /// `Given`, `When`, ...
    pub keyword: String,
    /// The step's text.
    pub text: String,
    /// Its line.
    pub line: usize,
    /// Whether it is the Background's.
    pub background: bool,
    /// How it ended.
    pub status: StepStatus,
    /// How long it took.
    pub took: Duration,
}

/// One scenario.
#[derive(Clone, Debug)]
pub struct ScenarioReport {
    /// `Scenario`, `Example`, ...
    pub keyword: String,
    /// Its name (with its rule's before it).
    pub name: String,
    /// Its line.
    pub line: usize,
    /// The feature's, rule's and scenario's tags.
    pub tags: Vec<String>,
    /// How it ended.
    pub status: Status,
    /// How long it took (its last try).
    pub took: Duration,
    /// Its steps.
    pub steps: Vec<StepReport>,
    /// The failure's kind and text (of its last failed try).
    pub failure: Option<(String, String)>,
    /// Why it was skipped.
    pub skipped: Option<String>,
    /// The file and line the manifest and the scenario records name it by.
    pub label: crate::world::cleanup::ScenarioLabel,
}

/// One feature and its scenarios.
#[derive(Clone, Debug)]
pub struct FeatureReport {
    /// Its name.
    pub name: String,
    /// Its file, as given.
    pub file: Option<String>,
    /// Its scenarios, in the order they finished.
    pub scenarios: Vec<ScenarioReport>,
}

/// The HTML report's body (written by a [`super::report_file::ReportFile`]).
pub struct Html {
    features: Vec<FeatureReport>,
    current: Option<(ScenarioReport, SystemTime)>,
    step_started: Option<SystemTime>,
    started: Option<SystemTime>,
    skipped_by_tag: SkippedScenarios,
    /// Where the page goes: links to evidence are relative to its folder.
    page_dir: PathBuf,
    /// The run, in a few words ("run ab12 on the fake backend").
    title: String,
}

impl Html {
    /// A report on the run `title` to be written into `page_dir`, listing also the scenarios
    /// in `skipped_by_tag`.
    pub fn new(title: String, page_dir: PathBuf, skipped_by_tag: SkippedScenarios) -> Self {
        Html {
            title,
            features: Vec::new(),
            current: None,
            step_started: None,
            started: None,
            skipped_by_tag,
            page_dir,
        }
    }
}

impl ReportBody for Html {
    const NAME: &'static str = "HTML";

    fn take(&mut self, event: RunEvent, at: SystemTime) {
        self.started.get_or_insert(at);
        match event {
            RunEvent::Scenario {
                feature,
                rule,
                scenario,
                event,
                retries,
            } => self.scenario(&feature, rule.as_deref(), &scenario, event, retries, at),
            RunEvent::Other(Cucumber::Feature(feature, Feature::Started)) => {
                self.feature_of(&feature);
            }
            RunEvent::Other(_) => {}
        }
    }

    fn write_to(&self, output: &mut dyn Write) -> Result<(), String> {
        let mut features = self.features.clone();
        let skipped = super::filter::skipped_so_far(&self.skipped_by_tag);
        for item in skipped {
            let report = skipped_report(&item);
            let feature = feature_entry(&mut features, &item.feature);
            feature.scenarios.push(report);
        }
        let took = self
            .started
            .and_then(|s| SystemTime::now().duration_since(s).ok())
            .unwrap_or_default();
        let page = html_page::render(&features, &self.title, took, &self.page_dir);
        output.write_all(page.as_bytes()).map_err(|e| e.to_string())
    }
}

impl Html {
    fn feature_of(&mut self, feature: &gherkin::Feature) -> &mut FeatureReport {
        feature_entry(&mut self.features, feature)
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
        match event {
            Scenario::Started => {
                let earlier_failed = self
                    .current
                    .take()
                    .is_some_and(|(s, _)| s.failure.is_some());
                let mut report = new_report(feature, rule, scenario);
                if earlier_failed {
                    report.status = Status::Flaky;
                }
                self.current = Some((report, at));
            }
            Scenario::Step(step, event) => self.step(&step, false, event, at),
            Scenario::Background(step, event) => self.step(&step, true, event, at),
            Scenario::Hook(which, event::Hook::Failed(_, info)) => {
                if let Some((report, _)) = self.current.as_mut() {
                    let failure = (format!("{which} hook"), panic_text(info.as_ref()));
                    report.failure.get_or_insert(failure);
                }
            }
            Scenario::Finished => self.finish(feature, retries, at),
            _ => {}
        }
    }

    fn step(
        &mut self,
        step: &gherkin::Step,
        background: bool,
        event: event::Step<ProvWorld>,
        at: SystemTime,
    ) {
        let Some((report, _)) = self.current.as_mut() else {
            return;
        };
        let status = match event {
            event::Step::Started => {
                self.step_started = Some(at);
                return;
            }
            event::Step::Passed(..) => StepStatus::Passed,
            event::Step::Skipped => StepStatus::Undefined,
            event::Step::Failed(_, _, world, error) => {
                let kind = world
                    .and_then(|w| w.failure)
                    .map_or_else(|| "failure".to_owned(), |k| k.to_string());
                report.failure.get_or_insert((kind, failure_text(&error)));
                StepStatus::Failed
            }
        };
        let took = self
            .step_started
            .take()
            .and_then(|s| at.duration_since(s).ok())
            .unwrap_or_default();
        if let Some(entry) = report
            .steps
            .iter_mut()
            .find(|s| s.line == step.position.line && s.background == background)
        {
            entry.status = status;
            entry.took = took;
        }
    }

    /// Ends a try: one that failed and will be retried waits for the next.
    fn finish(&mut self, feature: &gherkin::Feature, retries: Option<Retries>, at: SystemTime) {
        let Some((mut report, started)) = self.current.take() else {
            return;
        };
        report.took = at.duration_since(started).unwrap_or_default();
        let undefined = report
            .steps
            .iter()
            .any(|s| s.status == StepStatus::Undefined);
        let failed = report.failure.is_some() || undefined;
        if failed && retries.is_some_and(|r| r.left > 0) {
            self.current = Some((report, started));
            return;
        }
        if failed {
            report.status = Status::Failed;
        }
        self.feature_of(feature).scenarios.push(report);
    }
}

/// The entry of `feature` in `features`, added if new.
fn feature_entry<'a>(
    features: &'a mut Vec<FeatureReport>,
    feature: &gherkin::Feature,
) -> &'a mut FeatureReport {
    let file = feature.path.as_ref().map(|_| shown_path(feature));
    let index = match features
        .iter()
        .position(|f| f.name == feature.name && f.file == file)
    {
        Some(index) => index,
        None => {
            features.push(FeatureReport {
                name: feature.name.clone(),
                file,
                scenarios: Vec::new(),
            });
            features.len() - 1
        }
    };
    &mut features[index]
}

/// A scenario about to run: its steps (its Background's first), none run yet.
fn new_report(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
) -> ScenarioReport {
    let background = feature
        .background
        .iter()
        .chain(rule.and_then(|r| r.background.as_ref()))
        .flat_map(|b| b.steps.iter().map(|s| (s, true)));
    let steps = background
        .chain(scenario.steps.iter().map(|s| (s, false)))
        .map(|(step, background)| StepReport {
            keyword: step.keyword.trim().to_owned(),
            text: step.value.clone(),
            line: step.position.line,
            background,
            status: StepStatus::NotRun,
            took: Duration::ZERO,
        })
        .collect();
    let tags = feature
        .tags
        .iter()
        .chain(rule.into_iter().flat_map(|r| r.tags.iter()))
        .chain(scenario.tags.iter())
        .map(|t| format!("@{t}"))
        .collect();
    ScenarioReport {
        keyword: scenario.keyword.clone(),
        name: match rule {
            Some(rule) => format!("{}: {}", rule.name, scenario.name),
            None => scenario.name.clone(),
        },
        line: scenario.position.line,
        tags,
        status: Status::Passed,
        took: Duration::ZERO,
        steps,
        failure: None,
        skipped: None,
        label: label(feature, scenario),
    }
}

/// A scenario the backend's tags skipped.
fn skipped_report(item: &super::filter::SkippedScenario) -> ScenarioReport {
    let mut report = new_report(&item.feature, item.rule.as_ref(), &item.scenario);
    report.status = Status::Skipped;
    report.skipped = Some(item.reason.clone());
    report
}
