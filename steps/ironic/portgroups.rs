//! Portgroups: a node's ports bonded together; a port joins one with its `portgroup`.

use crate::world::StepResult;
use cucumber::gherkin::Step;

use crate::steps::parameters::{Attempt, Text};
use crate::steps::rows_after;
use crate::world::step_definitions::Steps;
use crate::world::{Mode, ProvWorld};

/// `Given a portgroup "bond0" on node "n1"` (with an optional attribute table: `mode`,
/// `address`, `standalone_ports_supported`, …).
async fn a_portgroup(world: &mut ProvWorld, alias: Text, node: Text, step: &Step) -> StepResult {
    let rows = rows_after("node", node, step)?;
    world.create(Mode::Must, "portgroup", &alias, rows).await
}

/// `When I (try to) create a portgroup "bond0" on node "n1"` (optional attribute table).
async fn create_portgroup(
    world: &mut ProvWorld,
    attempt: Attempt,
    alias: Text,
    node: Text,
    step: &Step,
) -> StepResult {
    let rows = rows_after("node", node, step)?;
    world.create(attempt.0, "portgroup", &alias, rows).await
}

/// A port's rows: on `node`, in `group`, with a MAC of its own.
fn port_rows(node: Text, group: Text) -> Vec<(String, String)> {
    vec![
        ("node".to_owned(), node.into()),
        ("address".to_owned(), "{mac}".to_owned()),
        ("portgroup".to_owned(), group.into()),
    ]
}

/// `Given a port "p1" on node "n1" in portgroup "bond0"`: a port with a MAC of its own.
async fn a_port_in(world: &mut ProvWorld, alias: Text, node: Text, group: Text) -> StepResult {
    let rows = port_rows(node, group);
    world.create(Mode::Must, "port", &alias, rows).await
}

/// `When I (try to) create a port "p1" on node "n1" in portgroup "bond0"`.
async fn create_port_in(
    world: &mut ProvWorld,
    attempt: Attempt,
    alias: Text,
    node: Text,
    group: Text,
) -> StepResult {
    let rows = port_rows(node, group);
    world.create(attempt.0, "port", &alias, rows).await
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .given("a portgroup {string} on node {string}( with:)", a_portgroup)
        .when(
            "{attempt} create a portgroup {string} on node {string}( with:)",
            create_portgroup,
        )
        .given(
            "a port {string} on node {string} in portgroup {string}",
            a_port_in,
        )
        .when(
            "{attempt} create a port {string} on node {string} in portgroup {string}",
            create_port_in,
        );
}
