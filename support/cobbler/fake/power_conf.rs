//! cobblerd's check of a system's power settings before a power action
//! (`power_manager._check_power_conf`): the warnings it logs.

use super::recorded::Item;
use super::store::field;

/// The warnings cobblerd's power manager logs before a power action on `system` (its
/// `_check_power_conf`).
pub fn power_warnings(system: &Item) -> Vec<&'static str> {
    let mut warnings = Vec::new();
    if field(system, "power_address").is_empty() {
        warnings.push("power-address is missing");
    }
    if field(system, "power_user").is_empty() {
        warnings.push("power-user is missing");
    }
    if field(system, "power_pass").is_empty() && field(system, "power_identity_file").is_empty() {
        warnings.push("neither power-identity-file nor power-password specified");
    }
    warnings
}
