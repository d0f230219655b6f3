//! Undo actions for everything a scenario created, unwound newest first.

use provspec::backend::{Backend, KindSpec};

/// One item to remove after the scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undo {
    /// The item's kind.
    pub kind: &'static KindSpec,
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
    /// Adds the removal of `real_name`. Pushed *before* the create is tried: a failed create
    /// can still leave the item on the server, and discarding a missing item is harmless.
    pub fn push(&mut self, kind: &'static KindSpec, alias: &str, real_name: &str) {
        let undo = Undo {
            kind,
            alias: alias.to_owned(),
            real_name: real_name.to_owned(),
        };
        if !self.undo.contains(&undo) {
            self.undo.push(undo);
        }
    }

    /// Discards everything, newest first, whatever state it is in. A failing removal is
    /// reported and the rest go on; the failures are returned as "kind alias (real name): error".
    pub async fn unwind(&mut self, backend: &dyn Backend) -> Vec<String> {
        let mut failures = Vec::new();
        while let Some(undo) = self.undo.pop() {
            if let Err(error) = backend.discard(undo.kind, &undo.real_name).await {
                failures.push(format!(
                    "{} {:?} ({}): {error}",
                    undo.kind, undo.alias, undo.real_name
                ));
            }
        }
        failures
    }
}
