//! The current state of an item that changes state by itself (an Ironic node's provision
//! state), for waiting on it.

use std::fmt;

/// Where an item is in its life cycle, as the server reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemState {
    /// The state now, e.g. `deploying`; `None` where the server reports none.
    pub current: Option<String>,
    /// The state it is moving to, while a transition runs.
    pub target: Option<String>,
    /// The server's last error about the item, if any.
    pub last_error: Option<String>,
    /// True while the server still holds the item for an operation (Ironic's conductor lock,
    /// which outlives the state change by a moment): a next action would be refused.
    pub busy: bool,
}

impl ItemState {
    /// True while a transition runs (a target is set).
    pub fn is_settling(&self) -> bool {
        self.target.is_some()
    }

    /// True in a failure state (`clean failed`, `deploy failed`, …).
    pub fn has_failed(&self) -> bool {
        self.current
            .as_deref()
            .is_some_and(|state| state.ends_with("failed"))
    }

    /// The current state's name, `none` where there is none.
    pub fn name(&self) -> &str {
        self.current.as_deref().unwrap_or("none")
    }
}

impl fmt::Display for ItemState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        if let Some(target) = &self.target {
            write!(f, " (moving to {target})")?;
        } else if self.busy {
            f.write_str(" (still locked)")?;
        }
        Ok(())
    }
}
