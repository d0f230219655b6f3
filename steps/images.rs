//! Images: prebuilt ISOs or disks that systems can boot.

use cucumber::gherkin::Step;
use cucumber::{given, when};
use provspec::Kind;

use super::mode;
use crate::world::{ProvWorld, tables};

/// `Given an image "rescue"` (with an optional attribute table).
#[given(regex = r#"^an image "([^"]*)"(?: with:)?$"#)]
async fn an_image(world: &mut ProvWorld, alias: String, step: &Step) -> Result<(), String> {
    let rows = tables::key_values(step)?;
    world
        .create(mode(""), Kind::Image, &alias, rows, Vec::new())
        .await
}

/// `When I (try to) create an image "rescue" with:`.
#[when(regex = r#"^I (try to )?create an image "([^"]*)"(?: with:)?$"#)]
async fn create_image(
    world: &mut ProvWorld,
    try_to: String,
    alias: String,
    step: &Step,
) -> Result<(), String> {
    let rows = tables::key_values(step)?;
    world
        .create(mode(&try_to), Kind::Image, &alias, rows, Vec::new())
        .await
}
