//! Undo actions for everything a scenario created, unwound newest first.

use provspec::Kind;
use provspec::entities::Cobbler;

/// One item to remove after the scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undo {
    /// The item's kind.
    pub kind: Kind,
    /// The alias, for reports.
    pub alias: String,
    /// The name on the server.
    pub real_name: String,
}

/// The undo actions of one scenario, newest last.
#[derive(Debug, Default)]
pub struct CleanupStack {
    undo: Vec<Undo>,
}

impl CleanupStack {
    /// Adds the removal of `real_name`. Pushed *before* the create is tried: a failed save can
    /// still leave the item on the server, and removing a missing item is harmless.
    pub fn push(&mut self, kind: Kind, alias: &str, real_name: &str) {
        let undo = Undo {
            kind,
            alias: alias.to_owned(),
            real_name: real_name.to_owned(),
        };
        if !self.undo.contains(&undo) {
            self.undo.push(undo);
        }
    }

    /// Removes everything, newest first. A failing removal is reported and the rest go on;
    /// the failures are returned as "kind alias (real name): error".
    pub async fn unwind(&mut self, api: &Cobbler) -> Vec<String> {
        let mut failures = Vec::new();
        while let Some(undo) = self.undo.pop() {
            if let Err(error) = api.remove(undo.kind, &undo.real_name, true).await {
                failures.push(format!(
                    "{} {:?} ({}): {error}",
                    undo.kind, undo.alias, undo.real_name
                ));
            }
        }
        failures
    }
}
