//! Allocations: asking the conductor for any available node of a resource class (with
//! traits, among candidates); it picks one and reserves it. Wait for the pick with
//! `Then the allocation "a1" should reach "active" within N seconds`.

use crate::world::StepResult;

use crate::steps::parameters::{Attempt, Text};
use crate::world::ProvWorld;
use crate::world::step_definitions::Steps;

/// The attribute rows of an allocation of `class`.
fn rows(class: Text, more: &[(&str, Text)]) -> Vec<(String, String)> {
    let mut rows = vec![("resource_class".to_owned(), class.0)];
    for (attribute, value) in more {
        // Lists are words separated by spaces; a feature may use commas too.
        rows.push(((*attribute).to_owned(), value.0.replace(',', " ")));
    }
    rows
}

/// `When I (try to) allocate "a1" of resource class "gpu"`.
async fn allocate(world: &mut ProvWorld, attempt: Attempt, alias: Text, class: Text) -> StepResult {
    world
        .create(attempt.0, "allocation", &alias, rows(class, &[]))
        .await
}

/// `When I (try to) allocate "a1" of resource class "gpu" with traits "CUSTOM_GPU"`.
async fn allocate_with_traits(
    world: &mut ProvWorld,
    attempt: Attempt,
    alias: Text,
    class: Text,
    traits: Text,
) -> StepResult {
    let rows = rows(class, &[("traits", traits)]);
    world.create(attempt.0, "allocation", &alias, rows).await
}

/// `When I (try to) allocate "a1" of resource class "gpu" among "n1, n2"` (the candidate
/// nodes, by alias).
async fn allocate_among(
    world: &mut ProvWorld,
    attempt: Attempt,
    alias: Text,
    class: Text,
    nodes: Text,
) -> StepResult {
    let rows = rows(class, &[("candidate_nodes", nodes)]);
    world.create(attempt.0, "allocation", &alias, rows).await
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .when(
            "{attempt} allocate {string} of resource class {string}",
            allocate,
        )
        .when(
            "{attempt} allocate {string} of resource class {string} with traits {string}",
            allocate_with_traits,
        )
        .when(
            "{attempt} allocate {string} of resource class {string} among {string}",
            allocate_among,
        );
}
