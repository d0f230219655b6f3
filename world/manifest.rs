//! The run manifest: what a run did on its server, written as JSON at the end of every run,
//! an interrupted one too. Its schema is `schemas/run-manifest.schema.json`.
//!
//! Per scenario: where it is, how it ended, every item it created (kind, alias, real name)
//! and how that was cleaned up; for the run: id, backend, endpoint (never with credentials),
//! start and end, how it ended, and what is left on the server.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use serde::Serialize;

use super::cleanup::{Cleaned, Outcome, ScenarioLabel};

/// The schema a manifest follows; bumped on any incompatible change.
pub const SCHEMA: &str = "provspec-run-manifest/1";

/// How a scenario ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScenarioStatus {
    /// Every step passed.
    Passed,
    /// A step, a hook or the scenario's cleanup failed, or a step is undefined.
    Failed,
    /// The run stopped while the scenario was running.
    Interrupted,
}

/// One item a scenario created.
#[derive(Clone, Debug, Serialize)]
pub struct Resource {
    /// Its kind (`system`, `node`).
    pub kind: String,
    /// The feature's name for it.
    pub alias: String,
    /// Its name on the server.
    pub real_name: String,
    /// How it was cleaned up: `removed`, `already-gone`, `failed`, `not-tried`; and `error`
    /// saying why for the last two.
    #[serde(flatten)]
    pub cleanup: Outcome,
}

/// One scenario of the run.
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioEntry {
    /// Its feature file, relative to the crate root.
    pub feature: String,
    /// Its line in the file.
    pub line: usize,
    /// Its name.
    pub name: String,
    /// How it ended.
    pub status: ScenarioStatus,
    /// What it created, oldest first, with how each item was cleaned up.
    pub resources: Vec<Resource>,
    /// How many calls its steps made to the server (cleanup's not counted).
    pub calls: usize,
    /// The time those calls took, in seconds.
    pub call_seconds: f64,
}

/// Something of the run still on the server after it.
#[derive(Clone, Debug, Serialize)]
pub struct Leftover {
    /// Its kind.
    pub kind: String,
    /// Its name on the server.
    pub real_name: String,
}

/// The whole manifest.
#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// The run's id (the marker in every real name).
    pub run_id: String,
    /// The backend's name (`fake`, `cobbler`, `fake-ironic`, `ironic`).
    pub backend: String,
    /// Where the run's calls went, without credentials.
    pub endpoint: String,
    /// When the run started (RFC 3339, UTC).
    pub started: String,
    /// When the run ended (RFC 3339, UTC).
    pub ended: String,
    /// How the run ended: `passed`, `failed`, `interrupted` (a signal) or `server-stopped`
    /// (the server stopped answering).
    pub outcome: String,
    /// The scenarios that ran, in the order they finished.
    pub scenarios: Vec<ScenarioEntry>,
    /// What is left on the server: items whose cleanup failed or was not tried, and what the
    /// leak check found.
    pub left: Vec<Leftover>,
}

static SCENARIOS: Mutex<Vec<ScenarioEntry>> = Mutex::new(Vec::new());

/// The calls a scenario's steps made: how many, and the seconds they took.
#[derive(Clone, Copy, Debug, Default)]
pub struct CallTally {
    /// How many.
    pub calls: usize,
    /// Their time, in seconds.
    pub seconds: f64,
}

/// Records how a scenario ended, what became of its items and what its steps called.
pub fn record(
    scenario: &ScenarioLabel,
    status: ScenarioStatus,
    cleaned: &[Cleaned],
    tally: CallTally,
) {
    let mut resources: Vec<Resource> = cleaned
        .iter()
        .map(|c| Resource {
            kind: c.undo.kind.name.to_owned(),
            alias: c.undo.alias.clone(),
            real_name: c.undo.real_name.clone(),
            cleanup: c.outcome.clone(),
        })
        .collect();
    // Cleanup went newest first; the manifest lists them in the order they were created.
    resources.reverse();
    SCENARIOS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(ScenarioEntry {
            feature: scenario.file.clone(),
            line: scenario.line,
            name: scenario.name.clone(),
            status,
            resources,
            calls: tally.calls,
            call_seconds: (tally.seconds * 1000.0).round() / 1000.0,
        });
}

/// Every scenario recorded so far.
pub fn scenarios() -> Vec<ScenarioEntry> {
    SCENARIOS.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// Items whose cleanup failed or was not tried, over every recorded scenario.
pub fn not_cleaned() -> Vec<Leftover> {
    scenarios()
        .iter()
        .flat_map(|s| s.resources.iter())
        .filter(|r| matches!(r.cleanup, Outcome::Failed(_) | Outcome::NotTried(_)))
        .map(|r| Leftover {
            kind: r.kind.clone(),
            real_name: r.real_name.clone(),
        })
        .collect()
}

/// `time` as RFC 3339 in UTC, to the second.
pub fn timestamp(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}

/// Where a run's manifest goes when `--manifest` does not say: `target/provspec-runs/ID.json`
/// under the crate root (or CARGO_TARGET_DIR).
pub fn default_path(crate_root: &Path, run_id: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                crate_root.join(dir)
            }
        })
        .unwrap_or_else(|| crate_root.join("target"));
    target.join("provspec-runs").join(format!("{run_id}.json"))
}

impl Manifest {
    /// Writes the manifest to `path` (its directory is created), atomically: a reader sees the
    /// old file or the whole new one.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| format!("cannot encode the run manifest: {e}"))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                format!("cannot create {} for the run manifest: {e}", dir.display())
            })?;
        }
        let partial = path.with_extension("json.partial");
        std::fs::write(&partial, text + "\n")
            .and_then(|()| std::fs::rename(&partial, path))
            .map_err(|e| format!("cannot write the run manifest {}: {e}", path.display()))
    }
}
