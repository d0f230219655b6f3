//! What a scenario leaves for the HTML report beyond its steps: its calls (the journal, in
//! order), its captured log, and where its evidence and process logs were kept. Recorded by
//! the after hook before cleanup; read when the run's reports are written.

use std::path::PathBuf;
use std::sync::Mutex;

use crate::calls::journal::Call;

use super::cleanup::ScenarioLabel;

/// One call of the scenario's journal, as the report shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct CallEntry {
    /// The method, or the HTTP verb and path (aliases for real names).
    pub name: String,
    /// How long it took, in milliseconds.
    pub millis: f64,
    /// `ok`, or the error in words.
    pub outcome: String,
    /// The fault the scenario injected into it, if any.
    pub injected: Option<String>,
}

impl From<&Call> for CallEntry {
    fn from(call: &Call) -> Self {
        CallEntry {
            name: call.name.clone(),
            millis: call.duration.as_secs_f64() * 1000.0,
            outcome: match &call.outcome {
                Ok(_) => "ok".to_owned(),
                Err(error) => error.clone(),
            },
            injected: call.injected.clone(),
        }
    }
}

/// What one scenario left for the report.
#[derive(Clone, Debug, Default)]
pub struct ScenarioRecord {
    /// Its feature file (as the manifest names it) and line.
    pub file: String,
    /// Its line.
    pub line: usize,
    /// Its calls, in order.
    pub calls: Vec<CallEntry>,
    /// Its captured log lines.
    pub log: Vec<String>,
    /// The folder its evidence was kept in, when it failed.
    pub evidence: Option<PathBuf>,
    /// The folder its process logs were kept in, when it failed with processes.
    pub process_logs: Option<PathBuf>,
}

impl ScenarioRecord {
    /// The files of its evidence, by name, sorted (none when it kept none).
    pub fn evidence_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = self
            .evidence
            .iter()
            .flat_map(|dir| std::fs::read_dir(dir).into_iter().flatten())
            .filter_map(|entry| Some(entry.ok()?.path()))
            .filter(|path| path.is_file())
            .collect();
        files.sort();
        files
    }
}

static RECORDS: Mutex<Vec<ScenarioRecord>> = Mutex::new(Vec::new());

/// Keeps `record` for the reports (a retried scenario's last try wins).
pub fn keep(record: ScenarioRecord) {
    let mut records = RECORDS.lock().unwrap_or_else(|p| p.into_inner());
    records.retain(|r| (r.file.as_str(), r.line) != (record.file.as_str(), record.line));
    records.push(record);
}

/// The record of the scenario at `label`'s file and line, if its after hook kept one.
pub fn of(label: &ScenarioLabel) -> Option<ScenarioRecord> {
    RECORDS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .find(|r| r.file == label.file && r.line == label.line)
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_try_of_the_same_scenario_replaces_the_earlier() {
        let label = ScenarioLabel {
            file: "features/records-test.feature".to_owned(),
            line: 7,
            name: "x".to_owned(),
        };
        let first = ScenarioRecord {
            file: label.file.clone(),
            line: 7,
            log: vec!["first".to_owned()],
            ..ScenarioRecord::default()
        };
        keep(first);
        keep(ScenarioRecord {
            log: vec!["second".to_owned()],
            ..of(&label).expect("kept")
        });
        assert_eq!(of(&label).expect("kept").log, ["second"]);
        let elsewhere = ScenarioLabel { line: 8, ..label };
        assert!(of(&elsewhere).is_none());
    }
}
