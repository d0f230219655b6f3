//! `power_system` on a system whose power type names a fence agent installed here
//! (`/usr/sbin/fence_<type>`, where cobblerd looks), other than `dummy` (the fake's own) and
//! `redfish` (spoken directly, [`super::redfish_power`]): the fake runs the agent as cobblerd
//! 3.3.10 does (`power_manager.py`): its options on stdin (`action=`, `ip=`, `username=`,
//! `plug=`, `password=`, then `power_options` verbatim), `on`/`off`/`status` as actions and a
//! reboot as `off` then `on`. Exit 0 is success; a status is read from `Status: ON`. Without the
//! agent installed, the fake answers the failure at once, as before.
//!
//! Differences kept: cobblerd tries a failing agent 3 times, 2 s apart, and sleeps 5 s inside
//! a reboot; the fake runs it once and does not sleep.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncWriteExt as _;

use super::python::cx;
use super::recorded::Item;
use super::store::field;
use crate::cobbler::protocol::{Fault, Value};

/// How long one run of an agent may take.
const AGENT_WITHIN: Duration = Duration::from_secs(60);

/// A checked `power_system` call to run through a fence agent.
#[derive(Debug)]
pub struct FenceAgent {
    program: PathBuf,
    operation: String,
    /// The options after `action=` (never logged: the password is among them).
    options: String,
}

impl FenceAgent {
    /// The call for `operation` on `system`, when its power type's agent is installed here.
    pub fn of(operation: &str, system: &Item) -> Option<Self> {
        let power_type = field(system, "power_type");
        if matches!(power_type, "" | "dummy" | "redfish") {
            return None;
        }
        let program = PathBuf::from(format!("/usr/sbin/fence_{power_type}"));
        if !program.is_file() {
            return None;
        }
        let mut options = String::new();
        for (key, name) in [
            ("ip", "power_address"),
            ("username", "power_user"),
            ("plug", "power_id"),
            ("password", "power_pass"),
            ("identity-file", "power_identity_file"),
        ] {
            let value = field(system, name);
            if !value.is_empty() {
                options.push_str(&format!("{key}={value}\n"));
            }
        }
        let extra = field(system, "power_options");
        if !extra.is_empty() {
            options.push_str(extra);
            options.push('\n');
        }
        Some(Self {
            program,
            operation: operation.to_owned(),
            options,
        })
    }

    /// Runs the agent: `True`/`False` for a status, `True` for the other operations.
    pub async fn run(self) -> Result<Value, Fault> {
        match self.operation.as_str() {
            "status" => {
                let (rc, output) = self.agent("status").await?;
                if rc != 0 && rc != 2 {
                    return Err(failed(rc));
                }
                let status = output.lines().find_map(|line| {
                    let line = line.trim().to_ascii_lowercase();
                    let (_, state) = line
                        .split_once("status: ")
                        .or_else(|| line.split_once("power = "))?;
                    matches!(state, "on" | "off").then(|| state == "on")
                });
                match status {
                    Some(on) => Ok(Value::Boolean(on)),
                    None => Err(cx(format!(
                        "command succeeded (rc={rc}), but output ('{}') was not understood",
                        output.trim_end()
                    ))),
                }
            }
            "reboot" => {
                self.expect_success("off").await?;
                self.expect_success("on").await?;
                Ok(Value::Boolean(true))
            }
            action => {
                self.expect_success(action).await?;
                Ok(Value::Boolean(true))
            }
        }
    }

    async fn expect_success(&self, action: &str) -> Result<(), Fault> {
        match self.agent(action).await? {
            (0, _) => Ok(()),
            (rc, _) => Err(failed(rc)),
        }
    }

    /// One run of the agent for `action`: its exit code and stdout.
    async fn agent(&self, action: &str) -> Result<(i32, String), Fault> {
        let mut child = tokio::process::Command::new(&self.program)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|_| failed(-1))?;
        if let Some(mut stdin) = child.stdin.take() {
            let input = format!("action={action}\n{}", self.options);
            let _ = stdin.write_all(input.as_bytes()).await;
        }
        let output = tokio::time::timeout(AGENT_WITHIN, child.wait_with_output())
            .await
            .map_err(|_| failed(-1))?
            .map_err(|_| failed(-1))?;
        let rc = output.status.code().unwrap_or(-1);
        tracing::debug!(agent = %self.program.display(), action, rc, "fake Cobbler: fence agent ran");
        Ok((rc, String::from_utf8_lossy(&output.stdout).into_owned()))
    }
}

fn failed(rc: i32) -> Fault {
    cx(format!(
        "command failed (rc={rc}), please validate the physical setup and cobbler config"
    ))
}
