//! Life-cycle states that settle over time.

use crate::world::StepResult;
use std::time::{Duration, Instant};

use super::parameters::{KindWord, Text};
use crate::world::step_definitions::Steps;
use crate::world::{Mode, ProvWorld};

/// `Then the <kind> "web-01" should reach "active" within 30 seconds`: polls with backoff, stops
/// early on a failure state (showing the server's last error), and on timeout says which
/// states it saw. `Then the nodes "n1, n2" should reach …` gives them all the same time.
async fn should_reach(
    world: &mut ProvWorld,
    kind: KindWord,
    aliases: Text,
    state: Text,
    seconds: u64,
) -> StepResult {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    world
        .for_each_item(Mode::Must, &aliases, async |world, alias| {
            let left = deadline.saturating_duration_since(Instant::now());
            world.await_state(&kind.0, alias, &state, left).await
        })
        .await
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps.then(
        "the {kind} {string} should reach {string} within {int} second(s)",
        should_reach,
    );
}
