//! The emulated BMC lab: Redfish BMCs (sushy-tools, TLS, a fresh state directory) and IPMI BMCs
//! (pyghmi) on loopback,
//! attached to items as their power controller, and asked for their power state themselves.
//! Features using them are tagged `@bmc` (they need `scripts/bmc-lab.sh install`).

use super::parameters::{KindWord, Text};
use crate::world::ProvWorld;
use crate::world::StepResult;
use crate::world::step_definitions::Steps;

/// `Given a Redfish BMC "bmc1"`: an emulated BMC managing one system, power changes at once.
async fn redfish_bmc(world: &mut ProvWorld, name: Text) -> StepResult {
    world.start_redfish_bmc(&name, 0).await
}

/// `Given a Redfish BMC "bmc1" with a power delay of 2 seconds`: its power changes show only
/// after that long (waits on it are `eventually`).
async fn delayed_bmc(world: &mut ProvWorld, name: Text, delay: u32) -> StepResult {
    world.start_redfish_bmc(&name, delay).await
}

/// `Given 3 Redfish BMCs "bmc-{n}"`: BMCs `bmc-1` … `bmc-3`.
async fn redfish_bmcs(world: &mut ProvWorld, count: u32, pattern: Text) -> StepResult {
    if !pattern.contains("{n}") {
        return Err(crate::authoring!(
            "the BMCs' name {pattern:?} needs {{n}} for their number"
        ));
    }
    for n in 1..=count {
        world
            .start_redfish_bmc(&pattern.replace("{n}", &n.to_string()), 0)
            .await?;
    }
    Ok(())
}

/// `Given an IPMI BMC "ipmi1"`: pyghmi's BMC on a UDP port of 127.0.0.1 (lanplus), its system
/// off. Cobbler drives it through fence_ipmilan (power_type ipmilan).
async fn ipmi_bmc(world: &mut ProvWorld, name: Text) -> StepResult {
    world.start_ipmi_bmc(&name).await
}

/// `Given the system "web-01" is powered by the BMC "bmc1"`: sets the item's power attributes
/// for that BMC (Cobbler: `power_type` redfish, address, login, `power_options` with
/// `ssl_insecure` and `systems_uri`; Ironic: redfish power and management interfaces and
/// `driver_info`).
async fn attach(world: &mut ProvWorld, kind: KindWord, alias: Text, bmc: Text) -> StepResult {
    world.attach_bmc(&kind.0, &alias, &bmc, false).await
}

/// `Given the system "web-01" is powered by the BMC "bmc1" with a wrong password`.
async fn attach_wrong(world: &mut ProvWorld, kind: KindWord, alias: Text, bmc: Text) -> StepResult {
    world.attach_bmc(&kind.0, &alias, &bmc, true).await
}

/// `Then the BMC of "web-01" should report power "On"`: asks the emulator, not the server
/// (waiting when the BMC has a power delay).
async fn reports(world: &mut ProvWorld, alias: Text, state: Text) -> StepResult {
    world.bmc_reports(&alias, &state).await
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .given("a Redfish BMC {string}", redfish_bmc)
        .given(
            "a Redfish BMC {string} with a power delay of {int} second(s)",
            delayed_bmc,
        )
        .given("{int} Redfish BMCs {string}", redfish_bmcs)
        .given("an IPMI BMC {string}", ipmi_bmc)
        .given("the {kind} {string} is powered by the BMC {string}", attach)
        .given(
            "the {kind} {string} is powered by the BMC {string} with a wrong password",
            attach_wrong,
        )
        .then("the BMC of {string} should report power {string}", reports);
}
