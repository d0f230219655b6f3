//! The evidence of a failed scenario, kept before its cleanup removes it: what the server holds
//! now for each item the scenario created (read through the backend, secrets redacted), its
//! call journal, its captured log, and the tail of the server's log when provspec can read it
//! (`--server-log PATH`). Written to `target/provspec-runs/RUN_ID/evidence/FILE-LINE/`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::{Value, json};

use crate::calls::journal;

use super::ProvWorld;
use super::cleanup::ScenarioLabel;

/// How many lines of the server's log are kept.
const SERVER_LOG_LINES: usize = 200;

/// Where the run keeps evidence, and what it reads besides the backend.
#[derive(Clone, Debug)]
pub struct EvidenceSettings {
    /// The run's artifacts folder (evidence goes to its `evidence/` folder).
    pub artifacts: PathBuf,
    /// The server's log, when provspec can read it (`--server-log`).
    pub server_log: Option<PathBuf>,
    /// Words never written (the run's passwords).
    pub secrets: Vec<String>,
}

static SETTINGS: OnceLock<EvidenceSettings> = OnceLock::new();

/// Sets where this run keeps evidence (once, as the run starts).
pub fn configure(settings: EvidenceSettings) {
    let _ = SETTINGS.set(settings);
}

/// The run's artifacts folder: `target/provspec-runs/RUN_ID/` under the project's root.
pub fn default_artifacts(run_id: &str) -> PathBuf {
    super::manifest::default_path(&super::crate_root(), run_id).with_extension("")
}

/// Keeps the evidence of `world`'s failed scenario and returns its folder. The reads bypass
/// the scenario's call layer: no injected fault reaches them and the journal stays the steps'.
pub async fn keep(world: &ProvWorld, label: &ScenarioLabel) -> Result<PathBuf, String> {
    let settings = SETTINGS.get().cloned().unwrap_or_else(|| EvidenceSettings {
        artifacts: default_artifacts(&world.config.run_id),
        server_log: None,
        secrets: Vec::new(),
    });
    let dir = settings.artifacts.join("evidence").join(folder_name(label));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let calls = world.calls.calls();
    world.calls.bypass();
    let items = items_now(world).await;
    let write = |name: &str, text: String| {
        let text = settings
            .secrets
            .iter()
            .filter(|s| !s.is_empty())
            .fold(text, |text, secret| {
                text.replace(secret.as_str(), "[redacted]")
            });
        std::fs::write(dir.join(name), text)
            .map_err(|e| format!("cannot write {}: {e}", dir.join(name).display()))
    };
    write(
        "items.json",
        serde_json::to_string_pretty(&items).unwrap_or_default(),
    )?;
    write("journal.txt", journal::report(&calls) + "\n")?;
    write("log.txt", world.calls.log_lines().join("\n") + "\n")?;
    if let Some(log) = &settings.server_log {
        let lines: Vec<String> = tail(log, SERVER_LOG_LINES)
            .lines()
            .map(redact_line)
            .collect();
        write("server-log.txt", lines.join("\n") + "\n")?;
    }
    Ok(dir)
}

/// Each item still on the scenario's cleanup stack, as the server holds it now.
async fn items_now(world: &ProvWorld) -> Vec<Value> {
    let limit = world.config.call_timeout.min(Duration::from_secs(10));
    let mut items = Vec::new();
    for undo in world.cleanup.pending_items() {
        let read = tokio::time::timeout(limit, world.backend.get(undo.kind, &undo.real_name));
        let now = match read.await {
            Ok(Ok(Some(record))) => {
                let mut fields = serde_json::to_value(&record.fields).unwrap_or_default();
                journal::redact(&mut fields);
                json!({ "fields": fields })
            }
            Ok(Ok(None)) => json!({ "gone": "the server does not have it" }),
            Ok(Err(error)) => json!({ "error": error.to_string() }),
            Err(_) => json!({ "error": format!("no answer within {limit:?}") }),
        };
        items.push(json!({
            "kind": undo.kind.name,
            "alias": undo.alias,
            "real_name": undo.real_name,
            "now": now,
        }));
    }
    items
}

/// A server's log line with the values of password-like fields redacted: cobblerd logs a
/// system's `power_pass` in cleartext on its `power command input:` lines.
fn redact_line(line: &str) -> String {
    static SECRET: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let secret = SECRET.get_or_init(|| {
        regex::Regex::new(
            r#"(?i)((?:power_pass|passw(?:or)?d|pass|secret|token)['"]?\s*[=:]\s*['"]?)([^'",\s}]+)"#,
        )
        .expect("a valid pattern")
    });
    secret.replace_all(line, "${1}[redacted]").into_owned()
}

/// `features/x.feature` line 7 as `features_x.feature-7`.
fn folder_name(label: &ScenarioLabel) -> String {
    let file: String = label
        .file
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{file}-{}", label.line)
}

/// The last `lines` lines of the file at `path`, or why it cannot be read.
fn tail(path: &Path, lines: usize) -> String {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let all: Vec<&str> = text.lines().collect();
            let start = all.len().saturating_sub(lines);
            all[start..].join("\n") + "\n"
        }
        Err(e) => format!("(cannot read {}: {e})\n", path.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_name_is_the_file_and_line_in_safe_characters() {
        let label = ScenarioLabel {
            file: "features/a b/x.feature".to_owned(),
            line: 7,
            name: "n".to_owned(),
        };
        assert_eq!(folder_name(&label), "features_a_b_x.feature-7");
    }

    #[test]
    fn password_like_values_in_a_server_log_are_redacted() {
        assert_eq!(
            redact_line("power command input: {'power_pass': 'hunter2', 'power_user': 'admin'}"),
            "power command input: {'power_pass': '[redacted]', 'power_user': 'admin'}"
        );
        assert_eq!(
            redact_line("passwd=s3cret other=1"),
            "passwd=[redacted] other=1"
        );
        assert_eq!(redact_line("nothing to hide"), "nothing to hide");
    }

    #[test]
    fn the_tail_is_the_last_lines_or_why_not() {
        let dir = tempfile::tempdir().expect("a folder");
        let log = dir.path().join("server.log");
        std::fs::write(&log, "1\n2\n3\n").expect("written");
        assert_eq!(tail(&log, 2), "2\n3\n");
        assert!(tail(&dir.path().join("none"), 2).starts_with("(cannot read "));
    }
}
