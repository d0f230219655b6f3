//! Factories and labs: items made from their kind's factory or a named variant of the
//! family's factory book (`factories/FAMILY.toml`), many at once, in a state, or as a whole
//! standard lab; and counting what the scenario has.

use crate::assertions::Should;
use crate::world::StepResult;
use cucumber::gherkin::Step;

use super::parameters::{KindWord, Text};
use crate::world::step_definitions::Steps;
use crate::world::{ProvWorld, tables};

/// `Given a system "web-01" from "db-server"` (a variant of the factory book; `with:` and an
/// attribute | value table override it).
async fn from_variant(
    world: &mut ProvWorld,
    kind: KindWord,
    alias: Text,
    variant: Text,
    step: &Step,
) -> StepResult {
    let rows = tables::key_values(step)?;
    world.build(&kind.0, Some(&variant), &alias, 1, rows).await
}

/// `Given 20 systems "web-{n}"` (aliases web-1 … web-20, each from the kind's factory).
async fn many(world: &mut ProvWorld, count: usize, kind: KindWord, pattern: Text) -> StepResult {
    world.build_many(count, &kind.0, &pattern, None, None).await
}

/// `Given 20 systems "web-{n}" from "web-server"`.
async fn many_from(
    world: &mut ProvWorld,
    count: usize,
    kind: KindWord,
    pattern: Text,
    variant: Text,
) -> StepResult {
    world
        .build_many(count, &kind.0, &pattern, Some(&variant), None)
        .await
}

/// `Given 3 nodes "n{n}" in state "available"` (each taken there and waited for).
async fn many_in_state(
    world: &mut ProvWorld,
    count: usize,
    kind: KindWord,
    pattern: Text,
    state: Text,
) -> StepResult {
    world
        .build_many(count, &kind.0, &pattern, None, Some(&state))
        .await
}

/// `Given a node "n1" in state "manageable"`: one item, as `Given 1 node "n1" in state …`.
async fn one_in_state(
    world: &mut ProvWorld,
    kind: KindWord,
    alias: Text,
    state: Text,
) -> StepResult {
    world
        .build_many(1, &kind.0, &alias, None, Some(&state))
        .await
}

/// `Given the lab "rack"`: a standard lab of the factory book, every item by alias.
async fn lab(world: &mut ProvWorld, name: Text) -> StepResult {
    world.build_lab(&name, &[]).await
}

/// `Given the lab "rack" with 80 systems` (that many of one kind instead of the lab's own).
async fn lab_with(world: &mut ProvWorld, name: Text, count: usize, kind: KindWord) -> StepResult {
    world.build_lab(&name, &[(kind.0, count)]).await
}

/// `Then there should be 20 systems` (this scenario's, on the server now).
async fn count(world: &mut ProvWorld, expected: usize, kind: KindWord) -> StepResult {
    let found = world.items_of(&kind.0).await?;
    if found.len() == expected {
        Ok(())
    } else {
        Err(crate::assertion!(
            "there should be {expected} {}, but the server holds {} of this scenario's: {}",
            kind.0,
            found.len(),
            found.join(", ")
        ))
    }
}

/// `Then there should be 11 systems named "web-*"` (this scenario's, on the server now, whose
/// alias the glob matches).
async fn count_named(
    world: &mut ProvWorld,
    expected: usize,
    kind: KindWord,
    pattern: Text,
) -> StepResult {
    let found = world
        .find_aliases(&kind.0, vec![("name".to_owned(), pattern.0.clone())])
        .await?;
    found
        .should()
        .named(format!("this scenario's {} named {pattern:?}", kind.0))
        .have_len(expected)?;
    Ok(())
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .given("a/an {kind} {string} from {string}( with:)", from_variant)
        .given("{int} {kind} {string}", many)
        .given("{int} {kind} {string} from {string}", many_from)
        .given("{int} {kind} {string} in state {string}", many_in_state)
        .given("a/an {kind} {string} in state {string}", one_in_state)
        .given("the lab {string}", lab)
        .given("the lab {string} with {int} {kind}", lab_with)
        .then("there should be {int} {kind}", count)
        .then("there should be {int} {kind} named {string}", count_named);
}
