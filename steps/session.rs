//! Credentials: logging in, and trying other credentials.

use super::parameters::Text;
use crate::world::ProvWorld;
use crate::world::StepResult;
use crate::world::step_definitions::Steps;

/// `Given I am logged in`: logs in now, or checks the credentials where the backend has no
/// sessions (otherwise the first call that needs it does).
async fn logged_in(world: &mut ProvWorld) -> StepResult {
    world.log_in().await
}

/// `When I try to log in as "qa" with password "wrong"` (credentials of its own; the
/// scenario's stay as they are).
async fn try_login(world: &mut ProvWorld, user: Text, password: Text) {
    world.try_login(&user, &password).await;
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps.given("I am logged in", logged_in).when(
        "I try to log in as {string} with password {string}",
        try_login,
    );
}
