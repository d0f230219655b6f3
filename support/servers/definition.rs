//! Server definitions, read from `servers/servers.toml` (edited without touching Rust):
//!
//! ```toml
//! [server.fake-cobbler]
//! command = ["{bin:fake-cobbler}", "--listen", "127.0.0.1:{port}"]
//! ready = { stdout = "listening on" }    # or { tcp = true }, { http = "/", status = 200 }
//! ready_within = 30                      # seconds (30 when absent)
//! env = { RUST_LOG = "warn" }
//! files = { "app.conf" = "port = {port}\n" }   # written before each start; {file:app.conf}
//! backend = "cobbler"                    # what a scenario pointed at it talks to
//! # A server started by a script that returns once it is ready: its stdout's KEY=VALUE lines
//! # are {out:KEY}, and `stop` ends it.
//! # command = ["{root}/scripts/real-ironic.sh", "start"]; ready = { exits = 0 }
//! # stop = ["{root}/scripts/real-ironic.sh", "stop"]; url = "{out:IRONIC_URL}"
//! url = "http://127.0.0.1:{port}/"
//! user = "cobbler"
//! password = "cobbler"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::servers::{Readiness, ServerError};

/// The built-in definitions (this repository's `servers/servers.toml`).
pub const BUILT_IN: &str = include_str!("../../servers/servers.toml");

/// How messages name the built-in definitions.
pub const BUILT_IN_NAME: &str = "the built-in servers/servers.toml";

/// One server definition.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerDef {
    /// What it is, for people.
    #[serde(default)]
    pub description: String,
    /// The program and its arguments, as templates.
    pub command: Vec<String>,
    /// For a server its command starts and leaves running (readiness `{ exits = 0 }`): the
    /// command that stops it, with the same environment. Without it, the server is the
    /// command's process group and is stopped with it.
    #[serde(default)]
    pub stop: Vec<String>,
    /// Environment variables (values are templates).
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Files written before each start, by name (contents are templates).
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// When it is ready.
    pub ready: Readiness,
    /// Seconds it may take to be ready.
    #[serde(default = "default_ready_within")]
    pub ready_within: f64,
    /// The backend a scenario pointed at it talks to (`cobbler`, `ironic`).
    #[serde(default)]
    pub backend: Option<String>,
    /// Its URL for that backend (a template).
    #[serde(default)]
    pub url: Option<String>,
    /// The login, if it needs one.
    #[serde(default)]
    pub user: Option<String>,
    /// The password (a template: `{password}` is a fresh random one per server).
    #[serde(default)]
    pub password: Option<String>,
}

fn default_ready_within() -> f64 {
    30.0
}

impl ServerDef {
    /// How long it may take to be ready.
    pub fn ready_within(&self) -> Duration {
        Duration::from_secs_f64(self.ready_within.max(0.1))
    }
}

/// Every definition of a file.
#[derive(Clone, Debug)]
pub struct Definitions {
    path: PathBuf,
    servers: IndexMap<String, ServerDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    /// In file order (toml's `preserve_order`).
    server: toml::Table,
}

impl Definitions {
    /// The definitions shipped in this repository's `servers/servers.toml`, compiled in: what
    /// a project without definitions of its own uses.
    pub fn built_in() -> Result<Self, ServerError> {
        Self::parse(Path::new(BUILT_IN_NAME), BUILT_IN)
    }

    /// Reads and checks the definitions file at `path`.
    pub fn load(path: &Path) -> Result<Self, ServerError> {
        let text = std::fs::read_to_string(path).map_err(|e| ServerError::Definitions {
            path: path.to_owned(),
            why: e.to_string(),
        })?;
        Self::parse(path, &text)
    }

    /// Reads definitions from `text` (`path` names it in errors).
    pub fn parse(path: &Path, text: &str) -> Result<Self, ServerError> {
        let file: File = toml::from_str(text).map_err(|e| ServerError::Definitions {
            path: path.to_owned(),
            why: e.to_string(),
        })?;
        let mut servers = IndexMap::new();
        for (name, value) in file.server {
            let def = ServerDef::deserialize(value).map_err(|e| ServerError::Definitions {
                path: path.to_owned(),
                why: format!("[server.{name}]: {e}"),
            })?;
            servers.insert(name, def);
        }
        Ok(Self {
            path: path.to_owned(),
            servers,
        })
    }

    /// The definition named `name`.
    pub fn get(&self, name: &str) -> Result<&ServerDef, ServerError> {
        self.servers.get(name).ok_or_else(|| ServerError::Unknown {
            name: name.to_owned(),
            known: self.servers.keys().cloned().collect(),
            path: self.path.clone(),
        })
    }

    /// The names, in file order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.servers.keys().map(String::as_str)
    }
}
