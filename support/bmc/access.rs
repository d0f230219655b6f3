//! How to reach one BMC, as the servers are told (Cobbler's `power_*` fields, Ironic's
//! `driver_info`).

use std::fmt;

/// The BMC's protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BmcProtocol {
    /// Redfish over HTTPS.
    Redfish,
    /// IPMI 2.0 (lanplus) over UDP.
    Ipmi,
}

/// One BMC and the system it manages. Its `Debug` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct BmcAccess {
    /// The protocol.
    pub protocol: BmcProtocol,
    /// The host (`127.0.0.1`).
    pub host: String,
    /// The port.
    pub port: u16,
    /// The login.
    pub user: String,
    /// The password.
    pub password: String,
    /// The managed system's path (`/redfish/v1/Systems/<uuid>`; empty for IPMI).
    pub system: String,
    /// The ipmitool a fence agent runs (IPMI; empty for Redfish).
    pub ipmitool: String,
}

impl fmt::Debug for BmcAccess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BmcAccess")
            .field("protocol", &self.protocol)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &"[redacted]")
            .field("system", &self.system)
            .field("ipmitool", &self.ipmitool)
            .finish()
    }
}

impl BmcAccess {
    /// `127.0.0.1:8443`.
    pub fn address(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }

    /// `https://127.0.0.1:8443`.
    pub fn url(&self) -> String {
        format!("https://{}", self.address())
    }
}
