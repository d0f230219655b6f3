//! Deploy templates: named sets of deploy steps (the name is a trait; provspec makes it from
//! the alias: `t1` of a run is `CUSTOM_T1__<RUN>_<N>` on the server).

use crate::world::StepResult;
use cucumber::gherkin::Step;
use serde_json::{Map, Value};

use crate::steps::parameters::{Attempt, Text};
use crate::world::step_definitions::Steps;
use crate::world::{Mode, ProvWorld, tables};

/// The `steps` attribute of a table with the columns `interface`, `step`, `ordering`
/// (`priority` for deploy templates, `order` for runbooks) and an optional `args` (JSON; `{}`
/// when left out or empty). A priority or order of digits is a number.
pub(super) fn steps_of(step: &Step, ordering: &str) -> StepResult<Vec<(String, String)>> {
    let records = tables::records(step, &["interface", "step", ordering])?;
    let steps: Vec<Value> = records
        .into_iter()
        .map(|row| {
            let mut one = Map::new();
            for (column, text) in row {
                let value = match column.as_str() {
                    "args" if text.trim().is_empty() => Value::Object(Map::new()),
                    "args" => serde_json::from_str(&text).unwrap_or(Value::String(text)),
                    _ if column == ordering => text
                        .parse::<u64>()
                        .map(Value::from)
                        .unwrap_or(Value::String(text)),
                    _ => Value::String(text),
                };
                one.insert(column, value);
            }
            one.entry("args")
                .or_insert_with(|| Value::Object(Map::new()));
            Value::Object(one)
        })
        .collect();
    Ok(vec![("steps".to_owned(), Value::Array(steps).to_string())])
}

/// `Given a deploy template "raid" with steps:` (a table: `interface`, `step`, `priority`,
/// optional `args` as JSON).
async fn a_template(world: &mut ProvWorld, alias: Text, step: &Step) -> StepResult {
    let rows = steps_of(step, "priority")?;
    world
        .create(Mode::Must, "deploy_template", &alias, rows)
        .await
}

/// `When I (try to) create a deploy template "raid" with steps:` (the same table).
async fn create_template(
    world: &mut ProvWorld,
    attempt: Attempt,
    alias: Text,
    step: &Step,
) -> StepResult {
    let rows = steps_of(step, "priority")?;
    world
        .create(attempt.0, "deploy_template", &alias, rows)
        .await
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .given("a deploy template {string} with steps:", a_template)
        .when(
            "{attempt} create a deploy template {string} with steps:",
            create_template,
        );
}
