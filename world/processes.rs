//! The World's processes and servers: one [`ProcessPlan`] per scenario (logs under
//! `target/provspec-processes/RUN/SCENARIO/`), the servers it started from
//! `servers/servers.toml`, the ports it holds on purpose, and the server it points at.
//! Backend-neutral: a server's definition names its backend, and `crate::backends` connects.

use crate::world::{StepResult, WorldError};
use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::assertions::{Look, Patience, wait_for};
use crate::backend::Connector;
use crate::processes::{ProcessPlan, ProcessSpec, RUN_MARKER_ENV, groups, split_command_line};
use crate::servers::{Definitions, Ports, Server, ServerError, Values};
use indexmap::IndexMap;

use super::ProvWorld;

/// How long `Then the log of "x" should contain "…"` waits for the text to appear.
const LOG_APPEARS_WITHIN: Duration = Duration::from_secs(10);

/// One scenario's processes and servers.
#[derive(Debug)]
pub struct Processes {
    /// The scenario's process plan.
    pub plan: ProcessPlan,
    /// Where its servers get their ports.
    pub ports: Ports,
    /// The servers it started, by name.
    pub servers: IndexMap<String, Server>,
    /// Ports held on purpose (to make a server's first port clash).
    pub held: Vec<TcpListener>,
    /// The connector of the server the scenario was pointed at, closed when it ends.
    pub pointed: Option<Arc<dyn Connector>>,
}

impl Processes {
    /// The processes of scenario `scenario` of run `run_id`.
    pub fn new(run_id: &str, scenario: u64) -> Self {
        let dir = logs_root()
            .join(run_id)
            .join(format!("scenario-{scenario}"));
        Self {
            plan: ProcessPlan::new(dir, Some((RUN_MARKER_ENV.to_owned(), run_id.to_owned()))),
            ports: Ports::default(),
            servers: IndexMap::new(),
            held: Vec::new(),
            pointed: None,
        }
    }
}

/// Where provspec's binaries are (`fake-cobbler`, `fake-ironic`): PROVSPEC_BIN_DIR when set;
/// else beside the running program (`provspec` installed with them, or a test binary in
/// `target/debug/deps` with them in `target/debug`); else the folder on PATH that holds
/// `fake-cobbler`.
pub fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PROVSPEC_BIN_DIR") {
        return PathBuf::from(dir);
    }
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_owned))
        .unwrap_or_default();
    let beside = if exe_dir.ends_with("deps") {
        exe_dir.parent().map_or_else(PathBuf::new, Path::to_owned)
    } else {
        exe_dir
    };
    let holds = |dir: &Path| dir.join("fake-cobbler").is_file();
    if holds(&beside) {
        return beside;
    }
    std::env::var_os("PATH")
        .and_then(|path| std::env::split_paths(&path).find(|dir| holds(dir)))
        .unwrap_or(beside)
}

/// `target/provspec-processes` below the project's root (the crate's, or provspec.toml's).
pub fn logs_root() -> PathBuf {
    super::crate_root()
        .join("target")
        .join("provspec-processes")
}

/// The server definitions, read once from `servers/servers.toml` at the crate root.
fn definitions() -> StepResult<&'static Definitions> {
    static DEFINITIONS: OnceLock<Result<Definitions, String>> = OnceLock::new();
    DEFINITIONS
        .get_or_init(|| {
            match super::layout::current().servers_file() {
                Some(path) => Definitions::load(&path),
                None => Definitions::built_in(),
            }
            .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| WorldError::authoring(e.clone()))
}

/// The names a step's text quotes (`"c1"`, or several as `"one, two"`): the processes a step
/// names are its to look at.
fn quoted(text: &str) -> Vec<&str> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .flat_map(|q| q.split(',').map(str::trim))
        .collect()
}

impl ProvWorld {
    /// Fails with the first exit of a process nobody waited for, unless `step_text` names it.
    pub fn check_processes(&self, step_text: &str) -> StepResult {
        let named = quoted(step_text);
        self.processes
            .plan
            .check_unexpected_exits(|name| named.contains(&name))
            .map_err(WorldError::from)
    }

    /// Starts `line` as the process `name` (a name from its program, made unique, when
    /// `None`), with `settings` (`env.NAME` = value, `directory` = path); a background process
    /// may still run when the scenario ends.
    pub fn start_process(
        &mut self,
        name: Option<&str>,
        line: &str,
        settings: &[(String, String)],
        background: bool,
    ) -> StepResult<String> {
        let spec = self.process_spec(name, line, settings, background)?;
        let name = spec.name.clone();
        self.processes.plan.spawn(spec).map_err(WorldError::from)?;
        Ok(name)
    }

    fn process_spec(
        &self,
        name: Option<&str>,
        line: &str,
        settings: &[(String, String)],
        background: bool,
    ) -> StepResult<ProcessSpec> {
        let argv = split_command_line(line).map_err(WorldError::from)?;
        let name = match name {
            Some(name) => name.to_owned(),
            None => {
                let program = Path::new(&argv[0])
                    .file_name()
                    .map_or_else(|| argv[0].clone(), |f| f.to_string_lossy().into_owned());
                self.processes.plan.unique_name(&program)
            }
        };
        let mut spec = ProcessSpec {
            name,
            argv,
            keeps_running: background,
            ..ProcessSpec::default()
        };
        for (key, value) in settings {
            if let Some(var) = key.strip_prefix("env.") {
                spec.env.push((var.to_owned(), value.clone()));
            } else if key == "directory" {
                spec.dir = Some(PathBuf::from(value));
            } else {
                return Err(crate::authoring!(
                    "unknown process setting {key:?}; known settings: env.NAME, directory"
                ));
            }
        }
        Ok(spec)
    }

    /// Starts every `(name, command line)` at once.
    pub async fn start_processes(&mut self, rows: &[(Option<String>, String)]) -> StepResult {
        let mut specs = Vec::new();
        for (name, line) in rows {
            let spec = self.process_spec(name.as_deref(), line, &[], false)?;
            if specs.iter().any(|s: &ProcessSpec| s.name == spec.name) {
                return Err(crate::authoring!(
                    "the table names the process {:?} twice",
                    spec.name
                ));
            }
            specs.push(spec);
        }
        self.processes
            .plan
            .spawn_all(specs)
            .await
            .map(|_| ())
            .map_err(WorldError::from)
    }

    /// Waits up to `seconds` for `name` to exit with `code`.
    pub async fn expect_exit(&self, name: &str, code: i32, seconds: f64) -> StepResult {
        self.processes
            .plan
            .wait_for(name, code, Duration::from_secs_f64(seconds))
            .await
            .map(|_| ())
            .map_err(WorldError::from)
    }

    /// Waits up to `seconds` for every one of `names` to exit with `code`, all at once.
    pub async fn expect_exits(&self, names: &[&str], code: i32, seconds: f64) -> StepResult {
        let limit = Duration::from_secs_f64(seconds);
        let waits = names
            .iter()
            .map(|name| self.processes.plan.wait_for(name, code, limit));
        let failures: Vec<String> = futures::future::join_all(waits)
            .await
            .into_iter()
            .filter_map(|r| r.err().map(|e| e.to_string()))
            .collect();
        if failures.is_empty() {
            Ok(())
        } else {
            Err(WorldError::assertion(failures.join("\n")))
        }
    }

    /// Kills the process `name` with its process group, or stops the server `name` (its
    /// definition's `stop` command, or its process group).
    pub async fn kill_process(&self, name: &str) -> StepResult {
        if let Some(server) = self.processes.servers.get(name) {
            return server
                .stop(&self.processes.plan)
                .await
                .map_err(WorldError::from);
        }
        let process = self.processes.plan.get(name).map_err(WorldError::from)?;
        process
            .kill(crate::processes::plan::DEFAULT_GRACE)
            .await
            .map(|_| ())
            .map_err(WorldError::from)
    }

    /// Checks that `name` (or anything of its process group) runs, or that nothing does.
    pub fn process_running(&self, name: &str, running: bool) -> StepResult {
        if self
            .processes
            .servers
            .get(name)
            .is_some_and(Server::managed)
        {
            return Err(crate::authoring!(
                "the server {name:?} runs on its own (its start script returned): point the scenario at it to use it"
            ));
        }
        let process = self.current_process(name)?;
        let left = groups::members(process.pgid());
        match (running, process.running()) {
            (true, true) | (false, false) => Ok(()),
            (true, false) => Err(crate::assertion!(
                "the process {name:?} should be running, but it ended with {}{}",
                process
                    .exit()
                    .map_or_else(|| "?".to_owned(), |e| e.to_string()),
                process.tail(10)
            )),
            (false, true) => Err(crate::assertion!(
                "nothing of the process {name:?} should be running, but its process group {} holds pids {left:?}",
                process.pgid()
            )),
        }
    }

    fn current_process(&self, name: &str) -> StepResult<Arc<crate::processes::Process>> {
        match self.processes.servers.get(name) {
            Some(server) => Ok(server.process().clone()),
            None => self.processes.plan.get(name).map_err(WorldError::from),
        }
    }

    /// Checks that the logs (stdout, then stderr) of `name` contain `text`, waiting up to 10 s
    /// for it to appear; or that they do not contain it now.
    pub async fn log_of_contains(&self, name: &str, text: &str, wanted: bool) -> StepResult {
        let process = self.current_process(name)?;
        if !wanted {
            let output = process.output();
            return match output.contains(text) {
                false => Ok(()),
                true => Err(crate::assertion!(
                    "the log of {name:?} should not contain {text:?}, but it does{}",
                    process.tail(10)
                )),
            };
        }
        let patience = Patience::within(LOG_APPEARS_WITHIN);
        wait_for(patience, || {
            let process = process.clone();
            async move {
                if process.output().contains(text) {
                    Look::Ready(())
                } else {
                    Look::Pending("not yet".to_owned())
                }
            }
        })
        .await
        .map_err(|_| {
            crate::assertion!(
                "the log of {name:?} should contain {text:?}, but it did not within {} s{}",
                LOG_APPEARS_WITHIN.as_secs(),
                process.tail(10)
            )
        })
    }

    /// Starts the server defined as `definition`, named `name` (the definition's name, made
    /// unique, when `None`), and waits until it is ready. `extra` adds placeholder values.
    pub async fn start_server(
        &mut self,
        definition: &str,
        name: Option<&str>,
        extra: BTreeMap<String, String>,
    ) -> StepResult<String> {
        let def = definitions()?.get(definition).map_err(WorldError::from)?;
        let name = match name {
            Some(name) => name.to_owned(),
            None => self.processes.plan.unique_name(definition),
        };
        if self.processes.servers.contains_key(&name) {
            return Err(crate::authoring!(
                "the scenario already has a server named {name:?}"
            ));
        }
        let mut values = Values {
            bin_dir: bin_dir(),
            root: super::crate_root(),
            ..Values::default()
        };
        values.set("password", crate::servers::values::random_password());
        for (key, value) in extra {
            values.set(&key, value);
        }
        let server = Server::start(
            &self.processes.plan,
            &self.processes.ports,
            def,
            &name,
            values,
        )
        .await
        .map_err(WorldError::from)?;
        self.processes.servers.insert(name.clone(), server);
        Ok(name)
    }

    /// The server the scenario started as `name`.
    pub fn server(&self, name: &str) -> StepResult<&Server> {
        self.processes.servers.get(name).ok_or_else(|| {
            ServerError::NotStarted {
                name: name.to_owned(),
                started: self.processes.servers.keys().cloned().collect(),
            }
            .into()
        })
    }

    /// Restarts the server `name` on its port.
    pub async fn restart_server(&mut self, name: &str) -> StepResult {
        self.server(name)?;
        let plan = &self.processes.plan;
        let server = self
            .processes
            .servers
            .get_mut(name)
            .expect("checked just above");
        server.restart(plan).await.map_err(WorldError::from)
    }

    /// Points the scenario at the server `name`: its steps talk to it from now on (before it
    /// created anything).
    pub async fn point_at_server(&mut self, name: &str) -> StepResult {
        let target = self.server(name)?.target().map_err(WorldError::from)?;
        let choice = crate::backends::Choice::for_server(
            &target.backend,
            &target.url,
            target.user.as_deref(),
            target.password.as_deref(),
        );
        let connector = crate::backends::connect(choice)
            .await
            .map_err(WorldError::environment)?;
        let backend = connector.open_with(self.calls.clone());
        self.cleanup.rebind(backend.clone(), self.calls.clone())?;
        self.backend = backend;
        if let Some(old) = self.processes.pointed.replace(connector) {
            old.close();
        }
        Ok(())
    }

    /// Holds a free port and has it handed to the next server started, so that its first
    /// start finds the port taken.
    pub fn take_next_port(&mut self) -> StepResult {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .map_err(|e| crate::environment!("cannot hold a port: {e}"))?;
        let port = listener
            .local_addr()
            .map_err(|e| crate::environment!("cannot hold a port: {e}"))?
            .port();
        self.processes.ports.offer(port);
        self.processes.held.push(listener);
        Ok(())
    }

    /// Checks how many starts the server's start took.
    pub fn server_attempts(&self, name: &str, attempts: u32) -> StepResult {
        let server = self.server(name)?;
        if server.attempts() == attempts {
            Ok(())
        } else {
            Err(crate::assertion!(
                "the server {name:?} should have needed {attempts} start(s), but needed {}",
                server.attempts()
            ))
        }
    }

    /// The port the server `name` listens on.
    pub fn server_port(&self, name: &str) -> StepResult<u16> {
        Ok(self.server(name)?.port())
    }

    /// Ends the scenario's processes: kills what runs, removes the log directory when
    /// `passed` and nothing was wrong, and says what was (the scenario fails on it).
    pub async fn finish_processes(&mut self, passed: bool) -> crate::processes::Finished {
        if let Some(connector) = self.processes.pointed.take() {
            connector.close();
        }
        self.processes.held.clear();
        // A server its start script left running is stopped by its own stop command first.
        let mut stop_failures = Vec::new();
        for server in self.processes.servers.values().rev() {
            if server.managed()
                && let Err(e) = server.stop(&self.processes.plan).await
            {
                stop_failures.push(format!("stopping the server {:?}: {e}", server.name()));
            }
        }
        let mut finished = self
            .processes
            .plan
            .finish(passed && stop_failures.is_empty())
            .await;
        finished.problems.extend(stop_failures);
        if finished.kept.is_none() {
            // The run's directory goes too once its last scenario's is gone.
            if let Some(parent) = self.processes.plan.logs().path().parent() {
                let _ = std::fs::remove_dir(parent);
            }
        }
        finished
    }
}
