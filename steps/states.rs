//! Life-cycle states that settle over time.

use crate::world::StepResult;
use std::time::Duration;

use super::parameters::{KindWord, Text};
use crate::world::ProvWorld;
use crate::world::step_definitions::Steps;

/// `Then the <kind> "web-01" should reach "active" within 30 seconds`: polls with backoff, stops
/// early on a failure state (showing the server's last error), and on timeout says which
/// states it saw.
async fn should_reach(
    world: &mut ProvWorld,
    kind: KindWord,
    alias: Text,
    state: Text,
    seconds: u64,
) -> StepResult {
    world
        .await_state(&kind.0, &alias, &state, Duration::from_secs(seconds))
        .await
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps.then(
        "the {kind} {string} should reach {string} within {int} second(s)",
        should_reach,
    );
}
