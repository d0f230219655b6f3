//! The session: logging in, tokens that expire, re-authentication.

use cucumber::{given, then, when};
use provspec::assertions::Should;

use crate::world::ProvWorld;

/// `Given I am logged in`: logs in now (otherwise the first call that needs it does).
#[given(regex = r#"^I am logged in$"#)]
async fn logged_in(world: &mut ProvWorld) -> Result<(), String> {
    world
        .api
        .session()
        .ensure_logged_in()
        .await
        .map_err(|e| e.to_string())
}

/// `When I try to log in as "cobbler" with password "wrong"` (a session of its own).
#[when(regex = r#"^I try to log in as "([^"]*)" with password "([^"]*)"$"#)]
async fn try_login(world: &mut ProvWorld, user: String, password: String) {
    world.try_login(&user, &password).await;
}

/// `When my session's token expires`: the server forgets the token (`logout`), the session
/// still holds it.
#[when(regex = r#"^my session's token expires$"#)]
async fn token_expires(world: &mut ProvWorld) -> Result<(), String> {
    world.expire_token().await
}

/// `When the server forgets every token` (the embedded fake only: a restart elsewhere).
#[when(regex = r#"^the server forgets every token$"#)]
async fn server_forgets_tokens(world: &mut ProvWorld) -> Result<(), String> {
    world.restart_fake()
}

/// `Then my session should have logged in 2 times`.
#[then(regex = r#"^my session should have logged in (\d+) times?$"#)]
async fn login_count(world: &mut ProvWorld, expected: u64) -> Result<(), String> {
    world
        .api
        .session()
        .login_count()
        .should()
        .named("the number of logins of this scenario's session")
        .equal(&expected);
    Ok(())
}
