//! Outcomes of "I try to …" steps.

use crate::assertions::Should;
use crate::world::StepResult;

use super::parameters::Text;
use crate::world::step_definitions::Steps;
use crate::world::{Outcome, ProvWorld};

fn last_outcome(world: &ProvWorld) -> StepResult<&Outcome> {
    world.outcome.as_ref().ok_or_else(|| {
        crate::authoring!(
            "no \"When I try to …\" step ran before this one, so there is no outcome to check"
        )
    })
}

/// `Then it should succeed`.
async fn should_succeed(world: &mut ProvWorld) -> StepResult {
    let outcome = last_outcome(world)?;
    match &outcome.result {
        Ok(()) => Ok(()),
        Err(e) => Err(crate::assertion!(
            "{} should have succeeded, but failed: {e}",
            outcome.action
        )),
    }
}

/// `Then it should fail`.
async fn should_fail(world: &mut ProvWorld) -> StepResult {
    let outcome = last_outcome(world)?;
    match &outcome.result {
        Err(_) => Ok(()),
        Ok(()) => Err(crate::assertion!(
            "{} should have failed, but succeeded",
            outcome.action
        )),
    }
}

/// `Then it should fail with a message containing "already exists"` (real names read as aliases;
/// inside the quotes, `\"` stands for `"` and `\\` for `\`).
async fn should_fail_with(world: &mut ProvWorld, needle: Text) -> StepResult {
    let needle = world.expand(&needle);
    let outcome = last_outcome(world)?;
    match &outcome.result {
        Err(message) => {
            message
                .should()
                .named(format!("the error of {}", outcome.action))
                .contain(&needle)?;
            Ok(())
        }
        Ok(()) => Err(crate::assertion!(
            "{} should have failed with a message containing {needle:?}, but succeeded",
            outcome.action
        )),
    }
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .then("it should succeed", should_succeed)
        .then("it should fail", should_fail)
        .then(
            "it should fail with a message containing {string}",
            should_fail_with,
        );
}
