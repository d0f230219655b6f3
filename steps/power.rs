//! Power: on, off and reboot through the item's power controller.

use super::parameters::{Attempt, KindWord, OnOff, PowerWord, Text};
use crate::world::StepResult;
use crate::world::step_definitions::Steps;
use crate::world::{Mode, ProvWorld};

/// `When I (try to) power on the <kind> "web-01"` (also `power off`, `reboot`; `the systems
/// "web-01, web-02"` powers each in turn).
async fn power(
    world: &mut ProvWorld,
    attempt: Attempt,
    action: PowerWord,
    kind: KindWord,
    aliases: Text,
) -> StepResult {
    world
        .for_each_item(attempt.0, &aliases, async |world, alias| {
            world.power(attempt.0, &kind.0, alias, action.0).await
        })
        .await
}

/// `Then the <kind> "web-01" should be powered on` (or `off`; or several): asks the power
/// state, waiting a while for an action that settles later.
async fn powered(world: &mut ProvWorld, kind: KindWord, aliases: Text, state: OnOff) -> StepResult {
    world
        .for_each_item(Mode::Must, &aliases, async |world, alias| {
            world.await_power(&kind.0, alias, state.0).await
        })
        .await
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .when("{attempt} {power_action} the {kind} {string}", power)
        .then("the {kind} {string} should be powered {on_off}", powered);
}
