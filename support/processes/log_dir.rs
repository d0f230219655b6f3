//! A scenario's log directory: one `NAME.stdout` and `NAME.stderr` per process, names made
//! unique (`echo`, `echo-1`, …), generated files beside them, the last lines of every log for
//! a report, and removal when the scenario passed.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::processes::ProcessError;

/// How many lines of each log a kept directory's report shows.
pub const REPORT_LINES: usize = 20;

/// A scenario's log directory (created when the first file is written).
#[derive(Debug)]
pub struct LogDir {
    path: PathBuf,
    used: Mutex<HashSet<String>>,
}

impl LogDir {
    /// The directory at `path`; nothing is created yet.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            used: Mutex::new(HashSet::new()),
        }
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether anything was written to it.
    pub fn exists(&self) -> bool {
        self.path.is_dir()
    }

    /// `base` (made safe for a file name), or `base-1`, `base-2`, … when taken: a name no log of
    /// this directory has yet, reserved from now on.
    pub fn unique_name(&self, base: &str) -> String {
        let base: String = base
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "._-".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let base = if base.is_empty() || base.starts_with('.') {
            format!("p{base}")
        } else {
            base
        };
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        let mut name = base.clone();
        let mut n = 0;
        while used.contains(&name) {
            n += 1;
            name = format!("{base}-{n}");
        }
        used.insert(name.clone());
        name
    }

    /// Creates the directory if needed.
    pub fn ensure(&self) -> Result<(), ProcessError> {
        fs::create_dir_all(&self.path).map_err(|source| ProcessError::Files {
            path: self.path.clone(),
            source,
        })
    }

    /// The stdout and stderr log files of the log name `name`.
    pub fn log_files(&self, name: &str) -> (PathBuf, PathBuf) {
        (
            self.path.join(format!("{name}.stdout")),
            self.path.join(format!("{name}.stderr")),
        )
    }

    /// Writes `content` to the file `name` in the directory (a generated configuration file).
    pub fn write_file(&self, name: &str, content: &str) -> Result<PathBuf, ProcessError> {
        self.ensure()?;
        let path = self.path.join(name);
        fs::write(&path, content).map_err(|source| ProcessError::Files {
            path: path.clone(),
            source,
        })?;
        Ok(path)
    }

    /// The last `lines` lines of every log in the directory, one block per file, in name order:
    /// `  echo.stderr (last 2 lines):\n    …`.
    pub fn report(&self, lines: usize) -> String {
        let mut files: Vec<PathBuf> = fs::read_dir(&self.path)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        p.extension()
                            .is_some_and(|e| e == "stdout" || e == "stderr")
                    })
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        let mut out = String::new();
        for file in files {
            let _ = write!(out, "\n{}", tail_block(&file, lines));
        }
        out
    }

    /// Removes the directory and everything in it.
    pub fn remove(&self) -> Result<(), ProcessError> {
        match fs::remove_dir_all(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(ProcessError::Files {
                path: self.path.clone(),
                source,
            }),
        }
    }
}

/// The last `n` lines of the file at `path` (empty when it is missing).
pub fn last_lines(path: &Path, n: usize) -> Vec<String> {
    let text = fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..]
        .iter()
        .map(|l| (*l).to_owned())
        .collect()
}

/// `  NAME (last N lines):` then the lines indented, or `  NAME: empty`.
pub fn tail_block(path: &Path, n: usize) -> String {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let lines = last_lines(path, n);
    if lines.is_empty() {
        return format!("  {name}: empty");
    }
    let mut block = format!("  {name} (last {} line(s)):", lines.len());
    for line in lines {
        let _ = write!(block, "\n    {line}");
    }
    block
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_unique_and_safe() {
        let dir = LogDir::new("/nonexistent");
        assert_eq!(dir.unique_name("echo"), "echo");
        assert_eq!(dir.unique_name("echo"), "echo-1");
        assert_eq!(dir.unique_name("echo"), "echo-2");
        assert_eq!(dir.unique_name("a b/c"), "a_b_c");
        assert_eq!(dir.unique_name(".."), "p..");
    }

    #[test]
    fn the_report_shows_the_last_lines_of_each_log() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = LogDir::new(tmp.path().join("logs"));
        dir.ensure().unwrap();
        let (out, err) = dir.log_files("echo");
        fs::write(
            &out,
            (1..=30).map(|n| format!("line {n}\n")).collect::<String>(),
        )
        .unwrap();
        fs::write(&err, "").unwrap();
        let report = dir.report(REPORT_LINES);
        assert!(report.contains("echo.stderr: empty"), "{report}");
        assert!(
            report.contains("echo.stdout (last 20 line(s)):\n    line 11\n"),
            "{report}"
        );
        assert!(!report.contains("line 10\n"), "{report}");
        dir.remove().unwrap();
        assert!(!dir.exists());
    }
}
