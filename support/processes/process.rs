//! One spawned process: its own process group, stdout and stderr in log files, its exit
//! watched as it happens, waited for with a time limit, or killed with its whole group.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::watch;

use crate::processes::log_dir::{LogDir, tail_block};
use crate::processes::{Exit, ProcessError, groups};

/// How many lines of each log an error about a process shows.
pub const ERROR_LINES: usize = 10;

/// What to start.
#[derive(Clone, Debug, Default)]
pub struct ProcessSpec {
    /// The name steps use for it (unique in its plan).
    pub name: String,
    /// The program and its arguments.
    pub argv: Vec<String>,
    /// Environment variables added to the runner's own.
    pub env: Vec<(String, String)>,
    /// The working directory (the runner's when absent).
    pub dir: Option<PathBuf>,
    /// True for a server or a background process: it may still run when the scenario ends
    /// (it is killed then without failing the scenario). A plain process must have ended.
    pub keeps_running: bool,
}

/// A process the plan started, with its process group.
#[derive(Debug)]
pub struct Process {
    spec: ProcessSpec,
    log_name: String,
    pgid: i32,
    stdout: PathBuf,
    stderr: PathBuf,
    exit: watch::Receiver<Option<Exit>>,
    /// A step waited for its exit, or killed it: its end is no surprise.
    expected: AtomicBool,
    /// Its unexpected exit was already reported.
    reported: AtomicBool,
}

impl Process {
    /// Starts `spec` in a process group of its own, stdin from /dev/null, stdout and stderr
    /// into the log files `LOG_NAME.stdout` and `.stderr` of `logs`; `marker` is added to its
    /// environment. Needs a tokio runtime (its exit is watched by a task).
    pub fn spawn(
        spec: ProcessSpec,
        log_name: String,
        logs: &LogDir,
        marker: Option<(&str, &str)>,
    ) -> Result<Self, ProcessError> {
        let Some(program) = spec.argv.first().cloned() else {
            return Err(ProcessError::CommandLine {
                line: String::new(),
                why: "it names no program".to_owned(),
            });
        };
        logs.ensure()?;
        let (stdout, stderr) = logs.log_files(&log_name);
        let open = |path: &Path| {
            File::create(path).map_err(|source| ProcessError::Files {
                path: path.to_owned(),
                source,
            })
        };
        let (out, err) = (open(&stdout)?, open(&stderr)?);
        let mut command = tokio::process::Command::new(&program);
        command
            .args(&spec.argv[1..])
            .envs(spec.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .process_group(0);
        if let Some((key, value)) = marker {
            command.env(key, value);
        }
        if let Some(dir) = &spec.dir {
            command.current_dir(dir);
        }
        let mut child = command.spawn().map_err(|source| ProcessError::Spawn {
            name: spec.name.clone(),
            program: program.clone(),
            source,
        })?;
        let pid = child.id().map_or(-1, |id| id as i32);
        let (tx, rx) = watch::channel(None);
        tokio::spawn(async move {
            let exit = match child.wait().await {
                Ok(status) => Exit::from(status),
                Err(_) => Exit::Code(-1),
            };
            let _ = tx.send(Some(exit));
        });
        tracing::debug!(name = %spec.name, pid, command = ?spec.argv, "started a process");
        Ok(Self {
            spec,
            log_name,
            pgid: pid,
            stdout,
            stderr,
            exit: rx,
            expected: AtomicBool::new(false),
            reported: AtomicBool::new(false),
        })
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// What it was started with.
    pub fn spec(&self) -> &ProcessSpec {
        &self.spec
    }

    /// The base name of its log files (unique in the log directory).
    pub fn log_name(&self) -> &str {
        &self.log_name
    }

    /// Its pid, which is also its process group's id.
    pub fn pgid(&self) -> i32 {
        self.pgid
    }

    /// How it ended, if it has.
    pub fn exit(&self) -> Option<Exit> {
        *self.exit.borrow()
    }

    /// Whether it, or anything of its process group, still runs.
    pub fn running(&self) -> bool {
        self.exit().is_none() || groups::alive(self.pgid)
    }

    /// Waits up to `limit` for it to end.
    pub async fn wait(&self, limit: Duration) -> Option<Exit> {
        let mut rx = self.exit.clone();
        tokio::time::timeout(limit, async {
            loop {
                if let Some(exit) = *rx.borrow_and_update() {
                    return exit;
                }
                if rx.changed().await.is_err() {
                    return (*rx.borrow()).unwrap_or(Exit::Code(-1));
                }
            }
        })
        .await
        .ok()
    }

    /// Waits up to `limit` for it to exit with `expected`: its exit is no longer a surprise.
    pub async fn wait_for(&self, expected: i32, limit: Duration) -> Result<Exit, ProcessError> {
        self.expected.store(true, Ordering::SeqCst);
        match self.wait(limit).await {
            None => Err(ProcessError::Timeout {
                name: self.spec.name.clone(),
                waited: limit,
                tail: self.tail(ERROR_LINES),
            }),
            Some(exit) if exit.code() == Some(expected) => Ok(exit),
            Some(exit) => Err(ProcessError::WrongExit {
                name: self.spec.name.clone(),
                exit,
                expected,
                tail: self.tail(ERROR_LINES),
            }),
        }
    }

    /// Ends its whole process group: SIGTERM, then SIGKILL to whatever is left after `grace`.
    /// Its end is no surprise. Returns how the process itself ended.
    pub async fn kill(&self, grace: Duration) -> Result<Exit, ProcessError> {
        self.expected.store(true, Ordering::SeqCst);
        let signal = |number: i32, name: &'static str| {
            groups::signal(self.pgid, number).map_err(|source| ProcessError::Signal {
                name: self.spec.name.clone(),
                pgid: self.pgid,
                signal: name,
                source,
            })
        };
        if self.running() {
            signal(libc::SIGTERM, "SIGTERM")?;
            let deadline = tokio::time::Instant::now() + grace;
            let _ = self.wait(grace).await;
            while groups::alive(self.pgid) && tokio::time::Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            if self.running() {
                tracing::debug!(name = %self.spec.name, "SIGTERM was not enough; sending SIGKILL");
                signal(libc::SIGKILL, "SIGKILL")?;
            }
        }
        let exit = self.wait(Duration::from_secs(5)).await;
        for _ in 0..100 {
            if !groups::alive(self.pgid) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let left = groups::members(self.pgid);
        match exit {
            Some(exit) if left.is_empty() => Ok(exit),
            _ => Err(ProcessError::Unkillable {
                name: self.spec.name.clone(),
                pgid: self.pgid,
                pids: left,
            }),
        }
    }

    /// Its unexpected exit, once: it ended, no step waited for it or killed it, and this was
    /// not reported yet.
    pub fn take_unexpected_exit(&self) -> Option<ProcessError> {
        let exit = self.exit()?;
        if self.expected.load(Ordering::SeqCst) || self.reported.swap(true, Ordering::SeqCst) {
            return None;
        }
        Some(ProcessError::UnexpectedExit {
            name: self.spec.name.clone(),
            exit,
            tail: self.tail(ERROR_LINES),
        })
    }

    /// Whether its end was expected (waited for or killed).
    pub fn end_expected(&self) -> bool {
        self.expected.load(Ordering::SeqCst)
    }

    /// Its stdout and then its stderr, as text.
    pub fn output(&self) -> String {
        let read = |path: &Path| {
            std::fs::read(path)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        };
        format!("{}{}", read(&self.stdout), read(&self.stderr))
    }

    /// Its stdout alone.
    pub fn stdout_path(&self) -> &Path {
        &self.stdout
    }

    /// `; the last lines of its logs:` and each log's last `lines` lines.
    pub fn tail(&self, lines: usize) -> String {
        format!(
            "; the last lines of its logs:\n{}\n{}",
            tail_block(&self.stdout, lines),
            tail_block(&self.stderr, lines)
        )
    }
}

impl Drop for Process {
    /// A fallback only (a run stopped mid-scenario drops its worlds): SIGKILL to whatever of
    /// the group still runs; never panics.
    fn drop(&mut self) {
        if self.pgid > 0 && self.running() {
            let _ = groups::signal(self.pgid, libc::SIGKILL);
        }
    }
}
