//! The World: one scenario's backend, the entities it created (by alias), its cleanup stack
//! and its last outcome; backend-neutral: every server call goes through [`Backend`]. Beside
//! it, the steps' registration ([`step_definitions`]) and the runner ([`runner`]).

pub mod backend;
pub mod bmc;
pub mod catalogue;
pub mod cleanup;
pub mod error;
pub mod evidence;
pub mod feature_files;
pub mod hints;
pub mod hooks;
pub mod item_list;
pub mod layout;
pub mod manifest;
pub mod outcome;
pub mod processes;
pub mod registry;
pub mod runner;
pub mod scenario_record;
pub mod shards;
pub mod step_definitions;
pub mod step_timeout;
pub mod tables;

mod actions;
mod calls;
mod factories;

pub use actions::Mode;
pub use error::{FailureKind, StepResult, WorldError};
pub use outcome::Outcome;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::backend::Backend;
use crate::calls::layer::CallLayer;
use crate::naming::Namer;

use backend::RunConfig;
use cleanup::CleanupStack;
use registry::Registry;

/// The project's root ([`layout::current`]): provspec.toml's folder, the crate under test
/// (CARGO_MANIFEST_DIR, set by cargo), or the current folder. Always an absolute path.
pub fn crate_root() -> std::path::PathBuf {
    layout::current().root.clone()
}

/// Numbers scenarios within a run (part of every real name).
static SCENARIO_SEQ: AtomicU64 = AtomicU64::new(1);

/// What the last search returned: aliases of this scenario's items, sorted. Matches that are
/// not this scenario's (other runs, pre-existing items) are left out.
#[derive(Debug)]
pub struct SearchResult {
    /// The kind searched.
    pub kind: &'static crate::backend::KindSpec,
    /// The aliases.
    pub aliases: Vec<String>,
}

/// One scenario's state.
#[derive(cucumber::World)]
#[world(init = Self::new)]
pub struct ProvWorld {
    /// The backend's verbs for this scenario (its own session, or its own embedded fake).
    pub backend: Arc<dyn Backend>,
    /// Aliases to real names.
    pub registry: Registry,
    /// Undo actions, newest last.
    pub cleanup: CleanupStack,
    /// The result of the last "I try to …" step.
    pub outcome: Option<Outcome>,
    /// The last view of an item asked for (`When I render the autoinstall file of …`), real
    /// names read as aliases.
    pub view: Option<String>,
    /// The result of the last search.
    pub search: Option<SearchResult>,
    /// Real names for aliases.
    pub namer: Namer,
    /// The run's settings.
    pub config: &'static RunConfig,
    /// How long one step may take (the run's `--step-timeout`, or the scenario's
    /// `@timeout(N)` tag).
    pub step_timeout: std::time::Duration,
    /// The layer every call of this scenario goes through: journal, injected faults, log.
    pub calls: CallLayer,
    /// Addresses allocated for this scenario's items, by alias.
    pub allocated: factories::Allocated,
    /// The processes and servers the scenario started.
    pub processes: processes::Processes,
    /// The emulated BMCs the scenario started, and what they power.
    pub bmc_lab: bmc::BmcLab,
    /// The function of each step of the scenario, by the step's line and column, as the
    /// before hook matched them.
    pub step_functions: Vec<((usize, usize), step_definitions::StepFunction)>,
    /// The kind of the failure that ended the scenario's steps, for the reports (the step's
    /// end sets it; cucumber hands the World to the writers with the failed step).
    pub failure: Option<FailureKind>,
    /// The scenario's steps no registered step runs as written (no match, or a table or doc
    /// string its step does not take), by line and column, with what the before hook said.
    pub unrunnable_steps: Vec<((usize, usize), String)>,
}

impl std::fmt::Debug for ProvWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProvWorld")
            .field("backend", &self.backend)
            .field("registry", &self.registry)
            .field("cleanup", &self.cleanup)
            .field("outcome", &self.outcome)
            .finish_non_exhaustive()
    }
}

impl ProvWorld {
    /// A world on the run's backend.
    async fn new() -> Self {
        let config = backend::config();
        let scenario = SCENARIO_SEQ.fetch_add(1, Ordering::SeqCst);
        let namer = Namer::new(&config.run_id, scenario);
        let calls = CallLayer::new(config.call_timeout, Some(namer.clone()));
        let backend = config.connector.open_with(calls.clone());
        Self {
            cleanup: CleanupStack::new(backend.clone(), calls.clone()),
            backend,
            registry: Registry::default(),
            outcome: None,
            view: None,
            search: None,
            namer,
            config,
            step_timeout: config.step_timeout,
            calls,
            allocated: factories::Allocated::default(),
            processes: processes::Processes::new(&config.run_id, scenario),
            bmc_lab: bmc::BmcLab::default(),
            step_functions: Vec::new(),
            failure: None,
            unrunnable_steps: Vec::new(),
        }
    }
}
