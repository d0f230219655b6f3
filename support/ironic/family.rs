//! Ironic as a backend family: the embedded fake (`fake-ironic`) and an Ironic over REST
//! (`ironic`), the differential probes, a node's Redfish interfaces for a BMC, and the real
//! Ironic that `@ironic-venv` scenarios need.

use std::sync::Arc;

use super::rest::BasicAuth;
use crate::backend::{Connector, Family, FamilyFuture, InstalledServer, ServerFlags};
use crate::backends::Choice;
use crate::cobbler::preflight;
use crate::conformance::{Comparison, Probe};

/// The Ironic family.
pub static FAMILY: Family = Family {
    catalogue: &super::catalogue::CATALOGUE,
    backends: &["fake-ironic", "ironic"],
    connect,
    conformance,
    bmc_attributes: super::bmc::power_attributes,
    installed_server: InstalledServer {
        tag: "ironic-venv",
        variable: "IRONIC_VENV",
        description: "a real Ironic installed (IRONIC_VENV, as scripts/real-ironic.sh start prints it)",
    },
    server_flags: ServerFlags {
        server: "Ironic API",
        flag_prefix: "ironic-",
        env_prefix: "IRONIC",
        default_login: None,
        url_example: "http://127.0.0.1:6385",
        login_words: ("http_basic", "noauth"),
    },
};

/// http_basic credentials from the choice's login; none for noauth.
fn auth(choice: &Choice) -> Option<BasicAuth> {
    choice
        .login
        .as_ref()
        .map(|login| BasicAuth::new(login.user.clone(), login.password.clone()))
}

fn connect(choice: Choice) -> FamilyFuture<Arc<dyn Connector>> {
    Box::pin(async move {
        if choice.backend == "fake-ironic" {
            return Ok(Arc::new(super::connect::IronicConnector::embedded()) as Arc<dyn Connector>);
        }
        let url = choice.url.as_deref().ok_or(
            "the ironic backend needs a URL: set IRONIC_URL or pass --ironic-url (e.g. http://127.0.0.1:6385)",
        )?;
        let connector =
            super::connect::connect(url, auth(&choice), preflight::PREFLIGHT_BUDGET, choice.http)
                .await?;
        Ok(Arc::new(connector) as Arc<dyn Connector>)
    })
}

fn conformance(
    choice: Choice,
    probes: Option<Vec<Probe>>,
    run_id: String,
) -> FamilyFuture<Vec<Comparison>> {
    Box::pin(async move {
        let url = choice.url.as_deref().ok_or(
            "conformance needs the server's URL: set IRONIC_URL or pass --ironic-url (e.g. http://127.0.0.1:6385)",
        )?;
        let probes = Probe::given_or_shipped(probes, super::conformance::PROBES)?;
        super::conformance::run(url, auth(&choice).as_ref(), choice.http, &probes, &run_id).await
    })
}
