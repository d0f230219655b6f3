//! The run-wide settings every World reads: the backend's connector and the run's id.

use std::sync::{Arc, OnceLock};

use crate::backend::Connector;

/// Settings for the whole run.
#[derive(Debug)]
pub struct RunConfig {
    /// The server the run talks to; opens one backend per scenario.
    pub connector: Arc<dyn Connector>,
    /// This run's id, part of every real name.
    pub run_id: String,
    /// How long one step may take unless its scenario says otherwise (`@timeout(N)`).
    pub step_timeout: std::time::Duration,
    /// How long one call to a server may take (`--call-timeout`): an injected stall lasts it.
    pub call_timeout: std::time::Duration,
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
