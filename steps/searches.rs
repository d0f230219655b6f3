//! Searches: `find_*` by glob, by interface fields, by several criteria.

use cucumber::gherkin::Step;
use cucumber::{then, when};
use provspec::assertions::Should;

use super::kind;
use crate::world::{ProvWorld, SearchResult, tables};

/// `When I search systems by name "web-*"` / `… by mac_address "52:54:00:12:34:56"`.
/// Name-valued keys (name, distro, profile, image, parent) take aliases or globs over aliases.
#[when(regex = r#"^I search (distros|profiles|systems|images) by ([a-z0-9_]+) "([^"]*)"$"#)]
async fn search_by(
    world: &mut ProvWorld,
    kinds: String,
    key: String,
    pattern: String,
) -> Result<(), String> {
    world.search(kind(&kinds), vec![(key, pattern)]).await
}

/// `When I search systems matching:` (key | pattern rows; all must match).
#[when(regex = r#"^I search (distros|profiles|systems|images) matching:$"#)]
async fn search_matching(world: &mut ProvWorld, kinds: String, step: &Step) -> Result<(), String> {
    let criteria = tables::key_values(step)?;
    world.search(kind(&kinds), criteria).await
}

fn last_search(world: &ProvWorld) -> Result<&SearchResult, String> {
    world.search.as_ref().ok_or_else(|| {
        "no search has run in this scenario yet (use `When I search …` first)".to_owned()
    })
}

/// `Then the search should return "web-01, web-02"` (this scenario's items, any order).
#[then(regex = r#"^the search should return "([^"]*)"$"#)]
async fn should_return(world: &mut ProvWorld, expected: String) -> Result<(), String> {
    let mut expected: Vec<String> = expected
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    expected.sort();
    last_search(world)?
        .aliases
        .should()
        .named("the search result")
        .equal(&expected);
    Ok(())
}

/// `Then the search should return nothing` (nothing of this scenario's).
#[then(regex = r#"^the search should return nothing$"#)]
async fn should_return_nothing(world: &mut ProvWorld) -> Result<(), String> {
    last_search(world)?
        .aliases
        .should()
        .named("the search result")
        .be_empty();
    Ok(())
}
