//! Traits: the capabilities a node advertises (`CUSTOM_GPU`, standard ones such as
//! `HW_CPU_X86_AVX2`), which allocations match.

use crate::world::StepResult;
use serde_json::{Value, json};

use crate::steps::parameters::{Attempt, Text};
use crate::world::ProvWorld;
use crate::world::step_definitions::Steps;

/// `When I (try to) add the trait "CUSTOM_GPU" to the node "n1"`.
async fn add_trait(world: &mut ProvWorld, attempt: Attempt, name: Text, node: Text) -> StepResult {
    world
        .act(
            attempt.0,
            "node",
            &node,
            "add trait",
            json!({"trait": name.0}),
        )
        .await
}

/// `When I (try to) remove the trait "CUSTOM_GPU" from the node "n1"`.
async fn remove_trait(
    world: &mut ProvWorld,
    attempt: Attempt,
    name: Text,
    node: Text,
) -> StepResult {
    world
        .act(
            attempt.0,
            "node",
            &node,
            "remove trait",
            json!({"trait": name.0}),
        )
        .await
}

/// `When I (try to) set the traits of the node "n1" to "CUSTOM_A CUSTOM_B"` (spaces or
/// commas between them): replaces them all.
async fn set_traits(
    world: &mut ProvWorld,
    attempt: Attempt,
    node: Text,
    names: Text,
) -> StepResult {
    let traits: Vec<&str> = names
        .0
        .split([' ', ','])
        .filter(|name| !name.is_empty())
        .collect();
    world
        .act(
            attempt.0,
            "node",
            &node,
            "set traits",
            json!({"traits": traits}),
        )
        .await
}

/// `When I (try to) remove every trait from the node "n1"`.
async fn remove_traits(world: &mut ProvWorld, attempt: Attempt, node: Text) -> StepResult {
    world
        .act(attempt.0, "node", &node, "remove traits", Value::Null)
        .await
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .when(
            "{attempt} add the trait {string} to the node {string}",
            add_trait,
        )
        .when(
            "{attempt} remove the trait {string} from the node {string}",
            remove_trait,
        )
        .when(
            "{attempt} set the traits of the node {string} to {string}",
            set_traits,
        )
        .when(
            "{attempt} remove every trait from the node {string}",
            remove_traits,
        );
}
