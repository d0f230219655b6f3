//! Runbooks: named, ordered steps (cleaning or servicing a node by name); from microversion
//! 1.112 a runbook's name is a logical name, so the run's real name is its name.

use crate::world::StepResult;
use cucumber::gherkin::Step;

use super::deploy_templates::steps_of;
use crate::steps::parameters::{Attempt, Text};
use crate::world::step_definitions::Steps;
use crate::world::{Mode, ProvWorld};

/// `Given a runbook "rb1" with steps:` (a table: `interface`, `step`, `order`, optional `args`
/// as JSON).
async fn a_runbook(world: &mut ProvWorld, alias: Text, step: &Step) -> StepResult {
    let rows = steps_of(step, "order")?;
    world.create(Mode::Must, "runbook", &alias, rows).await
}

/// `When I (try to) create a runbook "rb1" with steps:` (the same table).
async fn create_runbook(
    world: &mut ProvWorld,
    attempt: Attempt,
    alias: Text,
    step: &Step,
) -> StepResult {
    let rows = steps_of(step, "order")?;
    world.create(attempt.0, "runbook", &alias, rows).await
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .given("a runbook {string} with steps:", a_runbook)
        .when(
            "{attempt} create a runbook {string} with steps:",
            create_runbook,
        );
}
