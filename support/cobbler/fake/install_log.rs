//! `/var/log/cobbler/install.log`: what the install triggers logged.

/// One line of `/var/log/cobbler/install.log` (written by the pre/post install triggers).
#[derive(Debug, Clone)]
pub struct InstallEntry {
    /// The kind of the item installed (`system`, `profile`).
    pub objtype: String,
    /// Its name.
    pub name: String,
    /// The address the trigger was called from.
    pub ip: String,
    /// True for a start (`pre`), false for a stop (`post`).
    pub start: bool,
    /// When, in seconds since the epoch.
    pub time: f64,
}
