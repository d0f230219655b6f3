//! Scenario hooks and run-wide tallies shared by the cucumber targets.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::backend::Connector;
use cucumber::event::ScenarioFinished;
use cucumber::gherkin::{Feature, Rule, Scenario};
use futures::future::LocalBoxFuture;

use super::ProvWorld;
use super::cleanup::{Outcome, ScenarioLabel};
use super::evidence;
use super::hints::check_steps_before;
use super::manifest::{self, ScenarioStatus};
use super::scenario_record::{self, CallEntry, ScenarioRecord};
use super::step_timeout::{call_limit_from_tags, limit_from_tags};

/// The multi-threaded tokio runtime the cucumber targets run on.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
}

/// Undo actions that failed during this run (each one is reported as it happens).
static CLEANUP_FAILURES: AtomicUsize = AtomicUsize::new(0);

/// How many undo actions failed so far.
pub fn cleanup_failures() -> usize {
    CLEANUP_FAILURES.load(Ordering::SeqCst)
}

/// How many scenarios passed and failed so far, whatever writer reports the run: a retried
/// scenario counts once, by its last try (the manifest's entries, [`manifest::tally`]).
pub fn scenario_tally() -> (usize, usize) {
    let (passed, failed, _) = manifest::tally();
    (passed, failed)
}

/// Where `scenario` is: its feature file relative to the crate root, line and name.
pub fn label(feature: &Feature, scenario: &Scenario) -> ScenarioLabel {
    let root = super::crate_root();
    ScenarioLabel {
        file: feature.path.as_ref().map_or_else(
            || feature.name.clone(),
            |p| p.strip_prefix(&root).unwrap_or(p).display().to_string(),
        ),
        line: scenario.position.line,
        name: scenario.name.clone(),
    }
}

/// The `before` hook: names the scenario on its cleanup stack (for reports and the
/// manifest), sets its step time limit from an `@timeout(N)` tag, then checks its steps
/// ([`check_steps_before`]).
pub fn prepare_before<'a>(
    feature: &'a Feature,
    rule: Option<&'a Rule>,
    scenario: &'a Scenario,
    world: &'a mut ProvWorld,
) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        world.cleanup.set_scenario(label(feature, scenario));
        let tags: Vec<&String> = feature
            .tags
            .iter()
            .chain(rule.into_iter().flat_map(|r| r.tags.iter()))
            .chain(scenario.tags.iter())
            .collect();
        match limit_from_tags(tags.iter().copied()) {
            Ok(Some(limit)) => world.step_timeout = limit,
            Ok(None) => {}
            Err(message) => crate::world::error::fail_scenario(message),
        }
        match call_limit_from_tags(tags.iter().copied()) {
            Ok(Some(limit)) => world.calls.set_call_timeout(limit),
            Ok(None) => {}
            Err(message) => crate::world::error::fail_scenario(message),
        }
        check_steps_before(feature, rule, scenario, world).await;
    })
}

/// The `after` hook: counts the scenario, then unwinds the cleanup stack for passed, failed
/// and skipped scenarios alike, and records the scenario in the run manifest. A failed undo
/// is reported with the entity and the error, and the rest still run.
pub fn clean_up_after<'a>(
    feature: &'a Feature,
    _rule: Option<&'a Rule>,
    scenario: &'a Scenario,
    finished: &'a ScenarioFinished,
    world: Option<&'a mut ProvWorld>,
) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        let mut status = match finished {
            ScenarioFinished::StepPassed => ScenarioStatus::Passed,
            // An undefined step is skipped by cucumber and fails the run here.
            _ => ScenarioStatus::Failed,
        };
        let label = label(feature, scenario);
        let mut tally = manifest::CallTally::default();
        let mut problems = Vec::new();
        let cleaned = match world {
            Some(world) => {
                let calls = world.calls.call_tally();
                tally = manifest::CallTally {
                    calls: calls.0,
                    seconds: calls.1.as_secs_f64(),
                };
                // Expectations set through the library's API, and fault rules that were to fire,
                // are checked as a scenario that passed ends; an unmet one fails it in every
                // report (after a failed step they would only repeat the failure).
                if status == ScenarioStatus::Passed
                    && let Err(unmet) = world.calls.verify()
                {
                    status = ScenarioStatus::Failed;
                    problems.push(unmet);
                }
                let mut record = observe(world, &label, status).await;
                let cleaned = world.clean_up().await;
                // Processes after items: a scenario's items may live on a server it started.
                let finished = world
                    .finish_processes(status == ScenarioStatus::Passed)
                    .await;
                record.process_logs = finished.kept.clone();
                scenario_record::keep(record);
                problems.extend(finished.problems);
                if let Some(dir) = &finished.kept {
                    eprintln!(
                        "provspec: {label}: its process logs are kept in {}:{}",
                        dir.display(),
                        finished.report
                    );
                }
                cleaned
            }
            None => Vec::new(),
        };
        if !problems.is_empty() {
            status = ScenarioStatus::Failed;
        }
        for item in &cleaned {
            if let Outcome::Failed(error) = &item.outcome {
                CLEANUP_FAILURES.fetch_add(1, Ordering::SeqCst);
                status = ScenarioStatus::Failed;
                eprintln!(
                    "provspec: cleanup after {label} could not remove {}: {error}",
                    item.item()
                );
            }
        }
        manifest::record(&label, status, &cleaned, tally);
        if !problems.is_empty() {
            // Fails the scenario in cucumber's report too.
            crate::world::error::fail_scenario(problems.join("\n"));
        }
    })
}

/// What the scenario leaves for the reports, read before its cleanup: its journal and log,
/// and, when it failed, its evidence (kept on disk, [`evidence::keep`]).
async fn observe(
    world: &ProvWorld,
    label: &ScenarioLabel,
    status: ScenarioStatus,
) -> ScenarioRecord {
    let evidence = if status == ScenarioStatus::Passed {
        None
    } else {
        evidence::keep(world, label)
            .await
            .inspect_err(|e| eprintln!("provspec: {label}: its evidence was not kept: {e}"))
            .ok()
    };
    ScenarioRecord {
        file: label.file.clone(),
        line: label.line,
        calls: world.calls.calls().iter().map(CallEntry::from).collect(),
        log: world.calls.log_lines(),
        evidence,
        process_logs: None,
    }
}

/// Whether a scenario runs on this run's backend. `None` means it runs; `Some(reason)` says
/// why not:
/// - a feature tagged with a backend family (`@<family>`) runs only on that family;
/// - `@fake` scenarios need an embedded fake, `@real` ones a server over the network;
/// - `@bmc` scenarios need the emulated BMC lab (`PROVSPEC_BMC_VENV`); a family's
///   installed-server tag (`@cobbler-venv`) needs that server installed (its family's
///   `installed_server`).
pub fn backend_skip_reason(
    feature_tags: &[String],
    tags: &[String],
    connector: &dyn Connector,
) -> Option<String> {
    let family = connector.catalogue().family;
    let tagged = |name: &str| tags.iter().any(|t| t == name);
    if let Some(needed) = crate::backends::families()
        .into_iter()
        .find(|f| *f != family && feature_tags.iter().any(|t| t == f))
    {
        Some(format!(
            "the feature is tagged @{needed}: it runs on {needed} backends only, and this run is on {family}"
        ))
    } else if tagged("fake") && !connector.is_embedded_fake() {
        Some(
            "tagged @fake: needs an embedded fake (fault injection or inspecting its state)"
                .to_owned(),
        )
    } else if tagged("real") && connector.is_embedded_fake() {
        Some("tagged @real: needs a real server".to_owned())
    } else if let Some(server) = crate::backends::FAMILIES
        .iter()
        .map(|family| &family.installed_server)
        .find(|server| tagged(server.tag) && std::env::var_os(server.variable).is_none())
    {
        Some(format!(
            "tagged @{}: needs {}",
            server.tag, server.description
        ))
    } else if tagged("bmc") && std::env::var_os("PROVSPEC_BMC_VENV").is_none() {
        Some(
            "tagged @bmc: needs the emulated BMC lab (scripts/bmc-lab.sh install, then PROVSPEC_BMC_VENV)"
                .to_owned(),
        )
    } else {
        None
    }
}
