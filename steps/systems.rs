//! Systems: one machine, its profile, its interfaces.

use cucumber::gherkin::Step;
use cucumber::{given, when};
use provspec::Kind;
use provspec::entities::InterfaceSpec;

use super::{mode, rows_after};
use crate::world::{ProvWorld, tables};

/// An interfaces table: a column `interface`, then any of the interface fields. Empty cells
/// are left unset.
fn interfaces(step: &Step) -> Result<Vec<InterfaceSpec>, String> {
    tables::records(step, &["interface"])?
        .into_iter()
        .map(|mut row| {
            let name = row.remove("interface").unwrap_or_default();
            let fields = row.into_iter().filter(|(_, v)| !v.is_empty()).collect();
            InterfaceSpec::new(name, fields).map_err(|e| e.to_string())
        })
        .collect()
}

/// `Given a system "web-01" with profile "base"` (with an optional attribute table).
#[given(regex = r#"^a system "([^"]*)" with profile "([^"]*)"(?: with:)?$"#)]
async fn a_system(
    world: &mut ProvWorld,
    alias: String,
    profile: String,
    step: &Step,
) -> Result<(), String> {
    let rows = rows_after("profile", profile, step)?;
    world
        .create(mode(""), Kind::System, &alias, rows, Vec::new())
        .await
}

/// `Given a system "web-01" with profile "base" and interfaces:` (a table with a header).
#[given(regex = r#"^a system "([^"]*)" with profile "([^"]*)" and interfaces:$"#)]
async fn a_system_with_interfaces(
    world: &mut ProvWorld,
    alias: String,
    profile: String,
    step: &Step,
) -> Result<(), String> {
    let interfaces = interfaces(step)?;
    world
        .create(
            mode(""),
            Kind::System,
            &alias,
            vec![("profile".to_owned(), profile)],
            interfaces,
        )
        .await
}

/// `When I (try to) create a system "web-01" with profile "base"` (optional attribute table).
#[when(regex = r#"^I (try to )?create a system "([^"]*)" with profile "([^"]*)"(?: with:)?$"#)]
async fn create_system(
    world: &mut ProvWorld,
    try_to: String,
    alias: String,
    profile: String,
    step: &Step,
) -> Result<(), String> {
    let rows = rows_after("profile", profile, step)?;
    world
        .create(mode(&try_to), Kind::System, &alias, rows, Vec::new())
        .await
}

/// `When I (try to) create a system "web-02" with profile "base" and interfaces:`.
#[when(regex = r#"^I (try to )?create a system "([^"]*)" with profile "([^"]*)" and interfaces:$"#)]
async fn create_system_with_interfaces(
    world: &mut ProvWorld,
    try_to: String,
    alias: String,
    profile: String,
    step: &Step,
) -> Result<(), String> {
    let interfaces = interfaces(step)?;
    world
        .create(
            mode(&try_to),
            Kind::System,
            &alias,
            vec![("profile".to_owned(), profile)],
            interfaces,
        )
        .await
}

/// `When I (try to) create a system "lonely"` (optional attribute table; no profile given).
#[when(regex = r#"^I (try to )?create a system "([^"]*)"(?: with:)?$"#)]
async fn create_bare_system(
    world: &mut ProvWorld,
    try_to: String,
    alias: String,
    step: &Step,
) -> Result<(), String> {
    let rows = tables::key_values(step)?;
    world
        .create(mode(&try_to), Kind::System, &alias, rows, Vec::new())
        .await
}

/// `When I (try to) set the interfaces of system "web-02":` (a table with a header).
#[when(regex = r#"^I (try to )?set the interfaces of system "([^"]*)":$"#)]
async fn set_interfaces(
    world: &mut ProvWorld,
    try_to: String,
    alias: String,
    step: &Step,
) -> Result<(), String> {
    let interfaces = interfaces(step)?;
    world
        .set_interfaces(mode(&try_to), &alias, interfaces)
        .await
}
