//! A started server: its definition filled in for a port, its process in the scenario's plan,
//! the tries its start took, and its restart on the same port.

use std::sync::Arc;
use std::time::Duration;

use crate::processes::process::ERROR_LINES;
use crate::processes::{Process, ProcessPlan, ProcessSpec};
use crate::servers::{Ports, ServerDef, ServerError, Values};

/// How many ports a start tries when the port it got is taken by the time the server binds it.
pub const PORT_TRIES: u32 = 3;

/// What a scenario pointed at a server talks to.
#[derive(Clone, Debug)]
pub struct Target {
    /// The backend's name (`cobbler`, `ironic`).
    pub backend: String,
    /// The URL.
    pub url: String,
    /// The login, if any.
    pub user: Option<String>,
    /// The password, if any (never printed).
    pub password: Option<String>,
}

/// A server the scenario started.
#[derive(Debug)]
pub struct Server {
    name: String,
    def: ServerDef,
    values: Values,
    port: u16,
    attempts: u32,
    restarts: u32,
    process: Arc<Process>,
}

impl Server {
    /// Starts `def` as `name` in `plan`, on a port from `ports` (`{port}` in its templates),
    /// its files written to a directory of its own beside the logs, and waits until it is
    /// ready. A server that ends before it is ready saying its address is in use is started
    /// again on another port, [`PORT_TRIES`] times in all.
    pub async fn start(
        plan: &ProcessPlan,
        ports: &Ports,
        def: &ServerDef,
        name: &str,
        mut values: Values,
    ) -> Result<Self, ServerError> {
        values.dir = plan.logs().path().join(format!("{name}.files"));
        let mut last_tail = String::new();
        for attempt in 1..=PORT_TRIES {
            let port = ports.next().map_err(ServerError::Port)?;
            values.set("port", port.to_string());
            let spec = spec(name, def, &values)?;
            let process = if attempt == 1 {
                plan.spawn(spec)?
            } else {
                plan.replace(spec)?
            };
            match ready(name, def, port, &process).await {
                Ok(()) => {
                    tracing::debug!(server = name, port, attempt, "server ready");
                    settle(def, &process, &mut values).await;
                    return Ok(Self {
                        name: name.to_owned(),
                        def: def.clone(),
                        values,
                        port,
                        attempts: attempt,
                        restarts: 0,
                        process,
                    });
                }
                Err(Start::Clash) => {
                    // Its end is expected now: it could not bind.
                    let _ = process.kill(Duration::from_secs(1)).await;
                    last_tail = process.tail(ERROR_LINES);
                    tracing::debug!(server = name, port, attempt, "port taken; trying another");
                }
                Err(Start::Failed(error)) => {
                    let _ = process.kill(Duration::from_secs(1)).await;
                    return Err(error);
                }
            }
        }
        Err(ServerError::Clashes {
            name: name.to_owned(),
            tries: PORT_TRIES,
            tail: last_tail,
        })
    }

    /// Stops it: its definition's `stop` command (waited for, exit 0 expected), or SIGTERM to
    /// its process group (SIGKILL after the grace period).
    pub async fn stop(&self, plan: &ProcessPlan) -> Result<(), ServerError> {
        if self.def.stop.is_empty() {
            self.process.kill(plan_grace()).await?;
            return Ok(());
        }
        let argv = self
            .def
            .stop
            .iter()
            .map(|t| self.values.fill(&self.name, t))
            .collect::<Result<Vec<_>, _>>()?;
        let mut stop = spec(&self.name, &self.def, &self.values)?;
        stop.name = plan.unique_name(&format!("{}-stop", self.name));
        stop.argv = argv;
        stop.keeps_running = false;
        let name = stop.name.clone();
        plan.spawn(stop)?;
        plan.wait_for(&name, 0, STOP_WITHIN).await?;
        Ok(())
    }

    /// Whether it has a `stop` command (its start command returned; it runs on its own).
    pub fn managed(&self) -> bool {
        !self.def.stop.is_empty()
    }

    /// Stops it and starts it again on the same port (its files written again), waiting until
    /// it is ready. A port still held for a moment after the stop is waited for (up to 3 tries).
    pub async fn restart(&mut self, plan: &ProcessPlan) -> Result<(), ServerError> {
        self.stop(plan).await?;
        let mut tries = 0;
        loop {
            tries += 1;
            let spec = spec(&self.name, &self.def, &self.values)?;
            let process = plan.replace(spec)?;
            match ready(&self.name, &self.def, self.port, &process).await {
                Ok(()) => {
                    settle(&self.def, &process, &mut self.values).await;
                    self.process = process;
                    self.restarts += 1;
                    return Ok(());
                }
                Err(Start::Clash) if tries < PORT_TRIES => {
                    let _ = process.kill(Duration::from_secs(1)).await;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(Start::Clash) => {
                    let _ = process.kill(Duration::from_secs(1)).await;
                    return Err(ServerError::Clashes {
                        name: self.name.clone(),
                        tries,
                        tail: process.tail(ERROR_LINES),
                    });
                }
                Err(Start::Failed(error)) => {
                    let _ = process.kill(Duration::from_secs(1)).await;
                    return Err(error);
                }
            }
        }
    }

    /// Its name in the scenario.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// How many starts its first start took (1 unless its port was taken).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// How many times it was restarted.
    pub fn restarts(&self) -> u32 {
        self.restarts
    }

    /// Its current process.
    pub fn process(&self) -> &Arc<Process> {
        &self.process
    }

    /// A placeholder's value for this server (`port`, `password`, …).
    pub fn value(&self, key: &str) -> Option<&str> {
        self.values.plain.get(key).map(String::as_str)
    }

    /// What a scenario pointed at it talks to.
    pub fn target(&self) -> Result<Target, ServerError> {
        let (Some(backend), Some(url)) = (&self.def.backend, &self.def.url) else {
            return Err(ServerError::NoBackend {
                name: self.name.clone(),
            });
        };
        let fill = |t: &Option<String>| -> Result<Option<String>, ServerError> {
            t.as_deref()
                .map(|t| self.values.fill(&self.name, t))
                .transpose()
        };
        Ok(Target {
            backend: backend.clone(),
            url: self.values.fill(&self.name, url)?,
            user: fill(&self.def.user)?,
            password: fill(&self.def.password)?,
        })
    }
}

/// How long a definition's `stop` command may take.
const STOP_WITHIN: Duration = Duration::from_secs(60);

/// After a start script returned ready: its exit is expected, and its `KEY=VALUE` lines are
/// `{out:KEY}`.
async fn settle(def: &ServerDef, process: &Process, values: &mut Values) {
    if let crate::servers::Readiness::Exits { exits } = def.ready {
        let _ = process.wait_for(exits, Duration::ZERO).await;
        let stdout = std::fs::read_to_string(process.stdout_path()).unwrap_or_default();
        values.out = crate::servers::values::key_values(&stdout);
    }
}

fn plan_grace() -> Duration {
    crate::processes::plan::DEFAULT_GRACE
}

/// The process spec of `def` for the values (its files written first).
fn spec(name: &str, def: &ServerDef, values: &Values) -> Result<ProcessSpec, ServerError> {
    if !def.files.is_empty() {
        std::fs::create_dir_all(&values.dir).map_err(|source| {
            crate::processes::ProcessError::Files {
                path: values.dir.clone(),
                source,
            }
        })?;
    }
    for (file, template) in &def.files {
        let content = values.fill(name, template)?;
        let path = values.dir.join(file);
        std::fs::write(&path, content)
            .map_err(|source| crate::processes::ProcessError::Files { path, source })?;
    }
    let argv = def
        .command
        .iter()
        .map(|t| values.fill(name, t))
        .collect::<Result<Vec<_>, _>>()?;
    let env = def
        .env
        .iter()
        .map(|(k, t)| Ok((k.clone(), values.fill(name, t)?)))
        .collect::<Result<Vec<_>, ServerError>>()?;
    Ok(ProcessSpec {
        name: name.to_owned(),
        argv,
        env,
        dir: None,
        keeps_running: true,
    })
}

enum Start {
    Clash,
    Failed(ServerError),
}

/// Waits until `process` is ready by `def`'s check, ends, or runs out of time.
async fn ready(name: &str, def: &ServerDef, port: u16, process: &Process) -> Result<(), Start> {
    let limit = def.ready_within();
    let deadline = tokio::time::Instant::now() + limit;
    let mut pause = Duration::from_millis(20);
    loop {
        if def.ready.check(port, process).await {
            return Ok(());
        }
        if let Some(exit) = process.exit() {
            let output = process.output().to_ascii_lowercase();
            if output.contains("in use") {
                return Err(Start::Clash);
            }
            return Err(Start::Failed(ServerError::Exited {
                name: name.to_owned(),
                exit,
                tail: process.tail(ERROR_LINES),
            }));
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(Start::Failed(ServerError::NotReady {
                name: name.to_owned(),
                ready: def.ready.to_string(),
                waited: limit,
                tail: process.tail(ERROR_LINES),
            }));
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_millis(250));
    }
}
