//! Credentials: logging in, and trying other credentials.

use cucumber::{given, when};

use super::parameters::Text;
use crate::world::ProvWorld;

/// `Given I am logged in`: logs in now, or checks the credentials where the backend has no
/// sessions (otherwise the first call that needs it does).
#[given(expr = "I am logged in")]
async fn logged_in(world: &mut ProvWorld) -> Result<(), String> {
    world.log_in().await
}

/// `When I try to log in as "qa" with password "wrong"` (credentials of its own; the
/// scenario's stay as they are).
#[when(expr = "I try to log in as {string} with password {string}")]
async fn try_login(world: &mut ProvWorld, user: Text, password: Text) {
    world.try_login(&user, &password).await;
}
