//! Profiles: a distro plus settings.

use cucumber::gherkin::Step;
use cucumber::{given, when};
use provspec::Kind;

use super::{mode, rows_after};
use crate::world::{ProvWorld, tables};

/// `Given a profile "base" for distro "ubuntu"` (with an optional attribute table).
#[given(regex = r#"^a profile "([^"]*)" for distro "([^"]*)"(?: with:)?$"#)]
async fn a_profile(
    world: &mut ProvWorld,
    alias: String,
    distro: String,
    step: &Step,
) -> Result<(), String> {
    let rows = rows_after("distro", distro, step)?;
    world
        .create(mode(""), Kind::Profile, &alias, rows, Vec::new())
        .await
}

/// `When I (try to) create a profile "base" for distro "ubuntu"`.
#[when(regex = r#"^I (try to )?create a profile "([^"]*)" for distro "([^"]*)"(?: with:)?$"#)]
async fn create_profile_for(
    world: &mut ProvWorld,
    try_to: String,
    alias: String,
    distro: String,
    step: &Step,
) -> Result<(), String> {
    let rows = rows_after("distro", distro, step)?;
    world
        .create(mode(&try_to), Kind::Profile, &alias, rows, Vec::new())
        .await
}

/// `When I (try to) create a profile "orphan" with:` (the table names the distro, or not).
#[when(regex = r#"^I (try to )?create a profile "([^"]*)"(?: with:)?$"#)]
async fn create_profile(
    world: &mut ProvWorld,
    try_to: String,
    alias: String,
    step: &Step,
) -> Result<(), String> {
    let rows = tables::key_values(step)?;
    world
        .create(mode(&try_to), Kind::Profile, &alias, rows, Vec::new())
        .await
}
