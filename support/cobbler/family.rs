//! Cobbler as a backend family: the embedded fake (`fake`) and a cobblerd over XML-RPC
//! (`cobbler`), the differential probes, a system's power fields for a BMC, and the real
//! cobblerd that `@cobbler-venv` scenarios need.

use std::sync::Arc;

use crate::backend::{Connector, Family, FamilyFuture, InstalledServer, ServerFlags};
use crate::backends::Choice;
use crate::conformance::{Comparison, Probe};

use super::backend::CobblerConnector;
use super::boot_files::BootFiles;
use super::preflight;
use super::session::Credentials;

/// The Cobbler family.
pub static FAMILY: Family = Family {
    catalogue: &super::catalogue::CATALOGUE,
    backends: &["fake", "cobbler"],
    connect,
    conformance,
    bmc_attributes: |bmc| Ok(super::bmc::power_attributes(bmc)),
    installed_server: InstalledServer {
        tag: "cobbler-venv",
        variable: "COBBLER_VENV",
        description: "a real cobblerd installed (COBBLER_VENV, as scripts/real-cobbler.sh start prints it)",
    },
    server_flags: ServerFlags {
        server: "Cobbler XML-RPC",
        flag_prefix: "",
        env_prefix: "COBBLER",
        default_login: Some(("cobbler", "cobbler")),
        url_example: "http://127.0.0.1:25151/",
        login_words: ("a login", "the stock user"),
    },
};

/// The user and password the choice gives, or Cobbler's stock ones.
fn credentials(choice: &Choice) -> Credentials {
    match &choice.login {
        Some(login) => Credentials::new(login.user.clone(), login.password.clone()),
        None => Credentials::new("cobbler", "cobbler"),
    }
}

fn connect(choice: Choice) -> FamilyFuture<Arc<dyn Connector>> {
    Box::pin(async move {
        if choice.backend == "fake" {
            return Ok(
                Arc::new(CobblerConnector::embedded(None, boot_files(&choice)?))
                    as Arc<dyn Connector>,
            );
        }
        let url = choice.url.as_deref().ok_or(
            "the cobbler backend needs a URL: set COBBLER_URL or pass --url (e.g. http://127.0.0.1:25151/)",
        )?;
        let credentials = credentials(&choice);
        let (transport, login) = preflight::connect_logged_in(
            url,
            &credentials,
            preflight::PREFLIGHT_BUDGET,
            choice.http,
        )
        .await?;
        Ok(Arc::new(
            CobblerConnector::remote(transport, credentials, boot_files(&choice)?)
                .sharing_login(login),
        ) as Arc<dyn Connector>)
    })
}

/// The dummy kernel and initrd: in the directory the choice names on the server, or written
/// to a temporary directory here.
fn boot_files(choice: &Choice) -> Result<BootFiles, String> {
    match &choice.boot_dir {
        Some(dir) => Ok(BootFiles::remote(dir)),
        None => BootFiles::create_local()
            .map_err(|e| format!("cannot write the dummy kernel and initrd: {e}")),
    }
}

fn conformance(
    choice: Choice,
    probes: Option<Vec<Probe>>,
    run_id: String,
) -> FamilyFuture<Vec<Comparison>> {
    Box::pin(async move {
        let url = choice.url.as_deref().ok_or(
            "conformance needs the server's URL: set COBBLER_URL or pass --url (e.g. http://127.0.0.1:25151/)",
        )?;
        let probes = Probe::given_or_shipped(probes, super::conformance::PROBES)?;
        super::conformance::run(
            url,
            &credentials(&choice),
            choice.boot_dir.as_deref(),
            choice.http,
            &probes,
            &run_id,
        )
        .await
    })
}
