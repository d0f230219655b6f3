//! Power: on, off, reboot and status through the system's power type.

use cucumber::{then, when};
use provspec::assertions::Should;
use provspec::entities::PowerAction;

use super::mode;
use crate::world::ProvWorld;

/// `When I (try to) power on the system "web-01"` (also `power off`, `reboot`).
#[when(regex = r#"^I (try to )?(power on|power off|reboot) the system "([^"]*)"$"#)]
async fn power(
    world: &mut ProvWorld,
    try_to: String,
    action: String,
    alias: String,
) -> Result<(), String> {
    let action: PowerAction = action.trim_start_matches("power ").parse()?;
    world.power(mode(&try_to), &alias, action).await.map(|_| ())
}

/// `Then the system "web-01" should be powered on` (or `off`): asks the power status.
#[then(regex = r#"^the system "([^"]*)" should be powered (on|off)$"#)]
async fn powered(world: &mut ProvWorld, alias: String, state: String) -> Result<(), String> {
    let on = world.power(mode(""), &alias, PowerAction::Status).await?;
    on.should()
        .named(format!("whether system {alias:?} is powered on"))
        .equal(&(state == "on"));
    Ok(())
}
