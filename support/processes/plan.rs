//! One scenario's processes by name: spawned one at a time or several at once, waited for,
//! killed, checked for exits nobody expected, and finished when the scenario ends.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use indexmap::IndexMap;

use crate::processes::log_dir::REPORT_LINES;
use crate::processes::{Exit, LogDir, Process, ProcessError, ProcessSpec};

/// How long a killed process group gets between SIGTERM and SIGKILL.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(3);

/// One scenario's processes.
#[derive(Debug)]
pub struct ProcessPlan {
    logs: LogDir,
    marker: Option<(String, String)>,
    grace: Duration,
    processes: Mutex<IndexMap<String, Arc<Process>>>,
}

/// What the end of a scenario found.
#[derive(Debug, Default)]
pub struct Finished {
    /// Why the scenario fails on account of its processes: exits nobody expected and not yet
    /// reported, processes that still ran (each was killed), kills that failed.
    pub problems: Vec<String>,
    /// The log directory, when it was kept (the scenario failed).
    pub kept: Option<PathBuf>,
    /// The last lines of every log in a kept directory.
    pub report: String,
}

impl ProcessPlan {
    /// A plan whose logs go to `dir` (created at the first spawn); `marker` (an environment
    /// variable and its value) is given to every process it starts.
    pub fn new(dir: impl Into<PathBuf>, marker: Option<(String, String)>) -> Self {
        Self {
            logs: LogDir::new(dir),
            marker,
            grace: DEFAULT_GRACE,
            processes: Mutex::new(IndexMap::new()),
        }
    }

    /// Sets the time between SIGTERM and SIGKILL.
    pub fn with_grace(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }

    /// The scenario's log directory.
    pub fn logs(&self) -> &LogDir {
        &self.logs
    }

    fn lock(&self) -> MutexGuard<'_, IndexMap<String, Arc<Process>>> {
        self.processes.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `base`, or `base-1`, `base-2`, … : a process name not yet used in this scenario.
    pub fn unique_name(&self, base: &str) -> String {
        let processes = self.lock();
        let mut name = base.to_owned();
        let mut n = 0;
        while processes.contains_key(&name) {
            n += 1;
            name = format!("{base}-{n}");
        }
        name
    }

    /// The names of the processes started so far, in order.
    pub fn names(&self) -> Vec<String> {
        self.lock().keys().cloned().collect()
    }

    /// Starts `spec` under its name, which must be new to the scenario.
    pub fn spawn(&self, spec: ProcessSpec) -> Result<Arc<Process>, ProcessError> {
        if self.lock().contains_key(&spec.name) {
            return Err(ProcessError::Taken { name: spec.name });
        }
        self.start(spec)
    }

    /// Starts `spec` in place of the process of the same name (a restart); the old one must
    /// have ended. Its logs go to new files.
    pub fn replace(&self, spec: ProcessSpec) -> Result<Arc<Process>, ProcessError> {
        self.start(spec)
    }

    fn start(&self, spec: ProcessSpec) -> Result<Arc<Process>, ProcessError> {
        let log_name = self.logs.unique_name(&spec.name);
        let marker = self
            .marker
            .as_ref()
            .map(|(key, value)| (key.as_str(), value.as_str()));
        let name = spec.name.clone();
        let process = Arc::new(Process::spawn(spec, log_name, &self.logs, marker)?);
        self.lock().insert(name, process.clone());
        Ok(process)
    }

    /// Starts every spec at once; if one cannot start, those started are killed and the error
    /// returned.
    pub async fn spawn_all(
        &self,
        specs: Vec<ProcessSpec>,
    ) -> Result<Vec<Arc<Process>>, ProcessError> {
        let mut started = Vec::new();
        for spec in specs {
            match self.spawn(spec) {
                Ok(process) => started.push(process),
                Err(error) => {
                    for process in &started {
                        let _ = process.kill(self.grace).await;
                    }
                    return Err(error);
                }
            }
        }
        Ok(started)
    }

    /// The process named `name`.
    pub fn get(&self, name: &str) -> Result<Arc<Process>, ProcessError> {
        let processes = self.lock();
        processes
            .get(name)
            .cloned()
            .ok_or_else(|| ProcessError::Unknown {
                name: name.to_owned(),
                known: processes.keys().cloned().collect(),
            })
    }

    /// Waits up to `limit` for `name` to exit with `expected`.
    pub async fn wait_for(
        &self,
        name: &str,
        expected: i32,
        limit: Duration,
    ) -> Result<Exit, ProcessError> {
        self.get(name)?.wait_for(expected, limit).await
    }

    /// Kills `name` and its process group (SIGTERM, then SIGKILL after the grace period).
    pub async fn kill(&self, name: &str) -> Result<Exit, ProcessError> {
        self.get(name)?.kill(self.grace).await
    }

    /// The first exit nobody expected, of a process `named` does not exempt (a step about that
    /// very process is about to look at it). Each is reported once.
    pub fn check_unexpected_exits(&self, named: impl Fn(&str) -> bool) -> Result<(), ProcessError> {
        let processes: Vec<Arc<Process>> = self.lock().values().cloned().collect();
        for process in processes {
            if named(process.name()) {
                continue;
            }
            if let Some(error) = process.take_unexpected_exit() {
                return Err(error);
            }
        }
        Ok(())
    }

    /// Ends the scenario's processes: every one still running is killed (one that was not a
    /// server or background process is a problem), exits nobody expected and not reported yet
    /// are problems; the log directory is removed when `passed` and nothing went wrong here,
    /// and kept, with the last 20 lines of each log, otherwise.
    pub async fn finish(&self, passed: bool) -> Finished {
        let processes: Vec<Arc<Process>> = self.lock().values().cloned().collect();
        let mut problems = Vec::new();
        for process in processes.iter().rev() {
            if process.running() {
                let was_expected = process.end_expected();
                match process.kill(self.grace).await {
                    Ok(exit) if !process.spec().keeps_running && !was_expected => {
                        problems.push(format!(
                            "the process {:?} still ran when the scenario ended; it was killed ({exit})",
                            process.name()
                        ));
                    }
                    Ok(_) => {}
                    Err(error) => problems.push(error.to_string()),
                }
            } else if let Some(error) = process.take_unexpected_exit() {
                problems.push(error.to_string());
            }
        }
        if !self.logs.exists() {
            return Finished {
                problems,
                ..Finished::default()
            };
        }
        if passed && problems.is_empty() {
            if let Err(error) = self.logs.remove() {
                problems.push(error.to_string());
            } else {
                return Finished::default();
            }
        }
        Finished {
            problems,
            kept: Some(self.logs.path().to_owned()),
            report: self.logs.report(REPORT_LINES),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, line: &str) -> ProcessSpec {
        ProcessSpec {
            name: name.to_owned(),
            argv: crate::processes::split_command_line(line).unwrap(),
            ..ProcessSpec::default()
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_passed_scenario_removes_its_logs_and_a_failed_one_keeps_them() {
        let tmp = tempfile::tempdir().unwrap();
        for passed in [true, false] {
            let dir = tmp.path().join(format!("passed-{passed}"));
            let plan = ProcessPlan::new(&dir, None);
            plan.spawn(spec("echo", "sh -c 'echo hello; echo oops >&2'"))
                .unwrap();
            plan.wait_for("echo", 0, Duration::from_secs(10))
                .await
                .unwrap();
            let finished = plan.finish(passed).await;
            assert!(finished.problems.is_empty(), "{:?}", finished.problems);
            assert_eq!(dir.exists(), !passed);
            if !passed {
                assert_eq!(finished.kept.as_deref(), Some(dir.as_path()));
                assert!(
                    finished
                        .report
                        .contains("echo.stdout (last 1 line(s)):\n    hello")
                );
                assert!(
                    finished
                        .report
                        .contains("echo.stderr (last 1 line(s)):\n    oops")
                );
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn what_still_runs_at_the_end_is_killed_with_its_group_and_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let plan = ProcessPlan::new(tmp.path().join("logs"), None);
        let process = plan
            .spawn(spec("sleeper", "sh -c 'sleep 60 & sleep 60 & wait'"))
            .unwrap();
        let pgid = process.pgid();
        let finished = plan.finish(true).await;
        assert_eq!(finished.problems.len(), 1, "{:?}", finished.problems);
        assert!(finished.problems[0].contains("\"sleeper\" still ran when the scenario ended"));
        assert!(crate::processes::groups::members(pgid).is_empty());
        assert!(
            finished.kept.is_some(),
            "a scenario failed by its leftovers keeps its logs"
        );
    }
}
