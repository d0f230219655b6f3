//! Power: on, off and reboot through the item's power controller.

use super::parameters::{Attempt, KindWord, OnOff, PowerWord, Text};
use crate::world::ProvWorld;
use crate::world::StepResult;
use crate::world::step_definitions::Steps;

/// `When I (try to) power on the <kind> "web-01"` (also `power off`, `reboot`).
async fn power(
    world: &mut ProvWorld,
    attempt: Attempt,
    action: PowerWord,
    kind: KindWord,
    alias: Text,
) -> StepResult {
    world.power(attempt.0, &kind.0, &alias, action.0).await
}

/// `Then the <kind> "web-01" should be powered on` (or `off`): asks the power state, waiting a
/// while for an action that settles later.
async fn powered(world: &mut ProvWorld, kind: KindWord, alias: Text, state: OnOff) -> StepResult {
    world.await_power(&kind.0, &alias, state.0).await
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .when("{attempt} {power_action} the {kind} {string}", power)
        .then("the {kind} {string} should be powered {on_off}", powered);
}
