//! An IPMI BMC's power state, asked with ipmitool (`chassis power status` over lanplus; the
//! password in the environment, never on the command line).

use std::time::Duration;

use crate::bmc::BmcAccess;

/// `On` or `Off`, as the BMC reports its chassis power; an error says what ipmitool said.
pub async fn power_state(bmc: &BmcAccess) -> Result<String, String> {
    let mut command = tokio::process::Command::new(&bmc.ipmitool);
    command
        .args(["-I", "lanplus", "-H", &bmc.host, "-p"])
        .arg(bmc.port.to_string())
        .args(["-U", &bmc.user, "-E", "chassis", "power", "status"])
        .env("IPMI_PASSWORD", &bmc.password)
        .kill_on_drop(true);
    let output = tokio::time::timeout(Duration::from_secs(15), command.output())
        .await
        .map_err(|_| format!("ipmitool got no answer from {} in 15 s", bmc.address()))?
        .map_err(|e| format!("cannot run {}: {e}", bmc.ipmitool))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    match stdout.trim() {
        "Chassis Power is on" => Ok("On".to_owned()),
        "Chassis Power is off" => Ok("Off".to_owned()),
        _ => Err(format!(
            "ipmitool could not read the power of the BMC at {} (exit {}): {}",
            bmc.address(),
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stderr).trim()
        )),
    }
}
