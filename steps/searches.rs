//! Searches by glob, by fields (also inside maps), by several criteria.

use crate::assertions::Should;
use crate::world::StepResult;
use cucumber::gherkin::Step;

use super::parameters::{Field, KindWord, Text};
use crate::world::step_definitions::Steps;
use crate::world::{ProvWorld, SearchResult, tables};

/// `When I search <kind>s by name "web-*"` / `… by FIELD "PATTERN"`.
/// Name-valued keys (name and the fields naming other items) take aliases or globs over them.
async fn search_by(
    world: &mut ProvWorld,
    kinds: KindWord,
    key: Field,
    pattern: Text,
) -> StepResult {
    world.search(&kinds.0, vec![(key.0, pattern.into())]).await
}

/// `When I search <kind>s matching:` (key | pattern rows; all must match).
async fn search_matching(world: &mut ProvWorld, kinds: KindWord, step: &Step) -> StepResult {
    let criteria = tables::key_values(step)?;
    world.search(&kinds.0, criteria).await
}

fn last_search(world: &ProvWorld) -> StepResult<&SearchResult> {
    world.search.as_ref().ok_or_else(|| {
        crate::authoring!("no search has run in this scenario yet (use `When I search …` first)")
    })
}

/// `Then the search should return "web-01, web-02"` (this scenario's items, any order).
async fn should_return(world: &mut ProvWorld, expected: Text) -> StepResult {
    let expected: Vec<String> = expected
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    search_returned(world, expected)
}

/// Checks that the last search returned `expected` (any order).
fn search_returned(world: &ProvWorld, mut expected: Vec<String>) -> StepResult {
    expected.sort();
    last_search(world)?
        .aliases
        .should()
        .named("the search result")
        .equal(&expected)?;
    Ok(())
}

/// `Then the search should return 11 systems` (or `1 system`): how many of this scenario's
/// items it found.
async fn should_return_count(world: &mut ProvWorld, expected: usize, kind: KindWord) -> StepResult {
    let counted = world.kind(&kind.0)?;
    let search = last_search(world)?;
    if search.kind != counted {
        return Err(crate::authoring!(
            "the last search was of {}s, and this step counts {}s",
            search.kind,
            counted
        ));
    }
    search
        .aliases
        .should()
        .named(format!("the search's {}s", search.kind))
        .have_len(expected)?;
    Ok(())
}

/// `Then the search should return nothing` (nothing of this scenario's).
async fn should_return_nothing(world: &mut ProvWorld) -> StepResult {
    last_search(world)?
        .aliases
        .should()
        .named("the search result")
        .be_empty()?;
    Ok(())
}

/// `Then the search should return:` with an `alias` column, one row per item (any order).
async fn should_return_table(world: &mut ProvWorld, step: &Step) -> StepResult {
    let expected: Vec<String> = tables::records(step, &["alias"])?
        .into_iter()
        .filter_map(|mut row| row.remove("alias"))
        .collect();
    search_returned(world, expected)
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .when("I search {kind} by {field} {string}", search_by)
        .when("I search {kind} matching:", search_matching)
        .then("the search should return {string}", should_return)
        .then("the search should return nothing", should_return_nothing)
        .then("the search should return {int} {kind}", should_return_count)
        .then("the search should return:", should_return_table);
}
