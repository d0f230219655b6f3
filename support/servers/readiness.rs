//! When a started server counts as ready: it accepts a TCP connection, answers an HTTP(S)
//! status at a path, or has written a line containing some text to its stdout.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

use crate::processes::{Exit, Process};

/// A readiness check, as a definition writes it: `{ tcp = true }`, `{ http = "/", status =
/// 200 }`, `{ https = "/redfish/v1", status = 200 }` (any certificate: loopback only),
/// `{ stdout = "listening on" }`, or `{ exits = 0 }` (a start script that returns once its
/// server is ready, as `scripts/real-ironic.sh start` does).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(untagged, deny_unknown_fields)]
pub enum Readiness {
    /// A line of stdout contains this text.
    Stdout {
        /// The text.
        stdout: String,
    },
    /// `GET http://127.0.0.1:PORT/PATH` answers this status.
    Http {
        /// The path.
        http: String,
        /// The status (200 when not given).
        #[serde(default = "ok")]
        status: u16,
    },
    /// `GET https://127.0.0.1:PORT/PATH` answers this status (the certificate is not checked).
    Https {
        /// The path.
        https: String,
        /// The status (200 when not given).
        #[serde(default = "ok")]
        status: u16,
    },
    /// The command exits with this code (it started the server and returned once it was ready;
    /// the definition's `stop` command ends it).
    Exits {
        /// The exit code.
        exits: i32,
    },
    /// A TCP connection to the port succeeds.
    Tcp {
        /// Always true.
        tcp: bool,
    },
}

fn ok() -> u16 {
    200
}

impl fmt::Display for Readiness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Readiness::Stdout { stdout } => write!(f, "a line of stdout containing {stdout:?}"),
            Readiness::Http { http, status } => write!(f, "HTTP {status} at {http}"),
            Readiness::Https { https, status } => write!(f, "HTTPS {status} at {https}"),
            Readiness::Tcp { .. } => f.write_str("a TCP connection"),
            Readiness::Exits { exits } => write!(f, "its start command exiting with code {exits}"),
        }
    }
}

impl Readiness {
    /// Whether the server on `port`, run by `process`, is ready now.
    pub async fn check(&self, port: u16, process: &Process) -> bool {
        match self {
            Readiness::Stdout { stdout } => std::fs::read(process.stdout_path())
                .map(|bytes| {
                    String::from_utf8_lossy(&bytes)
                        .lines()
                        .any(|line| line.contains(stdout.as_str()))
                })
                .unwrap_or(false),
            Readiness::Exits { exits } => process.exit() == Some(Exit::Code(*exits)),
            Readiness::Tcp { .. } => tokio::time::timeout(
                Duration::from_secs(1),
                tokio::net::TcpStream::connect(("127.0.0.1", port)),
            )
            .await
            .is_ok_and(|connected| connected.is_ok()),
            Readiness::Http { http: path, status } => {
                answers(&format!("http://127.0.0.1:{port}{path}"), *status).await
            }
            Readiness::Https {
                https: path,
                status,
            } => answers(&format!("https://127.0.0.1:{port}{path}"), *status).await,
        }
    }
}

async fn answers(url: &str, status: u16) -> bool {
    let Ok(client) = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .tls_danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
    else {
        return false;
    };
    client
        .get(url)
        .send()
        .await
        .is_ok_and(|response| response.status().as_u16() == status)
}
