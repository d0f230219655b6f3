//! Profiles: a distro plus settings.

use crate::world::StepResult;
use cucumber::gherkin::Step;

use crate::steps::parameters::{Attempt, Text};
use crate::steps::rows_after;
use crate::world::step_definitions::Steps;
use crate::world::{Mode, ProvWorld};

/// `Given a profile "base" for distro "ubuntu"` (with an optional attribute table).
async fn a_profile(world: &mut ProvWorld, alias: Text, distro: Text, step: &Step) -> StepResult {
    let rows = rows_after("distro", distro, step)?;
    world.create(Mode::Must, "profile", &alias, rows).await
}

/// `When I (try to) create a profile "base" for distro "ubuntu"` (optional attribute table).
async fn create_profile_for(
    world: &mut ProvWorld,
    attempt: Attempt,
    alias: Text,
    distro: Text,
    step: &Step,
) -> StepResult {
    let rows = rows_after("distro", distro, step)?;
    world.create(attempt.0, "profile", &alias, rows).await
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .given("a profile {string} for distro {string}( with:)", a_profile)
        .when(
            "{attempt} create a profile {string} for distro {string}( with:)",
            create_profile_for,
        );
}
