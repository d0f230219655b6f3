//! What every kind can do: create, modify, remove fields, rename, copy, delete, exist, and
//! show its fields.

use crate::assertions::Should;
use crate::world::StepResult;
use cucumber::gherkin::Step;

use super::parameters::{Attempt, Field, KindWord, Text};
use crate::world::step_definitions::Steps;
use crate::world::{Mode, ProvWorld, tables};

/// `Given a <kind> "web-01"` / `Given an <kind> "web-01" with:` (attribute | value table):
/// makes the item with its kind's factory (`factories/FAMILY.toml`: defaults, allocated
/// addresses, parents it needs made too), then the table's attributes, which win.
async fn given_an_item(
    world: &mut ProvWorld,
    kind: KindWord,
    alias: Text,
    step: &Step,
) -> StepResult {
    let rows = tables::key_values(step)?;
    world.build(&kind.0, None, &alias, 1, rows).await
}

/// `When I create a <kind> "web-01" with:` / `When I try to create a <kind> "bad" with:`.
async fn create(
    world: &mut ProvWorld,
    attempt: Attempt,
    kind: KindWord,
    alias: Text,
    step: &Step,
) -> StepResult {
    let rows = tables::key_values(step)?;
    world.create(attempt.0, &kind.0, &alias, rows).await
}

/// `Given no <kind> "ghost" exists`: names an item that must be missing, to refer to it.
async fn none_exists(world: &mut ProvWorld, kind: KindWord, alias: Text) -> StepResult {
    world.reserve_missing(&kind.0, &alias).await
}

/// `When I (try to) modify the <kind> "web-01" with:` (attribute | value table); `When I
/// modify the systems "web-01, web-02" with:` modifies each in turn.
async fn modify(
    world: &mut ProvWorld,
    attempt: Attempt,
    kind: KindWord,
    aliases: Text,
    step: &Step,
) -> StepResult {
    let rows = tables::key_values(step)?;
    world
        .for_each_item(attempt.0, &aliases, async |world, alias| {
            world.modify(attempt.0, &kind.0, alias, rows.clone()).await
        })
        .await
}

/// `When I (try to) remove extra.rack from the <kind> "web-01"`: the field goes, not just its value.
async fn unset(
    world: &mut ProvWorld,
    attempt: Attempt,
    field: Field,
    kind: KindWord,
    alias: Text,
) -> StepResult {
    world.unset(attempt.0, &kind.0, &alias, vec![field.0]).await
}

/// `When I (try to) rename the <kind> "web-01" to "web-99"`.
async fn rename(
    world: &mut ProvWorld,
    attempt: Attempt,
    kind: KindWord,
    alias: Text,
    new_alias: Text,
) -> StepResult {
    world
        .rename_or_copy(attempt.0, &kind.0, &alias, &new_alias, false)
        .await
}

/// `When I (try to) copy the <kind> "web-01" to "web-02"`.
async fn copy(
    world: &mut ProvWorld,
    attempt: Attempt,
    kind: KindWord,
    alias: Text,
    new_alias: Text,
) -> StepResult {
    world
        .rename_or_copy(attempt.0, &kind.0, &alias, &new_alias, true)
        .await
}

/// `When I (try to) delete the <kind> "web-01"` (with what depends on it, where the backend
/// distinguishes); `When I delete the systems "web-01, web-02"` deletes each in turn.
async fn delete(
    world: &mut ProvWorld,
    attempt: Attempt,
    kind: KindWord,
    aliases: Text,
) -> StepResult {
    world
        .for_each_item(attempt.0, &aliases, async |world, alias| {
            world.delete(attempt.0, &kind.0, alias, true).await
        })
        .await
}

/// `When I (try to) delete the <kind> "web-01" without recursion`.
async fn delete_alone(
    world: &mut ProvWorld,
    attempt: Attempt,
    kind: KindWord,
    aliases: Text,
) -> StepResult {
    world
        .for_each_item(attempt.0, &aliases, async |world, alias| {
            world.delete(attempt.0, &kind.0, alias, false).await
        })
        .await
}

/// `Then the <kind> "web-01" should exist` (or `the systems "web-01, web-02" should exist`).
async fn should_exist(world: &mut ProvWorld, kind: KindWord, aliases: Text) -> StepResult {
    world
        .for_each_item(Mode::Must, &aliases, async |world, alias| {
            check_exists(world, &kind, alias, true).await
        })
        .await
}

/// `Then the <kind> "web-01" should not exist` (or several, as for `should exist`).
async fn should_not_exist(world: &mut ProvWorld, kind: KindWord, aliases: Text) -> StepResult {
    world
        .for_each_item(Mode::Must, &aliases, async |world, alias| {
            check_exists(world, &kind, alias, false).await
        })
        .await
}

async fn check_exists(
    world: &ProvWorld,
    kind: &KindWord,
    alias: &str,
    expected: bool,
) -> StepResult {
    let exists = world.exists(&kind.0, alias).await?;
    exists
        .should()
        .named(format!("whether {} {alias:?} exists", kind.0))
        .equal(&expected)?;
    Ok(())
}

/// `Then the <kind> "web-01" should have:` (field | value; dotted paths reach into maps;
/// names of other items read as aliases).
async fn should_have(
    world: &mut ProvWorld,
    kind: KindWord,
    alias: Text,
    step: &Step,
) -> StepResult {
    let expected = tables::key_values(step)?;
    let actual = world.fields(&kind.0, &alias, &expected).await?;
    let expected: std::collections::BTreeMap<String, String> = expected
        .into_iter()
        .map(|(k, v)| (k, world.expand(&v)))
        .collect();
    actual
        .should()
        .named(format!("the fields of {} {alias:?}", kind.0))
        .equal(&expected)?;
    Ok(())
}

/// `Then the <kind> "web-01" should have description "rack one"`.
async fn should_have_one(
    world: &mut ProvWorld,
    kind: KindWord,
    alias: Text,
    field: Field,
    value: Text,
) -> StepResult {
    let field = field.0;
    let actual = world.field(&kind.0, &alias, &field).await?;
    actual
        .should()
        .named(format!("{field} of {} {alias:?}", kind.0))
        .equal(&world.expand(&value))?;
    Ok(())
}

/// `Then the <kind> "n1" should have last_error containing "returned code 401" within 30
/// seconds`: waits for a value the server settles on later.
async fn should_come_to_contain(
    world: &mut ProvWorld,
    kind: KindWord,
    alias: Text,
    field: Field,
    needle: Text,
    seconds: u64,
) -> StepResult {
    world
        .await_field_containing(
            &kind.0,
            &alias,
            &field.0,
            &needle,
            std::time::Duration::from_secs(seconds),
        )
        .await
}

/// `Then the <kind> "web-01" should have last_error containing "not supported"`.
async fn should_have_containing(
    world: &mut ProvWorld,
    kind: KindWord,
    alias: Text,
    field: Field,
    needle: Text,
) -> StepResult {
    let field = field.0;
    let actual = world.field(&kind.0, &alias, &field).await?;
    actual
        .should()
        .named(format!("{field} of {} {alias:?}", kind.0))
        .contain(&world.expand(&needle))?;
    Ok(())
}

/// `Then the <kind> "web-01" should have no extra.rack`: the server's
/// record has no such key at all (not even an empty value).
async fn should_have_no(
    world: &mut ProvWorld,
    kind: KindWord,
    alias: Text,
    field: Field,
) -> StepResult {
    let present = world.has_field(&kind.0, &alias, &field.0).await?;
    present
        .should()
        .named(format!(
            "whether {} {alias:?} has a field {}",
            kind.0, field.0
        ))
        .equal(&false)?;
    Ok(())
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .given("a/an {kind} {string}( with:)", given_an_item)
        .when("{attempt} create a/an {kind} {string}( with:)", create)
        .given("no {kind} {string} exists", none_exists)
        .when("{attempt} modify the {kind} {string} with:", modify)
        .when("{attempt} remove {field} from the {kind} {string}", unset)
        .when("{attempt} rename the {kind} {string} to {string}", rename)
        .when("{attempt} copy the {kind} {string} to {string}", copy)
        .when("{attempt} delete the {kind} {string}", delete)
        .when(
            "{attempt} delete the {kind} {string} without recursion",
            delete_alone,
        )
        .then("the {kind} {string} should exist", should_exist)
        .then("the {kind} {string} should not exist", should_not_exist)
        .then("the {kind} {string} should have:", should_have)
        .then(
            "the {kind} {string} should have {field} {string}",
            should_have_one,
        )
        .then(
            "the {kind} {string} should have {field} containing {string} within {int} second(s)",
            should_come_to_contain,
        )
        .then(
            "the {kind} {string} should have {field} containing {string}",
            should_have_containing,
        )
        .then("the {kind} {string} should have no {field}", should_have_no);
}
