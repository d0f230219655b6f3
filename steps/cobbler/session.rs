//! Cobbler's token sessions: tokens that expire, re-authentication, counting logins.

use crate::assertions::Should;
use crate::world::StepResult;

use crate::world::ProvWorld;
use crate::world::step_definitions::Steps;

/// `When my session's token expires`: the server forgets the token (`logout`), the session
/// still holds it.
async fn token_expires(world: &mut ProvWorld) -> StepResult {
    world.expire_token().await
}

/// `When the server forgets every token` (the embedded fake only: a restart elsewhere).
async fn server_forgets_tokens(world: &mut ProvWorld) -> StepResult {
    world.forget_all_tokens()
}

/// `Then my session should have logged in 2 times`.
async fn login_count(world: &mut ProvWorld, expected: u64) -> StepResult {
    world
        .login_count()?
        .should()
        .named("the number of logins of this scenario's session")
        .equal(&expected)?;
    Ok(())
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .when("my session's token expires", token_expires)
        .when("the server forgets every token", server_forgets_tokens)
        .then(
            "my session should have logged in {int} time(s)",
            login_count,
        );
}
