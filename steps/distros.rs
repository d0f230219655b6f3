//! Distros: a kernel and an initrd, the root of every profile.

use cucumber::gherkin::Step;
use cucumber::{given, when};
use provspec::Kind;

use super::mode;
use crate::world::{ProvWorld, tables};

/// `Given a distro "ubuntu"` (with an optional attribute table). Kernel and initrd default to
/// the run's dummy boot files.
#[given(regex = r#"^an? distro "([^"]*)"(?: with:)?$"#)]
async fn a_distro(world: &mut ProvWorld, alias: String, step: &Step) -> Result<(), String> {
    let rows = tables::key_values(step)?;
    world
        .create(mode(""), Kind::Distro, &alias, rows, Vec::new())
        .await
}

/// `When I create a distro "ubuntu" with:` / `When I try to create a distro "bad" with:`.
#[when(regex = r#"^I (try to )?create an? distro "([^"]*)"(?: with:)?$"#)]
async fn create_distro(
    world: &mut ProvWorld,
    try_to: String,
    alias: String,
    step: &Step,
) -> Result<(), String> {
    let rows = tables::key_values(step)?;
    world
        .create(mode(&try_to), Kind::Distro, &alias, rows, Vec::new())
        .await
}
