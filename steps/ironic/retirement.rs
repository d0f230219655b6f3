//! Retirement: a node marked to leave the pool once its instance is gone (Ironic then
//! refuses to `provide` it).

use crate::world::StepResult;
use serde_json::{Value, json};

use crate::steps::parameters::{Attempt, Text};
use crate::world::ProvWorld;
use crate::world::step_definitions::Steps;

/// `When I (try to) retire the node "n1"`.
async fn retire(world: &mut ProvWorld, attempt: Attempt, node: Text) -> StepResult {
    world
        .act(attempt.0, "node", &node, "retire", json!({}))
        .await
}

/// `When I (try to) retire the node "n1" because "fan failure"` (its `retired_reason`).
async fn retire_because(
    world: &mut ProvWorld,
    attempt: Attempt,
    node: Text,
    reason: Text,
) -> StepResult {
    world
        .act(
            attempt.0,
            "node",
            &node,
            "retire",
            json!({"reason": reason.0}),
        )
        .await
}

/// `When I (try to) unretire the node "n1"`.
async fn unretire(world: &mut ProvWorld, attempt: Attempt, node: Text) -> StepResult {
    world
        .act(attempt.0, "node", &node, "unretire", Value::Null)
        .await
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .when("{attempt} retire the node {string}", retire)
        .when(
            "{attempt} retire the node {string} because {string}",
            retire_because,
        )
        .when("{attempt} unretire the node {string}", unretire);
}
