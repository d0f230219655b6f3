//! A team's own steps beside provspec's built-in ones: [`register`] lists them, and
//! `tests/cucumber.rs` runs the features with both.

use provspec::naming::run_marker;
use provspec::steps::parameters::{KindWord, Text};
use provspec::world::{ProvWorld, StepResult, WorldError};
use provspec::world::step_definitions::Steps;

/// Adds this team's steps to `steps`.
pub fn register(steps: &mut Steps) {
    steps.then(
        "the real name of the {kind} {string} should carry the run's marker",
        real_name_carries_the_marker,
    );
}

/// `Then the real name of the distro "ubuntu" should carry the run's marker`: the name the
/// server knows the item by ends in this run's marker (so a sweep finds it), a local check on
/// what the scenario registered.
async fn real_name_carries_the_marker(
    world: &mut ProvWorld,
    kind: KindWord,
    alias: Text,
) -> StepResult {
    let kind = world.backend.catalogue().kind(&kind.0)?;
    let real_name = world.registry.resolve(kind, &alias)?;
    let marker = run_marker(&world.config.run_id);
    if real_name.contains(&marker) {
        Ok(())
    } else {
        Err(WorldError::assertion(format!(
            "the real name of the {} {:?} is {real_name:?}, which does not carry the run's marker {marker:?}",
            kind.name, alias.0
        )))
    }
}
