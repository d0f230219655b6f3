//! Every step runs with a time limit: the run's `--step-timeout` (60 s by default) or its
//! scenario's `@timeout(N)` tag. A step past its limit is cancelled and fails, naming the step,
//! the call it was waiting on and how long it ran; the after hook's cleanup still runs.
//!
//! cucumber has no step timeout of its own, so the runner registers, for each step's regex,
//! one wrapper ([`timed`]) that finds the step function cucumber's own registry holds for the
//! step and runs it under the limit.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use cucumber::World as _;
use cucumber::codegen::{StepConstructor, WorldInventory};
use cucumber::gherkin::{Step, StepType};
use cucumber::step::{self, Collection, Context};
use futures::future::LocalBoxFuture;
use provspec::calls::in_flight::{StepCalls, recording_into};
use provspec::calls::layer::scoped;

use super::ProvWorld;

/// The step limit when neither `--step-timeout` nor a tag says otherwise.
pub const DEFAULT_STEP_TIMEOUT: Duration = Duration::from_secs(60);

/// The steps as registered, matched once per distinct step text.
static REGISTERED: LazyLock<Collection<ProvWorld>> = LazyLock::new(ProvWorld::collection);
static FOUND: LazyLock<Mutex<StepsByText>> = LazyLock::new(Mutex::default);

/// Step functions by step type and text, as cucumber matched them.
type StepsByText = HashMap<(StepType, String), step::Step<ProvWorld>>;

/// The steps to give cucumber: the same regexes and locations as registered, each running
/// its step function under the step's time limit. Built once (its regexes compiled once),
/// copied for each of the run's shards.
pub fn timed_collection() -> Collection<ProvWorld> {
    static TIMED: LazyLock<Collection<ProvWorld>> = LazyLock::new(build_timed_collection);
    TIMED.clone()
}

fn build_timed_collection() -> Collection<ProvWorld> {
    let mut collection = Collection::new();
    collection = add::<<ProvWorld as WorldInventory>::Given>(collection, StepType::Given);
    collection = add::<<ProvWorld as WorldInventory>::When>(collection, StepType::When);
    add::<<ProvWorld as WorldInventory>::Then>(collection, StepType::Then)
}

fn add<T>(mut collection: Collection<ProvWorld>, ty: StepType) -> Collection<ProvWorld>
where
    T: cucumber::codegen::inventory::Collect + StepConstructor<ProvWorld> + 'static,
{
    for constructor in cucumber::codegen::inventory::iter::<T> {
        let (location, regex, _) = constructor.inner();
        collection = match ty {
            StepType::Given => collection.given(Some(location), regex(), timed),
            StepType::When => collection.when(Some(location), regex(), timed),
            StepType::Then => collection.then(Some(location), regex(), timed),
        };
    }
    collection
}

/// The registered step function for `step` (cucumber matched it already, so there is one).
fn registered(step: &Step) -> step::Step<ProvWorld> {
    let key = (step.ty, step.value.clone());
    let mut found = FOUND.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(function) = found.get(&key) {
        return *function;
    }
    let function = match REGISTERED.find(step) {
        Ok(Some((function, ..))) => *function,
        _ => unreachable!("cucumber matched `{}` to exactly one step", step.value),
    };
    found.insert(key, function);
    function
}

/// Runs the step `context` names under the scenario's step limit.
fn timed(world: &mut ProvWorld, context: Context) -> LocalBoxFuture<'_, ()> {
    Box::pin(async move {
        let at = (context.step.position.line, context.step.position.col);
        let function = world
            .step_functions
            .iter()
            .find(|(position, _)| *position == at)
            .map_or_else(|| registered(&context.step), |(_, function)| *function);
        // An exit nobody waited for fails the scenario at its next step (not one about it).
        if let Err(message) = world.check_processes(&context.step.value) {
            panic!("{message}");
        }
        let limit = world.step_timeout;
        let text = format!("{} {}", context.step.keyword.trim(), context.step.value);
        let calls = StepCalls::default();
        let started = Instant::now();
        let layer = world.calls.clone();
        let run = scoped(
            layer,
            recording_into(calls.clone(), function(world, context)),
        );
        tokio::pin!(run);
        tokio::select! {
            () = &mut run => {}
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
                panic!("{message}");
            }
        }
    })
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
