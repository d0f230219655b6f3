//! Servers a scenario starts from `servers/servers.toml`: start one on a free port (another
//! try when the port is taken), point the scenario at it, restart it on the same port.

use super::parameters::Text;
use crate::world::ProvWorld;
use crate::world::StepResult;
use crate::world::step_definitions::Steps;

/// `When I start the server "fake-cobbler"`: starts the definition of that name on a free
/// port and waits until it is ready; steps call it by the definition's name (made unique:
/// `fake-cobbler-1` for a second one).
async fn start(world: &mut ProvWorld, definition: Text) -> StepResult {
    world
        .start_server(&definition, None, Default::default())
        .await
        .map(|_| ())
}

/// `When I start the server "fake-cobbler" as "c1"`: the same, named `c1`.
async fn start_as(world: &mut ProvWorld, definition: Text, name: Text) -> StepResult {
    world
        .start_server(&definition, Some(&name), Default::default())
        .await
        .map(|_| ())
}

/// `When I point the scenario at the server "c1"`: the scenario's steps talk to it from now on
/// (its definition names the backend); only before the scenario created anything.
async fn point(world: &mut ProvWorld, name: Text) -> StepResult {
    world.point_at_server(&name).await
}

/// `When I restart the server "c1"`: stops it (SIGTERM to its group) and starts it again on the
/// same port, waiting until it is ready; a session to it logs in again if it must.
async fn restart(world: &mut ProvWorld, name: Text) -> StepResult {
    let before = world.server_port(&name)?;
    world.restart_server(&name).await?;
    let after = world.server_port(&name)?;
    if before == after {
        Ok(())
    } else {
        Err(crate::assertion!(
            "the server {name:?} came back on port {after}, not {before}"
        ))
    }
}

/// `Given the next free port is already taken`: the scenario holds a port and hands it to the
/// next server it starts, whose first start then finds it taken.
async fn port_taken(world: &mut ProvWorld) -> StepResult {
    world.take_next_port()
}

/// `Then the server "c1" should have needed 2 starts` (1 unless its port was taken).
async fn attempts(world: &mut ProvWorld, name: Text, starts: u32) -> StepResult {
    world.server_attempts(&name, starts)
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .when("I start the server {string}", start)
        .when("I start the server {string} as {string}", start_as)
        .when("I point the scenario at the server {string}", point)
        .when("I restart the server {string}", restart)
        .given("the next free port is already taken", port_taken)
        .then(
            "the server {string} should have needed {int} start(s)",
            attempts,
        );
}
