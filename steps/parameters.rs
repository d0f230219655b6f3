//! The parameter types of the steps' cucumber expressions: `{attempt}`, `{kind}`,
//! `{field}`, `{power_action}`, `{on_off}`.

use std::str::FromStr;

use crate::backend::PowerAction;
use crate::calls::faults::Malformed;
use cucumber::Parameter;

use crate::world::Mode;

/// `I` or `I try to`: whether a failure fails the step or is recorded as the outcome.
#[derive(Clone, Copy, Debug, Parameter)]
#[param(name = "attempt", regex = "I try to|I")]
pub struct Attempt(pub Mode);

impl FromStr for Attempt {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "I" => Ok(Attempt(Mode::Must)),
            "I try to" => Ok(Attempt(Mode::Try)),
            other => Err(format!("expected \"I\" or \"I try to\", got {other:?}")),
        }
    }
}

/// A kind's name in the feature's words (a singular or a plural); the World looks it up in the
/// backend's catalogue and says which kinds there are when it is not one of them.
#[derive(Clone, Debug, Parameter)]
#[param(name = "kind", regex = "[a-z][a-z_]*")]
pub struct KindWord(pub String);

impl FromStr for KindWord {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(KindWord(text.to_owned()))
    }
}

/// A field path: `hostname`, `interfaces.eth0.mac_address`, `properties.cpus`.
#[derive(Clone, Debug, Parameter)]
#[param(name = "field", regex = "[a-z0-9_][a-z0-9_.]*")]
pub struct Field(pub String);

impl FromStr for Field {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Field(text.to_owned()))
    }
}

/// `power on`, `power off`, `reboot`.
#[derive(Clone, Copy, Debug, Parameter)]
#[param(name = "power_action", regex = "power on|power off|reboot")]
pub struct PowerWord(pub PowerAction);

impl FromStr for PowerWord {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.trim_start_matches("power ").parse().map(PowerWord)
    }
}

/// `on` or `off`.
#[derive(Clone, Copy, Debug, Parameter)]
#[param(name = "on_off", regex = "on|off")]
pub struct OnOff(pub bool);

impl FromStr for OnOff {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "on" => Ok(OnOff(true)),
            "off" => Ok(OnOff(false)),
            other => Err(format!("expected on or off, got {other:?}")),
        }
    }
}

/// The text of a quoted argument (`{string}`), with `\"` read as `"` and `\\` as `\`, the
/// same in every step.
#[derive(Clone, PartialEq, Eq)]
pub struct Text(pub String);

impl std::fmt::Debug for Text {
    /// As the text itself, so that `{alias:?}` in a message reads `"web-01"`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for Text {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let mut text = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            match (c, chars.clone().next()) {
                ('\\', Some(next @ ('"' | '\\' | '\''))) => {
                    text.push(next);
                    chars.next();
                }
                _ => text.push(c),
            }
        }
        Ok(Text(text))
    }
}

impl std::ops::Deref for Text {
    type Target = String;

    fn deref(&self) -> &String {
        &self.0
    }
}

impl From<Text> for String {
    fn from(text: Text) -> String {
        text.0
    }
}

/// How a reply is broken: `malformed` (does not parse), `an HTML error page` (a proxy's 502),
/// `truncated` (cut off halfway).
#[derive(Clone, Copy, Debug, Parameter)]
#[param(
    name = "broken_reply",
    regex = "malformed|an HTML error page|truncated"
)]
pub struct BrokenReply(pub Malformed);

impl FromStr for BrokenReply {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "malformed" => Ok(BrokenReply(Malformed::Garbage)),
            "an HTML error page" => Ok(BrokenReply(Malformed::HtmlPage)),
            "truncated" => Ok(BrokenReply(Malformed::Truncated)),
            other => Err(format!(
                "expected \"malformed\", \"an HTML error page\" or \"truncated\", got {other:?}"
            )),
        }
    }
}
