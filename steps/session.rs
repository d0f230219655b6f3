//! The session: logging in, credentials, tokens that expire, re-authentication.

use cucumber::{given, then, when};
use provspec::assertions::Should;

use crate::world::ProvWorld;

/// `Given I am logged in`: logs in now, or checks the credentials where the backend has no
/// sessions (otherwise the first call that needs it does).
#[given(expr = "I am logged in")]
async fn logged_in(world: &mut ProvWorld) -> Result<(), String> {
    world.log_in().await
}

/// `When I try to log in as "cobbler" with password "wrong"` (a session of its own).
#[when(expr = "I try to log in as {string} with password {string}")]
async fn try_login(world: &mut ProvWorld, user: String, password: String) {
    world.try_login(&user, &password).await;
}

/// `When my session's token expires`: the server forgets the token, the session still
/// holds it.
#[when(expr = "my session's token expires")]
async fn token_expires(world: &mut ProvWorld) -> Result<(), String> {
    world.expire_token().await
}

/// `When the server forgets every token` (an embedded fake only: a restart elsewhere).
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
