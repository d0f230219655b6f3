//! Ports: a MAC address on a node.

use crate::world::StepResult;
use cucumber::gherkin::Step;

use crate::steps::parameters::{Attempt, Text};
use crate::steps::rows_after;
use crate::world::step_definitions::Steps;
use crate::world::{Mode, ProvWorld};

/// `Given a port "p1" on node "n1" with address "52:54:00:12:34:56"`.
async fn a_port(world: &mut ProvWorld, alias: Text, node: Text, address: Text) -> StepResult {
    let rows = vec![
        ("node".to_owned(), node.into()),
        ("address".to_owned(), address.into()),
    ];
    world.create(Mode::Must, "port", &alias, rows).await
}

/// `When I (try to) create a port "p1" on node "n1" with address "52:54:00:12:34:56"`.
async fn create_port(
    world: &mut ProvWorld,
    attempt: Attempt,
    alias: Text,
    node: Text,
    address: Text,
) -> StepResult {
    let rows = vec![
        ("node".to_owned(), node.into()),
        ("address".to_owned(), address.into()),
    ];
    world.create(attempt.0, "port", &alias, rows).await
}

/// `When I (try to) create a port "p1" on node "n1" with:` (attribute | value table).
async fn create_port_with(
    world: &mut ProvWorld,
    attempt: Attempt,
    alias: Text,
    node: Text,
    step: &Step,
) -> StepResult {
    let rows = rows_after("node", node, step)?;
    world.create(attempt.0, "port", &alias, rows).await
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .given(
            "a port {string} on node {string} with address {string}",
            a_port,
        )
        .when(
            "{attempt} create a port {string} on node {string} with address {string}",
            create_port,
        )
        .when(
            "{attempt} create a port {string} on node {string} with:",
            create_port_with,
        );
}
