//! `power_system` on a system whose `power_type` is `redfish`: the fake talks Redfish to the
//! BMC itself, as real Cobbler's fence_redfish does, so power features pass against an
//! emulated BMC on the fake and on a real cobblerd alike.
//!
//! What fence_redfish does (../shared/emulated-bmc/FINDINGS.md): https only, to
//! `power_address` (`host:port`) with `power_user` / `power_pass`; `power_options` lines
//! `ssl_insecure=1` (do not check the certificate) and `systems_uri=/redfish/v1/Systems/<id>`
//! (without it, the last system of the collection); `on` is Reset `On`, `off` Reset
//! `ForceOff`, `reboot` off then on, `status` reads `PowerState`. Every failure gives the one
//! fault real Cobbler gives (at once here; cobblerd tries 3 times, 2 s apart).

use super::python::cx;
use super::recorded::Item;
use super::store::field;
use crate::bmc::RedfishClient;
use crate::cobbler::protocol::{Fault, Value};

/// The fault of every failed fence agent.
const FAILED: &str = "command failed (rc=1), please validate the physical setup and cobbler config";

/// A checked `power_system` call on a redfish system.
#[derive(Debug)]
pub struct RedfishPower {
    operation: String,
    address: String,
    user: String,
    password: String,
    insecure: bool,
    systems_uri: Option<String>,
}

impl RedfishPower {
    /// The call for `operation` on `system`, when its power type is redfish.
    pub fn of(operation: &str, system: &Item) -> Option<Self> {
        if field(system, "power_type") != "redfish" {
            return None;
        }
        let options = field(system, "power_options");
        let option = |key: &str| {
            options.lines().find_map(|line| {
                let (k, v) = line.split_once('=')?;
                (k.trim() == key).then(|| v.trim().to_owned())
            })
        };
        Some(Self {
            operation: operation.to_owned(),
            address: field(system, "power_address").to_owned(),
            user: field(system, "power_user").to_owned(),
            password: field(system, "power_pass").to_owned(),
            insecure: option("ssl_insecure").is_some_and(|v| v == "1" || v.is_empty()),
            systems_uri: option("systems_uri"),
        })
    }

    /// Carries it out against the BMC: `True`/`False` for status, `True` otherwise.
    pub async fn run(self) -> Result<Value, Fault> {
        if self.address.is_empty() || self.address.contains("://") {
            return Err(cx(FAILED));
        }
        let client = RedfishClient::new(
            &format!("https://{}", self.address),
            &self.user,
            &self.password,
            self.insecure,
        );
        let failed = |error: crate::bmc::RedfishError| {
            tracing::debug!(%error, "fake Cobbler: the redfish fence failed");
            cx(FAILED)
        };
        let system = match &self.systems_uri {
            Some(uri) => uri.clone(),
            None => client.last_system().await.map_err(failed)?,
        };
        match self.operation.as_str() {
            "status" => Ok(Value::Boolean(
                client.power_state(&system).await.map_err(failed)? == "On",
            )),
            "on" => {
                client.reset(&system, "On").await.map_err(failed)?;
                Ok(Value::Boolean(true))
            }
            "off" => {
                client.reset(&system, "ForceOff").await.map_err(failed)?;
                Ok(Value::Boolean(true))
            }
            _ => {
                client.reset(&system, "ForceOff").await.map_err(failed)?;
                client.reset(&system, "On").await.map_err(failed)?;
                Ok(Value::Boolean(true))
            }
        }
    }
}
