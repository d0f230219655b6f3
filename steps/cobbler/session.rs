//! Cobbler's token sessions: tokens that expire, re-authentication, counting logins.

use cucumber::{then, when};
use provspec::assertions::Should;

use crate::world::ProvWorld;

/// `When my session's token expires`: the server forgets the token (`logout`), the session
/// still holds it.
#[when(expr = "my session's token expires")]
async fn token_expires(world: &mut ProvWorld) -> Result<(), String> {
    world.expire_token().await
}

/// `When the server forgets every token` (the embedded fake only: a restart elsewhere).
#[when(expr = "the server forgets every token")]
async fn server_forgets_tokens(world: &mut ProvWorld) -> Result<(), String> {
    world.forget_all_tokens()
}

/// `Then my session should have logged in 2 times`.
#[then(expr = "my session should have logged in {int} time(s)")]
async fn login_count(world: &mut ProvWorld, expected: u64) -> Result<(), String> {
    world
        .login_count()?
        .should()
        .named("the number of logins of this scenario's session")
        .equal(&expected);
    Ok(())
}
