//! The call journal and the scenario's log: what the steps sent to the server, in what order
//! and with which arguments, and what provspec logged meanwhile. Call names are XML-RPC
//! methods (`save_system`) or HTTP verbs and paths (`POST /v1/nodes`, `PATCH /v1/nodes/n1`),
//! with aliases for the scenario's items. Cleanup's calls are never in the journal.

use crate::world::StepResult;
use cucumber::gherkin::Step;

use super::parameters::Text;
use crate::world::step_definitions::Steps;
use crate::world::{ProvWorld, tables};

/// `Then the server should have received 1 call to "save_system"` (exactly that many).
async fn calls_to(world: &mut ProvWorld, times: usize, name: Text) -> StepResult {
    world.expect_calls(&name, times)
}

/// `Then the server should have received no call to "remove_distro"`.
async fn no_call_to(world: &mut ProvWorld, name: Text) -> StepResult {
    world.expect_calls(&name, 0)
}

/// `Then the server should have received these calls in order:` with a `call` column (other
/// calls may come between them).
async fn calls_in_order(world: &mut ProvWorld, step: &Step) -> StepResult {
    let names: Vec<String> = tables::records(step, &["call"])?
        .into_iter()
        .map(|mut row| row.remove("call").unwrap_or_default())
        .collect();
    world.expect_calls_in_order(&names)
}

/// `Then the server should have received a call to "save_system" with:` (argument | value
/// rows; an argument is a dotted path: `1.hostname`, or `driver` in a JSON body; a partial
/// match, other arguments may be anything).
async fn call_with(world: &mut ProvWorld, name: Text, step: &Step) -> StepResult {
    let rows = tables::key_values(step)?;
    world.expect_call_with(&name, &rows)
}

/// `Then the log should contain "logging in again"` (provspec's own log of this scenario).
async fn log_contains(world: &mut ProvWorld, text: Text) -> StepResult {
    world.expect_log(&text, true)
}

/// `Then the log should not contain "logging in again"`.
async fn log_lacks(world: &mut ProvWorld, text: Text) -> StepResult {
    world.expect_log(&text, false)
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .then(
            "the server should have received {int} call(s) to {string}",
            calls_to,
        )
        .then(
            "the server should have received no call to {string}",
            no_call_to,
        )
        .then(
            "the server should have received these calls in order:",
            calls_in_order,
        )
        .then(
            "the server should have received a call to {string} with:",
            call_with,
        )
        .then("the log should contain {string}", log_contains)
        .then("the log should not contain {string}", log_lacks);
}
