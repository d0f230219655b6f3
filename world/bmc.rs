//! The World's emulated BMC lab: BMCs started as servers (`redfish-bmc`, `ipmi-bmc` in
//! `servers/servers.toml`), attached to items through the family's power attributes
//! (`crate::backends::bmc_attributes`), and asked for their power state themselves.

use crate::world::{StepResult, WorldError};
use std::collections::BTreeMap;
use std::time::Duration;

use crate::assertions::{Look, Patience, wait_for};
use crate::bmc::{BmcAccess, BmcProtocol, RedfishClient};
use indexmap::IndexMap;

use super::{Mode, ProvWorld};

/// How long a BMC's reported power state may take beyond its configured delay.
const BMC_SETTLES_WITHIN: Duration = Duration::from_secs(15);

/// One BMC of the scenario.
#[derive(Clone, Debug)]
pub struct Bmc {
    /// How to reach it.
    pub access: BmcAccess,
    /// Seconds before a power change shows.
    pub delay: u32,
}

/// The scenario's BMCs and what they power.
#[derive(Debug, Default)]
pub struct BmcLab {
    /// By name.
    pub bmcs: IndexMap<String, Bmc>,
    /// Item alias → BMC name.
    pub attached: BTreeMap<String, String>,
}

fn system_uuid() -> String {
    use rand::Rng as _;
    let mut rng = rand::rng();
    let hex = |n: usize, rng: &mut rand::rngs::ThreadRng| -> String {
        (0..n)
            .map(|_| char::from(b"0123456789abcdef"[rng.random_range(0..16)]))
            .collect()
    };
    format!(
        "{}-{}-4{}-8{}-{}",
        hex(8, &mut rng),
        hex(4, &mut rng),
        hex(3, &mut rng),
        hex(3, &mut rng),
        hex(12, &mut rng)
    )
}

impl ProvWorld {
    /// Starts a Redfish BMC named `name` managing one system, its power changes showing after
    /// `delay` seconds.
    pub async fn start_redfish_bmc(&mut self, name: &str, delay: u32) -> StepResult {
        if self.bmc_lab.bmcs.contains_key(name) {
            return Err(crate::authoring!(
                "the scenario already has a BMC named {name:?}"
            ));
        }
        let uuid = system_uuid();
        let extra = BTreeMap::from([
            ("systems".to_owned(), uuid.clone()),
            ("delay".to_owned(), delay.to_string()),
        ]);
        self.start_server("redfish-bmc", Some(name), extra).await?;
        let server = self.server(name)?;
        let access = BmcAccess {
            protocol: BmcProtocol::Redfish,
            host: "127.0.0.1".to_owned(),
            port: server.port(),
            user: "admin".to_owned(),
            password: server.value("password").unwrap_or_default().to_owned(),
            system: format!("/redfish/v1/Systems/{uuid}"),
            ipmitool: String::new(),
        };
        self.bmc_lab
            .bmcs
            .insert(name.to_owned(), Bmc { access, delay });
        Ok(())
    }

    /// Starts an IPMI BMC named `name` (lanplus on a UDP port of 127.0.0.1).
    pub async fn start_ipmi_bmc(&mut self, name: &str) -> StepResult {
        if self.bmc_lab.bmcs.contains_key(name) {
            return Err(crate::authoring!(
                "the scenario already has a BMC named {name:?}"
            ));
        }
        let venv = std::env::var("PROVSPEC_BMC_VENV").map_err(|_| {
            crate::environment!(
                "an IPMI BMC needs the BMC lab: scripts/bmc-lab.sh install, then PROVSPEC_BMC_VENV"
            )
        })?;
        self.start_server("ipmi-bmc", Some(name), BTreeMap::new())
            .await?;
        let server = self.server(name)?;
        let access = BmcAccess {
            protocol: BmcProtocol::Ipmi,
            host: "127.0.0.1".to_owned(),
            port: server.port(),
            user: "admin".to_owned(),
            password: server.value("password").unwrap_or_default().to_owned(),
            system: String::new(),
            ipmitool: format!("{venv}/bin/ipmitool"),
        };
        self.bmc_lab
            .bmcs
            .insert(name.to_owned(), Bmc { access, delay: 0 });
        Ok(())
    }

    fn bmc(&self, name: &str) -> StepResult<&Bmc> {
        self.bmc_lab.bmcs.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.bmc_lab.bmcs.keys().map(String::as_str).collect();
            crate::authoring!(
                "unknown BMC {name:?}; known BMCs: {}",
                if known.is_empty() {
                    "none (start one with `Given a Redfish BMC \"bmc1\"`)".to_owned()
                } else {
                    known.join(", ")
                }
            )
        })
    }

    /// Makes the BMC `bmc` the power controller of the item (with a wrong password when
    /// `wrong_password`).
    pub async fn attach_bmc(
        &mut self,
        kind: &str,
        alias: &str,
        bmc: &str,
        wrong_password: bool,
    ) -> StepResult {
        let mut access = self.bmc(bmc)?.access.clone();
        if wrong_password {
            access.password = format!("not-{}", access.password);
        }
        let family = self.backend.catalogue().family;
        let attributes =
            crate::backends::bmc_attributes(family, &access).map_err(WorldError::Unsupported)?;
        self.modify(Mode::Must, kind, alias, attributes).await?;
        self.bmc_lab
            .attached
            .insert(alias.to_owned(), bmc.to_owned());
        Ok(())
    }

    /// Asks the BMC powering `alias` for its power state (not the server), waiting when the
    /// BMC delays its changes.
    pub async fn bmc_reports(&self, alias: &str, expected: &str) -> StepResult {
        let name = self.bmc_lab.attached.get(alias).ok_or_else(|| {
            crate::authoring!("no BMC powers {alias:?}; attach one with `Given the <kind> \"{alias}\" is powered by the BMC \"bmc1\"`")
        })?;
        let bmc = self.bmc(name)?;
        let access = &bmc.access;
        if access.protocol == BmcProtocol::Ipmi {
            return match crate::bmc::ipmi::power_state(access).await {
                Ok(state) if state == expected => Ok(()),
                Ok(state) => Err(crate::assertion!(
                    "the BMC {name:?} of {alias:?} should report power {expected:?}, but it reports {state:?}"
                )),
                Err(e) => Err(crate::environment!(
                    "the BMC {name:?} of {alias:?} should report power {expected:?}, but {e}"
                )),
            };
        }
        let client = RedfishClient::new(&access.url(), &access.user, &access.password, true);
        let subject = format!("the BMC {name:?} of {alias:?} should report power {expected:?}");
        if bmc.delay == 0 {
            // No delay: what the BMC says now is its answer.
            return match client.power_state(&access.system).await {
                Ok(state) if state == expected => Ok(()),
                Ok(state) => Err(crate::assertion!("{subject}, but it reports {state:?}")),
                Err(e) => Err(crate::environment!("{subject}, but {e}")),
            };
        }
        let look = || {
            let client = client.clone();
            async move {
                match client.power_state(&access.system).await {
                    Ok(state) if state == expected => Look::Ready(()),
                    Ok(state) => Look::Pending(state),
                    Err(e) => Look::Failed(e.to_string()),
                }
            }
        };
        let within = Duration::from_secs(u64::from(bmc.delay)) + BMC_SETTLES_WITHIN;
        wait_for(Patience::within(within), look)
            .await
            .map_err(|e| WorldError::waited(subject, e))
    }
}
