//! Power actions every backend offers.

use std::fmt;
use std::str::FromStr;

/// What a power action asks of an item's power controller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PowerAction {
    /// Power on.
    On,
    /// Power off.
    Off,
    /// Power off, then on.
    Reboot,
    /// Ask whether it is on.
    Status,
}

impl PowerAction {
    /// The operation's name in the API.
    pub fn name(self) -> &'static str {
        match self {
            PowerAction::On => "on",
            PowerAction::Off => "off",
            PowerAction::Reboot => "reboot",
            PowerAction::Status => "status",
        }
    }
}

impl fmt::Display for PowerAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PowerAction {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "on" => Ok(PowerAction::On),
            "off" => Ok(PowerAction::Off),
            "reboot" => Ok(PowerAction::Reboot),
            "status" => Ok(PowerAction::Status),
            other => Err(format!(
                "unknown power action {other:?}; known: on, off, reboot, status"
            )),
        }
    }
}
