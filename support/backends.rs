//! Choosing the backend a run talks to, by name, and connecting to it with one clear message
//! when that fails. The only place above the backend folders that names them all.

use std::path::PathBuf;
use std::sync::Arc;

use crate::backend::Connector;
use crate::cobbler::backend::CobblerConnector;
use crate::cobbler::boot_files::BootFiles;
use crate::cobbler::preflight;
use crate::cobbler::session::Credentials;
use crate::http::HttpOptions;
use crate::ironic;
use crate::ironic::rest::BasicAuth;

/// The backends a run can be pointed at: the embedded fake Cobbler (the default), a Cobbler
/// over HTTP, the embedded fake Ironic, an Ironic over HTTP.
pub const NAMES: [&str; 4] = ["fake", "cobbler", "fake-ironic", "ironic"];

/// What the user chose, from the command line or the environment.
#[derive(Clone, Debug, Default)]
pub struct Choice {
    /// One of [`NAMES`].
    pub backend: String,
    /// The Cobbler XML-RPC URL (`cobbler`).
    pub cobbler_url: Option<String>,
    /// The Cobbler user and password (`cobbler`).
    pub cobbler_credentials: Option<Credentials>,
    /// A directory on the Cobbler server holding the dummy boot files; without it provspec
    /// writes them to a temporary directory here.
    pub boot_dir: Option<PathBuf>,
    /// The Ironic API URL (`ironic`).
    pub ironic_url: Option<String>,
    /// http_basic credentials for Ironic (`ironic`); none for noauth.
    pub ironic_auth: Option<BasicAuth>,
    /// Connect and call timeouts for a server over HTTP.
    pub http: HttpOptions,
}

impl Choice {
    /// The choice for a server a scenario started: `backend` (`cobbler` or `ironic`) at `url`,
    /// with a login when `user` is given.
    pub fn for_server(
        backend: &str,
        url: &str,
        user: Option<&str>,
        password: Option<&str>,
    ) -> Self {
        let mut choice = Choice {
            backend: backend.to_owned(),
            ..Choice::default()
        };
        match backend {
            "cobbler" => {
                choice.cobbler_url = Some(url.to_owned());
                choice.cobbler_credentials =
                    user.map(|user| Credentials::new(user, password.unwrap_or_default()));
            }
            _ => {
                choice.ironic_url = Some(url.to_owned());
                choice.ironic_auth =
                    user.map(|user| BasicAuth::new(user, password.unwrap_or_default()));
            }
        }
        choice
    }
}

/// Connects to the chosen backend, checking a server up front within `preflight::BUDGET`:
/// a wrong URL or password ends the run at once with one message.
pub async fn connect(choice: Choice) -> Result<Arc<dyn Connector>, String> {
    match choice.backend.as_str() {
        "fake" => Ok(Arc::new(CobblerConnector::embedded(
            None,
            boot_files(&choice)?,
        ))),
        "cobbler" => {
            let url = choice.cobbler_url.as_deref().ok_or(
                "the cobbler backend needs a URL: set COBBLER_URL or pass --url (e.g. http://127.0.0.1:25151/)",
            )?;
            let credentials = choice
                .cobbler_credentials
                .clone()
                .unwrap_or_else(|| Credentials::new("cobbler", "cobbler"));
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
            ))
        }
        "fake-ironic" => Ok(Arc::new(ironic::connect::IronicConnector::embedded())),
        "ironic" => {
            let url = choice.ironic_url.as_deref().ok_or(
                "the ironic backend needs a URL: set IRONIC_URL or pass --ironic-url (e.g. http://127.0.0.1:6385)",
            )?;
            let connector = ironic::connect::connect(
                url,
                choice.ironic_auth,
                preflight::PREFLIGHT_BUDGET,
                choice.http,
            )
            .await?;
            Ok(Arc::new(connector))
        }
        other => Err(format!(
            "unknown backend {other:?}; known backends: {}",
            NAMES.join(", ")
        )),
    }
}

fn boot_files(choice: &Choice) -> Result<BootFiles, String> {
    match &choice.boot_dir {
        Some(dir) => Ok(BootFiles::remote(dir)),
        None => BootFiles::create_local()
            .map_err(|e| format!("cannot write the dummy kernel and initrd: {e}")),
    }
}

/// The backend families features can name in a tag on their `Feature:` line (`@cobbler`,
/// `@ironic`); such a feature runs only on a backend of that family.
/// Runs the chosen family's differential probes (`provspec conformance`): `probes` (the shipped
/// ones when `None`) sent to the chosen server and to the embedded fake, every name marked with
/// `run_id`; each call's two normalised answers.
pub async fn conformance(
    choice: &Choice,
    probes: Option<&[crate::conformance::Probe]>,
    run_id: &str,
) -> Result<Vec<crate::conformance::Comparison>, String> {
    let shipped = |files: &[(&str, &str)]| {
        files
            .iter()
            .map(|(name, text)| crate::conformance::Probe::parse(name, text))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())
    };
    match choice.backend.as_str() {
        "cobbler" => {
            use crate::cobbler::conformance as cobbler;
            let url = choice.cobbler_url.as_deref().ok_or(
                "conformance needs the server's URL: set COBBLER_URL or pass --url (e.g. http://127.0.0.1:25151/)",
            )?;
            let credentials = choice
                .cobbler_credentials
                .clone()
                .unwrap_or_else(|| Credentials::new("cobbler", "cobbler"));
            let probes = match probes {
                Some(probes) => probes.to_vec(),
                None => shipped(cobbler::PROBES)?,
            };
            cobbler::run(
                url,
                &credentials,
                choice.boot_dir.as_deref(),
                choice.http,
                &probes,
                run_id,
            )
            .await
        }
        "ironic" => {
            use crate::ironic::conformance as ironic;
            let url = choice.ironic_url.as_deref().ok_or(
                "conformance needs the server's URL: set IRONIC_URL or pass --ironic-url (e.g. http://127.0.0.1:6385)",
            )?;
            let probes = match probes {
                Some(probes) => probes.to_vec(),
                None => shipped(ironic::PROBES)?,
            };
            ironic::run(
                url,
                choice.ironic_auth.as_ref(),
                choice.http,
                &probes,
                run_id,
            )
            .await
        }
        other => Err(format!(
            "conformance compares the embedded fake with a server: choose --backend cobbler (with --url) or ironic (with --ironic-url), not {other}"
        )),
    }
}

/// The feature tags of every backend family, in [`NAMES`] order.
pub fn families() -> [&'static str; 2] {
    [
        crate::cobbler::catalogue::CATALOGUE.family,
        crate::ironic::catalogue::CATALOGUE.family,
    ]
}

/// The attributes that make `bmc` the power controller of an item of `family` (`cobbler`:
/// a system's `power_*` fields; `ironic`: a node's redfish interfaces and `driver_info`).
pub fn bmc_attributes(
    family: &str,
    bmc: &crate::bmc::BmcAccess,
) -> Result<Vec<(String, String)>, String> {
    if family == crate::cobbler::catalogue::CATALOGUE.family {
        Ok(crate::cobbler::bmc::power_attributes(bmc))
    } else if family == crate::ironic::catalogue::CATALOGUE.family {
        crate::ironic::bmc::power_attributes(bmc)
    } else {
        Err(format!("the {family} backend has no BMC attributes"))
    }
}
