//! Systems: one machine, its profile, its interfaces.

use crate::world::StepResult;
use cucumber::gherkin::Step;

use crate::steps::parameters::{Attempt, Text};
use crate::steps::rows_after;
use crate::world::step_definitions::Steps;
use crate::world::{Mode, ProvWorld, tables};

/// An interfaces table (a column `interface`, then any interface fields) as attribute rows
/// `interfaces.<interface>.<field>`. Empty cells are left unset.
fn interface_rows(step: &Step) -> StepResult<Vec<(String, String)>> {
    let mut rows = Vec::new();
    for mut row in tables::records(step, &["interface"])? {
        let interface = row.remove("interface").unwrap_or_default();
        rows.extend(
            row.into_iter()
                .filter(|(_, value)| !value.is_empty())
                .map(|(field, value)| (format!("interfaces.{interface}.{field}"), value)),
        );
    }
    Ok(rows)
}

/// `Given a system "web-01" with profile "base"` (with an optional attribute table).
async fn a_system(world: &mut ProvWorld, alias: Text, profile: Text, step: &Step) -> StepResult {
    let rows = rows_after("profile", profile, step)?;
    world.create(Mode::Must, "system", &alias, rows).await
}

/// `Given a system "web-01" with profile "base" and interfaces:` (a table with a header).
async fn a_system_with_interfaces(
    world: &mut ProvWorld,
    alias: Text,
    profile: Text,
    step: &Step,
) -> StepResult {
    let mut rows = vec![("profile".to_owned(), profile.into())];
    rows.extend(interface_rows(step)?);
    world.create(Mode::Must, "system", &alias, rows).await
}

/// `When I (try to) create a system "web-01" with profile "base"` (optional attribute table).
async fn create_system(
    world: &mut ProvWorld,
    attempt: Attempt,
    alias: Text,
    profile: Text,
    step: &Step,
) -> StepResult {
    let rows = rows_after("profile", profile, step)?;
    world.create(attempt.0, "system", &alias, rows).await
}

/// `When I (try to) create a system "web-02" with profile "base" and interfaces:`.
async fn create_system_with_interfaces(
    world: &mut ProvWorld,
    attempt: Attempt,
    alias: Text,
    profile: Text,
    step: &Step,
) -> StepResult {
    let mut rows = vec![("profile".to_owned(), profile.into())];
    rows.extend(interface_rows(step)?);
    world.create(attempt.0, "system", &alias, rows).await
}

/// `When I (try to) set the interfaces of system "web-02":` (a table with a header).
async fn set_interfaces(
    world: &mut ProvWorld,
    attempt: Attempt,
    alias: Text,
    step: &Step,
) -> StepResult {
    let rows = interface_rows(step)?;
    world.modify(attempt.0, "system", &alias, rows).await
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .given("a system {string} with profile {string}( with:)", a_system)
        .given(
            "a system {string} with profile {string} and interfaces:",
            a_system_with_interfaces,
        )
        .when(
            "{attempt} create a system {string} with profile {string}( with:)",
            create_system,
        )
        .when(
            "{attempt} create a system {string} with profile {string} and interfaces:",
            create_system_with_interfaces,
        )
        .when(
            "{attempt} set the interfaces of system {string}:",
            set_interfaces,
        );
}
