//! Emulated BMCs: how to reach one ([`BmcAccess`]), a small Redfish client
//! ([`redfish::RedfishClient`]) that asks a BMC for its power state and resets it, and the
//! power state of an IPMI BMC asked through ipmitool ([`ipmi::power_state`]). Used by the
//! steps that check a BMC itself, and by the embedded fakes, which talk Redfish to the
//! emulator as the real servers' drivers do.

pub mod access;
pub mod ipmi;
pub mod redfish;

pub use access::{BmcAccess, BmcProtocol};
pub use redfish::{RedfishClient, RedfishError};
