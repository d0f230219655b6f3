//! One background task's event, as cobblerd keeps it in its `events` dict.

use crate::cobbler::protocol::Value;

/// One event: what `get_task_status` lists, and the task's log.
#[derive(Debug, Clone)]
pub struct Event {
    /// When its state last changed.
    pub statetime: f64,
    /// Its name (`Sync`, `Power management (on)`, …).
    pub name: String,
    /// `notification`, `running`, `complete` or `failed`.
    pub state: &'static str,
    /// Its log lines.
    pub log: Vec<String>,
    /// Users `get_events(user)` has shown it to since its last change.
    pub read_by: Vec<String>,
}

impl Event {
    /// `[statetime, name, state, read_by_who]`, as `get_task_status` and `get_events` list it.
    pub fn row(&self) -> Value {
        Value::Array(vec![
            Value::Double(self.statetime),
            Value::String(self.name.clone()),
            Value::String(self.state.to_owned()),
            Value::Array(self.read_by.iter().cloned().map(Value::String).collect()),
        ])
    }
}
