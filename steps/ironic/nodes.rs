//! Nodes: provision actions (manage, provide, deploy, …), cleaning with steps, maintenance.

use crate::world::StepResult;
use std::str::FromStr;

use cucumber::Parameter;
use cucumber::gherkin::Step;
use serde_json::{Value, json};

use crate::steps::parameters::{Attempt, Text};
use crate::world::step_definitions::Steps;
use crate::world::{ProvWorld, tables};

/// A provision action a feature names: `manage`, `provide`, `deploy` (target `active`),
/// `undeploy` (target `deleted`), `inspect`, `clean`, `abort`, `rebuild`, `rescue`,
/// `unrescue`.
#[derive(Clone, Debug, Parameter)]
#[param(
    name = "provision_action",
    regex = "manage|provide|deploy|undeploy|inspect|clean|abort|rebuild|rescue|unrescue"
)]
struct ProvisionAction(String);

impl FromStr for ProvisionAction {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(ProvisionAction(text.to_owned()))
    }
}

/// `When I manage the node "n1"` / `When I try to deploy the node "n1"`: answers at once;
/// wait for the state with `Then the node "n1" should reach "…" within N seconds`. `When I
/// deploy the nodes "n1, n2, n3"` acts on each in turn.
async fn provision(
    world: &mut ProvWorld,
    attempt: Attempt,
    action: ProvisionAction,
    aliases: Text,
) -> StepResult {
    world
        .for_each_item(attempt.0, &aliases, async |world, alias| {
            world
                .act(attempt.0, "node", alias, &action.0, Value::Null)
                .await
        })
        .await
}

/// `When I (try to) clean the node "n1" with steps:` (a table with the columns `interface`
/// and `step`).
async fn clean_with_steps(
    world: &mut ProvWorld,
    attempt: Attempt,
    alias: Text,
    step: &Step,
) -> StepResult {
    let steps: Vec<Value> = tables::records(step, &["interface", "step"])?
        .into_iter()
        .map(|row| json!({"interface": row["interface"], "step": row["step"]}))
        .collect();
    world
        .act(
            attempt.0,
            "node",
            &alias,
            "clean",
            json!({"clean_steps": steps}),
        )
        .await
}

/// `When I put the node "n1" in maintenance`.
async fn maintenance(world: &mut ProvWorld, attempt: Attempt, alias: Text) -> StepResult {
    world
        .act(attempt.0, "node", &alias, "maintenance", json!({}))
        .await
}

/// `When I put the node "n1" in maintenance because "disk swap"`.
async fn maintenance_because(
    world: &mut ProvWorld,
    attempt: Attempt,
    alias: Text,
    reason: Text,
) -> StepResult {
    world
        .act(
            attempt.0,
            "node",
            &alias,
            "maintenance",
            json!({"reason": reason.0}),
        )
        .await
}

/// `When I take the node "n1" out of maintenance`.
async fn end_maintenance(world: &mut ProvWorld, attempt: Attempt, alias: Text) -> StepResult {
    world
        .act(attempt.0, "node", &alias, "end maintenance", Value::Null)
        .await
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .parameter::<ProvisionAction>()
        .when(
            "{attempt} {provision_action} the node(s) {string}",
            provision,
        )
        .when(
            "{attempt} clean the node {string} with steps:",
            clean_with_steps,
        )
        .when(
            "{attempt} put the node {string} in maintenance",
            maintenance,
        )
        .when(
            "{attempt} put the node {string} in maintenance because {string}",
            maintenance_because,
        )
        .when(
            "{attempt} take the node {string} out of maintenance",
            end_maintenance,
        );
}
