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
pub fn families() -> [&'static str; 2] {
    [
        crate::cobbler::catalogue::CATALOGUE.family,
        crate::ironic::catalogue::CATALOGUE.family,
    ]
}
