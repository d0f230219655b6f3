//! Every step runs with a time limit: the run's `--step-timeout` (60 s by default) or its
//! scenario's `@timeout(N)` tag. A step past its limit is cancelled and fails, naming the step,
//! the call it was waiting on and how long it ran; the after hook's cleanup still runs.
//!
//! cucumber has no step timeout of its own, so the runner registers, for each step's regex,
//! one wrapper ([`timed`]) that finds the step's function among the run's registered steps
//! ([`super::step_definitions`]) and runs it under the limit.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use cucumber::gherkin::{Step, StepType};
use cucumber::step::{Collection, Context};
use futures::FutureExt as _;
use futures::future::LocalBoxFuture;
use std::panic::AssertUnwindSafe;

use super::ProvWorld;
use super::error::{StepResult, WorldError, panic_text};
use super::step_definitions::{StepDefinition, StepFunction, installed};
use crate::calls::in_flight::{StepCalls, recording_into};
use crate::calls::layer::scoped;

/// The step limit when neither `--step-timeout` nor a tag says otherwise.
pub const DEFAULT_STEP_TIMEOUT: Duration = Duration::from_secs(60);

static FOUND: LazyLock<Mutex<StepsByText>> = LazyLock::new(Mutex::default);

/// Step functions by step type and text, as matched once.
type StepsByText = HashMap<(StepType, String), StepFunction>;

/// The steps to give cucumber: the run's registered steps' regexes and locations, each
/// running its step function under the step's time limit. Built once (its regexes compiled
/// once), copied for each of the run's shards.
pub fn timed_collection() -> Collection<ProvWorld> {
    static TIMED: LazyLock<Collection<ProvWorld>> = LazyLock::new(build_timed_collection);
    TIMED.clone()
}

fn build_timed_collection() -> Collection<ProvWorld> {
    installed()
        .iter()
        .fold(Collection::new(), |collection, definition| {
            // cucumber keeps a `&'static str`; the collection is built once per process.
            let path: &'static str = Box::leak(definition.registered_in().into_boxed_str());
            let location = cucumber::step::Location {
                path,
                line: definition.location.line(),
                column: definition.location.column(),
            };
            let regex = definition.regex.clone();
            match definition.ty {
                StepType::Given => collection.given(Some(location), regex, timed),
                StepType::When => collection.when(Some(location), regex, timed),
                StepType::Then => collection.then(Some(location), regex, timed),
            }
        })
}

/// The registered step function for `step` (cucumber matched it already, so there is one).
fn registered(step: &Step) -> StepFunction {
    let key = (step.ty, step.value.clone());
    let mut found = FOUND.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(function) = found.get(&key) {
        return function.clone();
    }
    let function = installed()
        .iter()
        .find(|d: &&StepDefinition| d.ty == step.ty && d.regex.is_match(&step.value))
        .map(|d| d.function.clone())
        .unwrap_or_else(|| unreachable!("cucumber matched `{}` to exactly one step", step.value));
    found.insert(key, function.clone());
    function
}

/// Runs the step `context` names under the scenario's step limit. This is where a step ends:
/// its error (returned, out of time, or a panic of its code) becomes text once, with real
/// names read back as aliases, and fails the step the one way cucumber knows, as a panic
/// whose payload is that text; the World keeps the failure's kind for the reports.
fn timed(world: &mut ProvWorld, context: Context) -> LocalBoxFuture<'_, ()> {
    Box::pin(async move {
        if let Err(error) = run_step(world, context).await {
            let text =
                crate::calls::journal::redact_text(&world.namer.to_aliases(&error.to_string()));
            world.failure = Some(error.kind());
            crate::world::error::fail_scenario(text);
        }
    })
}

/// Runs the step under its limit: its own error, a timeout, or its code's panic as an error.
async fn run_step(world: &mut ProvWorld, context: Context) -> StepResult {
    let at = (context.step.position.line, context.step.position.col);
    let function = world
        .step_functions
        .iter()
        .find(|(position, _)| *position == at)
        .map_or_else(
            || registered(&context.step),
            |(_, function)| function.clone(),
        );
    // An exit nobody waited for fails the scenario at its next step (not one about it).
    world.check_processes(&context.step.value)?;
    let limit = world.step_timeout;
    let text = format!("{} {}", context.step.keyword.trim(), context.step.value);
    let calls = StepCalls::default();
    let started = Instant::now();
    let layer = world.calls.clone();
    let run = AssertUnwindSafe(scoped(
        layer,
        recording_into(calls.clone(), function(world, context)),
    ))
    .catch_unwind();
    tokio::pin!(run);
    tokio::select! {
        result = &mut run => result.unwrap_or_else(|payload| {
            Err(WorldError::Panicked(panic_text(payload.as_ref())))
        }),
        () = tokio::time::sleep(limit) => {
            let waiting = calls.waiting_on().map_or_else(
                || "no call to the server was in flight".to_owned(),
                |call| format!("the call in flight: {call}"),
            );
            let message = format!(
                "step timed out after {:.1} s (limit {}): `{text}`; {waiting}",
                started.elapsed().as_secs_f64(),
                describe_limit(limit),
            );
            // Said now, not only in the report once the scenario's cleanup is done.
            eprintln!("provspec: {message}");
            Err(WorldError::TimedOut(message))
        }
    }
}

/// "60 s (--step-timeout, or @timeout(N) on the scenario)".
fn describe_limit(limit: Duration) -> String {
    format!(
        "{} s: --step-timeout, or @timeout(N) on the scenario",
        limit.as_secs_f64()
    )
}

/// The step limit a scenario's tags set (`@timeout(120)`, seconds), if any; a malformed one
/// is an error that says what is expected.
pub fn limit_from_tags<'a>(
    tags: impl IntoIterator<Item = &'a String>,
) -> Result<Option<Duration>, String> {
    seconds_from_tags(tags, "timeout")
}

/// The call timeout a scenario's tags set (`@call-timeout(2)`, seconds), if any.
pub fn call_limit_from_tags<'a>(
    tags: impl IntoIterator<Item = &'a String>,
) -> Result<Option<Duration>, String> {
    seconds_from_tags(tags, "call-timeout")
}

/// The seconds of the last `@NAME(N)` tag, if any.
fn seconds_from_tags<'a>(
    tags: impl IntoIterator<Item = &'a String>,
    name: &str,
) -> Result<Option<Duration>, String> {
    let mut limit = None;
    for tag in tags {
        let Some(rest) = tag
            .strip_prefix(name)
            .filter(|rest| rest.is_empty() || rest.starts_with('('))
        else {
            continue;
        };
        let seconds = rest
            .strip_prefix('(')
            .and_then(|r| r.strip_suffix(')'))
            .and_then(|n| n.trim().parse::<f64>().ok())
            .filter(|n| *n > 0.0 && n.is_finite() && *n < 1e6)
            .ok_or_else(|| {
                format!("the tag @{tag} is not a time limit: write @{name}(N) with N seconds, e.g. @{name}(120)")
            })?;
        limit = Some(Duration::from_secs_f64(seconds));
    }
    Ok(limit)
}
