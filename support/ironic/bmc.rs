//! An Ironic node's interfaces and `driver_info` for a BMC: the redfish power and management
//! interfaces (the driver stays `fake-hardware`, which takes any mix), the BMC's address, the
//! system's id, the login, and no certificate check (Ironic 39 fails with `fake-hardware` when
//! `redfish_verify_ca` is unset or true).

use crate::bmc::{BmcAccess, BmcProtocol};

/// The attributes that make `bmc` the node's power and management controller (Redfish only:
/// the ipmitool interfaces are not enabled on the project's Ironic).
pub fn power_attributes(bmc: &BmcAccess) -> Result<Vec<(String, String)>, String> {
    match bmc.protocol {
        BmcProtocol::Ipmi => Err(
            "nodes can be powered by Redfish BMCs only (the ipmitool interfaces are not enabled)"
                .to_owned(),
        ),
        BmcProtocol::Redfish => Ok(vec![
            ("power_interface".to_owned(), "redfish".to_owned()),
            ("management_interface".to_owned(), "redfish".to_owned()),
            ("driver_info.redfish_address".to_owned(), bmc.url()),
            (
                "driver_info.redfish_system_id".to_owned(),
                bmc.system.clone(),
            ),
            ("driver_info.redfish_username".to_owned(), bmc.user.clone()),
            (
                "driver_info.redfish_password".to_owned(),
                bmc.password.clone(),
            ),
            (
                "driver_info.redfish_verify_ca".to_owned(),
                "false".to_owned(),
            ),
        ]),
    }
}
