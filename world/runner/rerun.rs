//! `--rerun-failed [MANIFEST]`: the scenarios a previous run did not pass, read from its
//! manifest (by default the newest in `target/provspec-runs/`), as the only ones to run.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The scenarios to run again, by feature file (as the manifest names it) and line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RerunSet {
    /// The manifest they were read from.
    pub manifest: PathBuf,
    /// The run it describes.
    pub run_id: String,
    /// Its scenarios that did not pass.
    pub scenarios: HashSet<(String, usize)>,
}

impl RerunSet {
    /// Whether the scenario at `file`:`line` is one to run again.
    pub fn holds(&self, file: &str, line: usize) -> bool {
        self.scenarios.contains(&(file.to_owned(), line))
    }
}

/// Reads the scenarios that did not pass from `manifest`, or from the newest manifest in
/// `runs` when none is named.
pub fn read(manifest: Option<&Path>, runs: &Path) -> Result<RerunSet, String> {
    let path = match manifest {
        Some(path) => path.to_path_buf(),
        None => newest(runs)?,
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("--rerun-failed: cannot read {}: {e}", path.display()))?;
    let json: Value = serde_json::from_str(&text)
        .map_err(|e| format!("--rerun-failed: {} is no run manifest: {e}", path.display()))?;
    let scenarios = json["scenarios"].as_array().ok_or_else(|| {
        format!(
            "--rerun-failed: {} is no run manifest: it has no \"scenarios\" list",
            path.display()
        )
    })?;
    let failed = scenarios
        .iter()
        .filter(|s| s["status"].as_str() != Some("passed"))
        .filter_map(|s| {
            Some((
                s["feature"].as_str()?.to_owned(),
                s["line"].as_u64()? as usize,
            ))
        })
        .collect();
    Ok(RerunSet {
        run_id: json["run_id"].as_str().unwrap_or("?").to_owned(),
        manifest: path,
        scenarios: failed,
    })
}

/// The most recently written manifest in `runs`.
fn newest(runs: &Path) -> Result<PathBuf, String> {
    let entries = std::fs::read_dir(runs).map_err(|e| {
        format!(
            "--rerun-failed: no earlier run to read ({}: {e}); name a manifest: --rerun-failed PATH",
            runs.display()
        )
    })?;
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .max()
        .map(|(_, path)| path)
        .ok_or_else(|| {
            format!(
                "--rerun-failed: no run manifest in {}; name one: --rerun-failed PATH",
                runs.display()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(dir: &Path, name: &str, run_id: &str) -> PathBuf {
        let path = dir.join(name);
        let text = serde_json::json!({
            "run_id": run_id,
            "scenarios": [
                {"feature": "features/a.feature", "line": 3, "status": "passed"},
                {"feature": "features/a.feature", "line": 9, "status": "failed"},
                {"feature": "features/b.feature", "line": 4, "status": "interrupted"},
            ],
        });
        std::fs::write(&path, text.to_string()).expect("written");
        path
    }

    #[test]
    fn what_did_not_pass_is_rerun() {
        let dir = tempfile::tempdir().expect("a folder");
        let path = manifest(dir.path(), "one.json", "one");
        let set = read(Some(&path), dir.path()).expect("read");
        assert_eq!(set.run_id, "one");
        assert!(set.holds("features/a.feature", 9));
        assert!(set.holds("features/b.feature", 4));
        assert!(!set.holds("features/a.feature", 3));
    }

    #[test]
    fn without_a_name_the_newest_manifest_is_read() {
        let dir = tempfile::tempdir().expect("a folder");
        manifest(dir.path(), "old.json", "old");
        std::thread::sleep(std::time::Duration::from_millis(20));
        manifest(dir.path(), "new.json", "new");
        assert_eq!(read(None, dir.path()).expect("read").run_id, "new");
        let empty = tempfile::tempdir().expect("a folder");
        let error = read(None, empty.path()).expect_err("no manifest");
        assert!(error.contains("no run manifest in"), "{error}");
    }

    #[test]
    fn a_file_that_is_no_manifest_is_refused_with_its_path() {
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("x.json");
        std::fs::write(&path, "{\"a\": 1}").expect("written");
        let error = read(Some(&path), dir.path()).expect_err("not a manifest");
        assert!(error.contains("x.json is no run manifest"), "{error}");
    }
}
