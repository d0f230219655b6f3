//! Life-cycle states that settle over time.

use std::time::Duration;

use cucumber::then;

use super::parameters::{KindWord, Text};
use crate::world::ProvWorld;

/// `Then the <kind> "web-01" should reach "active" within 30 seconds`: polls with backoff, stops
/// early on a failure state (showing the server's last error), and on timeout says which
/// states it saw.
#[then(expr = "the {kind} {string} should reach {string} within {int} second(s)")]
async fn should_reach(
    world: &mut ProvWorld,
    kind: KindWord,
    alias: Text,
    state: Text,
    seconds: u64,
) -> Result<(), String> {
    world
        .await_state(&kind.0, &alias, &state, Duration::from_secs(seconds))
        .await
}
