//! The Cucumber JSON report (`--cucumber-json PATH`) in the shape the common reporters read
//! (cucumber-js's formatter): one element per scenario holding its Background's steps, then
//! its own, each with its status (`passed`, `failed`, `undefined` for a step no function
//! matches, `skipped` for a step after a failure), its duration in nanoseconds and a failed
//! step's message as the step's end wrote it; failed hooks under `before`/`after`. So a
//! failing Background fails its scenario, and nothing reads greener than the run.

use std::io::Write;
use std::time::SystemTime;

use cucumber::event::{self, Cucumber, Feature, Scenario};
use cucumber::gherkin;
use serde::Serialize;

use super::report_file::{ReportBody, RunEvent};
use super::terminal::failure_text;
use crate::world::ProvWorld;
use crate::world::error::panic_text;
use crate::world::hooks::label;
use crate::world::scenario_record;

/// The Cucumber JSON report's body (written by a [`super::report_file::ReportFile`]).
#[derive(Default)]
pub struct CucumberJson {
    features: Vec<FeatureJson>,
    scenario: Option<ElementJson>,
    step_started: Option<SystemTime>,
    /// The scenario's steps its before hook found no way to run, with why.
    unrunnable: Vec<((usize, usize), String)>,
}

#[derive(Serialize)]
struct FeatureJson {
    uri: String,
    id: String,
    keyword: String,
    name: String,
    description: String,
    line: usize,
    tags: Vec<TagJson>,
    elements: Vec<ElementJson>,
}

#[derive(Serialize)]
struct TagJson {
    name: String,
    line: usize,
}

#[derive(Serialize)]
struct ElementJson {
    id: String,
    keyword: String,
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
    description: String,
    line: usize,
    tags: Vec<TagJson>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    before: Vec<HookJson>,
    steps: Vec<StepJson>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    after: Vec<HookJson>,
}

#[derive(Serialize)]
struct StepJson {
    keyword: String,
    name: String,
    line: usize,
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    matched: Option<MatchJson>,
    result: ResultJson,
}

#[derive(Serialize)]
struct HookJson {
    #[serde(rename = "match")]
    matched: MatchJson,
    result: ResultJson,
    /// Always there, even empty: cucumber-html-reporter reads a hook only when it has
    /// `embeddings`, and would show a scenario whose cleanup failed as passed.
    embeddings: Vec<EmbeddingJson>,
}

/// A file attached to a hook: a failed scenario's evidence.
#[derive(Serialize)]
struct EmbeddingJson {
    mime_type: &'static str,
    /// The file's content, in base64.
    data: String,
    /// The file's name.
    name: String,
}

#[derive(Serialize)]
struct MatchJson {
    location: String,
}

#[derive(Serialize)]
struct ResultJson {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<String>,
}

impl ReportBody for CucumberJson {
    const NAME: &'static str = "Cucumber JSON";

    fn take(&mut self, event: RunEvent, at: SystemTime) {
        match event {
            RunEvent::Scenario {
                feature,
                rule,
                scenario,
                event,
                retries,
            } => {
                let retried = retries.is_some_and(|r| r.left > 0);
                if retried && matches!(event, Scenario::Finished) && self.try_failed() {
                    // A try that failed and runs again: only the last try is written, as
                    // cucumber-js writes it (the JUnit report keeps the failed tries).
                    self.scenario = None;
                    return;
                }
                self.scenario_event(&feature, rule.as_deref(), &scenario, event, at);
            }
            RunEvent::Other(Cucumber::Feature(feature, Feature::Started)) => {
                self.features.push(feature_json(&feature));
            }
            RunEvent::Other(_) => {}
        }
    }

    fn write_to(&self, output: &mut dyn Write) -> Result<(), String> {
        serde_json::to_writer_pretty(output, &self.features).map_err(|e| e.to_string())
    }
}

impl CucumberJson {
    /// Whether the scenario's current try has failed so far.
    fn try_failed(&self) -> bool {
        self.scenario.as_ref().is_some_and(|element| {
            element.steps.iter().any(|s| s.result.status != "passed")
                || element
                    .before
                    .iter()
                    .chain(&element.after)
                    .any(|h| h.result.status == "failed")
        })
    }

    fn scenario_event(
        &mut self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        event: Scenario<ProvWorld>,
        at: SystemTime,
    ) {
        match event {
            Scenario::Started => {
                self.scenario = Some(element_json(feature, scenario));
            }
            Scenario::Background(step, event) | Scenario::Step(step, event) => {
                self.step_event(&step, event, at);
            }
            Scenario::Hook(which, event::Hook::Failed(world, info)) => {
                if let Some(world) = world {
                    self.unrunnable.clone_from(&world.unrunnable_steps);
                }
                let hook = HookJson {
                    matched: MatchJson {
                        location: format!("provspec's {which} hook"),
                    },
                    result: ResultJson {
                        status: "failed",
                        duration: None,
                        error_message: Some(panic_text(info.as_ref())),
                    },
                    embeddings: Vec::new(),
                };
                if let Some(element) = self.scenario.as_mut() {
                    match which {
                        event::HookType::Before => element.before.push(hook),
                        event::HookType::After => element.after.push(hook),
                    }
                }
            }
            Scenario::Finished => self.finish(feature, rule, scenario),
            Scenario::Hook(..) | Scenario::Log(_) => {}
        }
    }

    fn step_event(&mut self, step: &gherkin::Step, event: event::Step<ProvWorld>, at: SystemTime) {
        let (status, location, error_message) = match event {
            event::Step::Started => {
                self.step_started = Some(at);
                return;
            }
            event::Step::Passed(_, location) => ("passed", location, None),
            event::Step::Skipped => ("undefined", None, None),
            event::Step::Failed(_, location, _, error) => {
                let status = match error {
                    event::StepError::NotFound => "undefined",
                    event::StepError::AmbiguousMatch(_) => "ambiguous",
                    event::StepError::Panic(_) => "failed",
                };
                (status, location, Some(failure_text(&error)))
            }
        };
        let duration = self
            .step_started
            .take()
            .and_then(|started| at.duration_since(started).ok())
            .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        if let Some(element) = self.scenario.as_mut() {
            element.steps.push(StepJson {
                keyword: step.keyword.clone(),
                name: step.value.clone(),
                line: step.position.line,
                matched: location.map(|l| MatchJson {
                    location: format!("{}:{}", l.path, l.line),
                }),
                result: ResultJson {
                    status,
                    duration,
                    error_message,
                },
            });
        }
    }

    /// Files the scenario under its feature, its steps that never ran listed as skipped.
    fn finish(
        &mut self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
    ) {
        let Some(mut element) = self.scenario.take() else {
            return;
        };
        let backgrounds = feature
            .background
            .iter()
            .chain(rule.and_then(|r| r.background.as_ref()));
        let all: Vec<&gherkin::Step> = backgrounds
            .flat_map(|b| &b.steps)
            .chain(&scenario.steps)
            .collect();
        let unrunnable = std::mem::take(&mut self.unrunnable);
        for step in all.into_iter().skip(element.steps.len()) {
            let why = unrunnable
                .iter()
                .find(|(at, _)| *at == (step.position.line, step.position.col))
                .map(|(_, why)| why.clone());
            element.steps.push(StepJson {
                keyword: step.keyword.clone(),
                name: step.value.clone(),
                line: step.position.line,
                matched: None,
                result: ResultJson {
                    status: if why.is_some() {
                        "undefined"
                    } else {
                        "skipped"
                    },
                    duration: None,
                    error_message: why,
                },
            });
        }
        if let Some(hook) = evidence_hook(feature, scenario) {
            element.after.push(hook);
        }
        let uri = feature_uri(feature);
        match self.features.iter_mut().rev().find(|f| f.uri == uri) {
            Some(owner) => owner.elements.push(element),
            None => {
                let mut owner = feature_json(feature);
                owner.elements.push(element);
                self.features.push(owner);
            }
        }
    }
}

/// A passed after hook carrying the failed scenario's evidence files as embeddings.
fn evidence_hook(feature: &gherkin::Feature, scenario: &gherkin::Scenario) -> Option<HookJson> {
    use base64::Engine as _;
    let record = scenario_record::of(&label(feature, scenario))?;
    let embeddings: Vec<EmbeddingJson> = record
        .evidence_files()
        .iter()
        .filter_map(|file| {
            Some(EmbeddingJson {
                mime_type: "text/plain",
                data: base64::engine::general_purpose::STANDARD.encode(std::fs::read(file).ok()?),
                name: file.file_name()?.to_string_lossy().into_owned(),
            })
        })
        .collect();
    (!embeddings.is_empty()).then(|| HookJson {
        matched: MatchJson {
            location: "provspec: the evidence kept before cleanup".to_owned(),
        },
        result: ResultJson {
            status: "passed",
            duration: None,
            error_message: None,
        },
        embeddings,
    })
}

/// The feature's path as given, or its name when it has none.
fn feature_uri(feature: &gherkin::Feature) -> String {
    feature
        .path
        .as_ref()
        .map_or_else(|| feature.name.clone(), |path| path.display().to_string())
}

fn feature_json(feature: &gherkin::Feature) -> FeatureJson {
    FeatureJson {
        uri: feature_uri(feature),
        id: slug(&feature.name),
        keyword: feature.keyword.clone(),
        name: feature.name.clone(),
        description: feature.description.clone().unwrap_or_default(),
        line: feature.position.line,
        tags: tags(&feature.tags, feature.position.line.saturating_sub(1)),
        elements: Vec::new(),
    }
}

fn element_json(feature: &gherkin::Feature, scenario: &gherkin::Scenario) -> ElementJson {
    ElementJson {
        id: format!("{};{}", slug(&feature.name), slug(&scenario.name)),
        keyword: scenario.keyword.clone(),
        kind: "scenario",
        name: scenario.name.clone(),
        description: scenario.description.clone().unwrap_or_default(),
        line: scenario.position.line,
        tags: tags(&scenario.tags, scenario.position.line.saturating_sub(1)),
        before: Vec::new(),
        steps: Vec::new(),
        after: Vec::new(),
    }
}

/// Tags as the format has them (`@` in front); gherkin keeps no line per tag, so each gets
/// the line above what it tags.
fn tags(tags: &[String], line: usize) -> Vec<TagJson> {
    tags.iter()
        .map(|tag| TagJson {
            name: format!("@{tag}"),
            line,
        })
        .collect()
}

/// "A failed assertion" as "a-failed-assertion".
fn slug(name: &str) -> String {
    name.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lower_case_words_joined_by_dashes() {
        assert_eq!(slug("A failed  Assertion"), "a-failed-assertion");
    }
}
