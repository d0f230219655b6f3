//! One server from the definitions, outside a feature run (`provspec serve NAME`): started
//! as a scenario starts it (free port, readiness, another port on a clash), its address
//! written to an env file (`SERVER_URL`, `SERVER_PORT`, and `SERVER_USER` / `SERVER_PASSWORD`
//! when it has a login), then kept until asked to stop, when it is stopped with its group and
//! its logs removed (kept, with their last lines, if it ended on its own).

use std::path::{Path, PathBuf};

use crate::processes::{ProcessPlan, RUN_MARKER_ENV};
use crate::servers::{Definitions, Ports, Server, Values};

/// What `provspec serve` needs.
#[derive(Debug)]
pub struct ServeRequest {
    /// The definitions file; `None` for the built-in definitions.
    pub definitions: Option<PathBuf>,
    /// The definition's name.
    pub name: String,
    /// Placeholder values given on the command line (`password=…`).
    pub values: Vec<(String, String)>,
    /// Where the logs go (removed at a clean stop).
    pub logs: PathBuf,
    /// Where to write the env lines (mode 600).
    pub env_file: Option<PathBuf>,
    /// Where the project's binaries are.
    pub bin_dir: PathBuf,
    /// The project's root.
    pub root: PathBuf,
}

/// How a served server ended.
#[derive(Debug)]
pub enum Served {
    /// Asked to stop, and stopped.
    Stopped,
    /// It ended on its own; why, with its logs' last lines and where they are kept.
    Ended(String),
}

/// Starts the server, writes its env lines, and serves until `stop` completes or it ends.
pub async fn serve(
    request: ServeRequest,
    stop: impl std::future::Future<Output = ()>,
) -> Result<Served, String> {
    let definitions = match &request.definitions {
        Some(path) => Definitions::load(path),
        None => Definitions::built_in(),
    }
    .map_err(|e| e.to_string())?;
    let def = definitions.get(&request.name).map_err(|e| e.to_string())?;
    let marker =
        std::env::var(RUN_MARKER_ENV).unwrap_or_else(|_| format!("serve-{}", std::process::id()));
    let plan = ProcessPlan::new(&request.logs, Some((RUN_MARKER_ENV.to_owned(), marker)));
    let mut values = Values {
        bin_dir: request.bin_dir.clone(),
        root: request.root.clone(),
        ..Values::default()
    };
    values.set("password", crate::servers::values::random_password());
    for (key, value) in &request.values {
        values.set(key, value.clone());
    }
    let server = Server::start(&plan, &Ports::default(), def, &request.name, values)
        .await
        .map_err(|e| e.to_string())?;
    let mut lines = format!("SERVER_PORT={}\n", server.port());
    if let Ok(target) = server.target() {
        lines.push_str(&format!("SERVER_URL={}\n", target.url));
        if let Some(user) = target.user {
            lines.push_str(&format!("SERVER_USER={user}\n"));
        }
        if let Some(password) = target.password {
            lines.push_str(&format!("SERVER_PASSWORD={password}\n"));
        }
    }
    if let Some(path) = &request.env_file {
        write_private(path, &lines)?;
    }
    let process = server.process().clone();
    let ended = process.wait(std::time::Duration::MAX);
    tokio::pin!(stop);
    let outcome = tokio::select! {
        () = &mut stop => {
            server.stop(&plan).await.map_err(|e| e.to_string())?;
            Served::Stopped
        }
        exit = ended => Served::Ended(format!(
            "the server {:?} ended on its own with {}{}",
            request.name,
            exit.map_or_else(|| "?".to_owned(), |e| e.to_string()),
            process.tail(20)
        )),
    };
    let finished = plan.finish(matches!(outcome, Served::Stopped)).await;
    match (outcome, finished.kept) {
        (Served::Stopped, None) => Ok(Served::Stopped),
        (Served::Stopped, Some(dir)) => Ok(Served::Ended(format!(
            "{}; logs kept in {}:{}",
            finished.problems.join("; "),
            dir.display(),
            finished.report
        ))),
        (Served::Ended(why), kept) => Ok(Served::Ended(match kept {
            Some(dir) => format!("{why}\nlogs kept in {}", dir.display()),
            None => why,
        })),
    }
}

/// Writes `text` to `path`, readable by its owner only (it may hold a password).
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let partial = path.with_extension("partial");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&partial)
        .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
    // Whole or not at all: a script polling for the file never reads half of it.
    std::fs::rename(&partial, path).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
