//! A Cobbler system's power fields for a BMC (what fence_redfish needs: https only, the
//! certificate not checked for a loopback emulator, the system's own URI, since without it the
//! agent acts on the last system of the collection; what fence_ipmilan needs: lanplus, the
//! port, the ipmitool to run).

use crate::bmc::{BmcAccess, BmcProtocol};

/// The attributes that make `bmc` the system's power controller.
pub fn power_attributes(bmc: &BmcAccess) -> Vec<(String, String)> {
    match bmc.protocol {
        BmcProtocol::Redfish => vec![
            ("power_type".to_owned(), "redfish".to_owned()),
            ("power_address".to_owned(), bmc.address()),
            ("power_user".to_owned(), bmc.user.clone()),
            ("power_pass".to_owned(), bmc.password.clone()),
            (
                "power_options".to_owned(),
                format!("ssl_insecure=1\nsystems_uri={}", bmc.system),
            ),
        ],
        // fence_ipmilan: lanplus on the BMC's UDP port, the lab's ipmitool, no wait after a change.
        BmcProtocol::Ipmi => vec![
            ("power_type".to_owned(), "ipmilan".to_owned()),
            ("power_address".to_owned(), bmc.host.clone()),
            ("power_user".to_owned(), bmc.user.clone()),
            ("power_pass".to_owned(), bmc.password.clone()),
            (
                "power_options".to_owned(),
                format!(
                    "lanplus=1\nipport={}\nipmitool_path={}\npower_wait=0",
                    bmc.port, bmc.ipmitool
                ),
            ),
        ],
    }
}
