//! Which server a run talks to, and the run-wide settings every World reads.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use provspec::fake::FakeCobbler;
use provspec::protocol::{HttpTransport, Transport};
use provspec::session::Credentials;

/// The server behind the session.
#[derive(Clone, Debug)]
pub enum Backend {
    /// The in-process fake: a fresh one per scenario, or one shared by all (`shared`).
    EmbeddedFake {
        /// One fake for every scenario, to inspect it after the run.
        shared: Option<FakeCobbler>,
    },
    /// A Cobbler XML-RPC API over HTTP (real cobblerd, or fake-cobbler).
    Cobbler {
        /// The transport (one pooled HTTP client for the whole run).
        transport: HttpTransport,
        /// Who to log in as.
        credentials: Credentials,
    },
}

impl Backend {
    /// The name features' tags and the summary use: `fake` or `cobbler`.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::EmbeddedFake { .. } => "fake",
            Backend::Cobbler { .. } => "cobbler",
        }
    }

    /// True for the embedded fake.
    pub fn is_fake(&self) -> bool {
        matches!(self, Backend::EmbeddedFake { .. })
    }

    /// A transport for one scenario, and the fake behind it if there is one.
    pub fn transport(&self) -> (Arc<dyn Transport>, Option<FakeCobbler>) {
        match self {
            Backend::EmbeddedFake { shared } => {
                let fake = shared.clone().unwrap_or_default();
                (Arc::new(fake.clone()), Some(fake))
            }
            Backend::Cobbler { transport, .. } => (Arc::new(transport.clone()), None),
        }
    }

    /// Where the calls go, for messages.
    pub fn endpoint(&self) -> String {
        match self {
            Backend::EmbeddedFake { .. } => provspec::fake::ENDPOINT.to_owned(),
            Backend::Cobbler { transport, .. } => transport.endpoint(),
        }
    }

    /// The credentials sessions log in with.
    pub fn credentials(&self) -> Credentials {
        match self {
            Backend::EmbeddedFake { .. } => Credentials::new("cobbler", "cobbler"),
            Backend::Cobbler { credentials, .. } => credentials.clone(),
        }
    }
}

/// Settings for the whole run.
#[derive(Debug)]
pub struct RunConfig {
    /// The server.
    pub backend: Backend,
    /// This run's id, part of every real name.
    pub run_id: String,
    /// Where the kernel and initrd files are, as the server sees them.
    pub boot_dir: PathBuf,
}

static CONFIG: OnceLock<RunConfig> = OnceLock::new();

/// Sets the run's settings; once per process, before the first World.
pub fn install(config: RunConfig) -> &'static RunConfig {
    if CONFIG.set(config).is_err() {
        panic!("the run configuration was installed twice");
    }
    self::config()
}

/// The run's settings.
pub fn config() -> &'static RunConfig {
    CONFIG
        .get()
        .expect("the runner installs the run configuration before any scenario starts")
}
