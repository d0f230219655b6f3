//! Power actions on a node whose `power_interface` is `redfish`: the fake talks Redfish to the
//! BMC in its `driver_info`, as Ironic's redfish power interface does, so power features pass
//! against an emulated BMC on the fake and on a real Ironic alike.
//!
//! Real Ironic 39 (probed with sushy-tools' emulator): `PUT …/states/power` answers 202 at once;
//! the conductor reads the system, resets it (`On`, `ForceOff`; a reboot is both) and sets
//! `power_state` when the BMC reports it. When the BMC refuses the login, `power_state` stays,
//! `target_power_state` goes back to null and `last_error` says
//! `Failed to change power state to 'power on': Redfish exception occurred. Error: HTTP GET
//! <system URL> returned code 401. Base.1.0.GeneralError: Incorrect username or password …`.

use super::json::Json;
use super::{FakeIronic, RawRequest};
use crate::bmc::{RedfishClient, RedfishError};

/// The extended information sushy-tools sends with a 401, as Ironic quotes it.
const EXTENDED_401: &str = "Extended information: [{'@odata.type': '/redfish/v1/$metadata#Message.1.0.0.Message', 'MessageId': 'Base.1.0.GeneralError'}]";

/// A power action on a redfish node, before the fake's own state machine sees it.
#[derive(Debug)]
pub struct RedfishPower {
    ident: String,
    target: String,
    address: String,
    system: String,
    user: String,
    password: String,
    insecure: bool,
    /// The node's power state before the action, kept when the BMC refuses it.
    before: Json,
}

impl RedfishPower {
    /// The action `request` asks for, when it is `PUT /v1/nodes/<ident>/states/power` on a node
    /// whose power interface is redfish.
    pub fn of(fake: &FakeIronic, request: &RawRequest) -> Option<Self> {
        if request.method != "PUT" {
            return None;
        }
        let path = request.path.split(['?', '#']).next().unwrap_or("");
        let ident = path
            .strip_prefix("/v1/nodes/")?
            .strip_suffix("/states/power")?
            .to_owned();
        let body: serde_json::Value = serde_json::from_slice(&request.body).ok()?;
        let target = body.get("target")?.as_str()?.to_owned();
        let state = fake.lock();
        let node = state
            .nodes
            .iter()
            .find(|n| n.uuid().eq_ignore_ascii_case(&ident) || n.name() == Some(ident.as_str()))?;
        if node.text("power_interface") != Some("redfish") {
            return None;
        }
        let info = node.doc.get("driver_info")?;
        let text = |key: &str| {
            info.get(key)
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let insecure = match info.get("redfish_verify_ca") {
            Some(Json::Bool(verify)) => !verify,
            Some(Json::Str(verify)) => {
                matches!(
                    verify.to_ascii_lowercase().as_str(),
                    "false" | "0" | "no" | "off"
                )
            }
            _ => false,
        };
        let before = node.doc.get("power_state").cloned().unwrap_or(Json::Null);
        Some(Self {
            before,
            ident,
            target,
            address: text("redfish_address"),
            system: text("redfish_system_id"),
            user: text("redfish_username"),
            password: text("redfish_password"),
            insecure,
        })
    }

    /// Tells the BMC; `Err` carries the node's `last_error` for a failure.
    pub async fn run(&self) -> Result<(), String> {
        let client = RedfishClient::new(&self.address, &self.user, &self.password, self.insecure);
        let failed = |error: RedfishError| {
            let detail = match &error {
                RedfishError::Unauthorized { url } => format!(
                    "HTTP GET {url} returned code 401. Base.1.0.GeneralError: Incorrect username or password {EXTENDED_401}"
                ),
                other => other.to_string(),
            };
            format!(
                "Failed to change power state to '{}': Redfish exception occurred. Error: {detail}",
                self.target
            )
        };
        client.power_state(&self.system).await.map_err(failed)?;
        let resets: &[&str] = match self.target.as_str() {
            "power on" => &["On"],
            "power off" => &["ForceOff"],
            "soft power off" => &["GracefulShutdown"],
            "rebooting" => &["ForceOff", "On"],
            "soft rebooting" => &["GracefulRestart"],
            _ => &[],
        };
        for reset in resets {
            client.reset(&self.system, reset).await.map_err(failed)?;
        }
        Ok(())
    }

    /// After the fake accepted the action (202): the BMC refused it, so the power state stays,
    /// the target goes, and `last_error` says why.
    pub fn fail(&self, fake: &FakeIronic, last_error: String) {
        let mut state = fake.lock();
        let ident = &self.ident;
        if let Some(node) = state
            .nodes
            .iter_mut()
            .find(|n| n.uuid().eq_ignore_ascii_case(ident) || n.name() == Some(ident.as_str()))
        {
            node.pending.retain(|step| !step.power);
            node.doc.set("power_state", self.before.clone());
            node.doc.set("target_power_state", Json::Null);
            node.doc.set("last_error", Json::str(&last_error));
        }
    }
}
