//! The end of a run, whether it finished or was stopped: unwinding what is pending, the leak
//! check on a server, the manifest.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

use crate::calls::breaker;
use crate::interrupt::{StopSignal, StopSignals};
use crate::naming::run_marker;
use crate::world::backend::RunConfig;
use crate::world::cleanup::{self, Outcome};
use crate::world::hooks::scenario_tally;
use crate::world::manifest::{self, Leftover, Manifest, ScenarioStatus};

/// Why a run stopped before its scenarios were done.
pub enum Stop {
    /// A stopping signal.
    Signal(StopSignal),
    /// The server stopped answering (the circuit breaker opened at this instant).
    ServerStopped(Instant),
}

/// What the end of a run needs, whether it finished or was stopped.
pub struct Ending {
    /// The run's settings.
    pub config: &'static RunConfig,
    /// When the run started.
    pub started: SystemTime,
    /// Where the manifest goes.
    pub manifest_path: PathBuf,
    /// `--no-leak-check`.
    pub no_leak_check: bool,
    /// `--call-timeout`.
    pub call_timeout: Duration,
    /// The command that sweeps what the run left, for messages.
    pub sweep_command: String,
    /// `--cleanup-timeout`: how long a stopped run spends cleaning up.
    pub cleanup_budget: Duration,
}

/// What the cleanup of a stopped run removed, and what it could not.
#[derive(Debug, Default, PartialEq)]
pub struct Unwound {
    /// Items removed (or found gone already).
    pub removed: usize,
    /// Items left on the server, as `kind "name"`.
    pub not_removed: Vec<String>,
}

impl Stop {
    /// Why the run stopped, its exit code, and the per-call limit its cleanup gets (a server
    /// that stopped answering gets short calls).
    fn describe(&self, endpoint: &str) -> (String, u8, Option<Duration>) {
        match self {
            Stop::Signal(signal) => (
                format!("{} received", signal.name()),
                signal.exit_code(),
                None,
            ),
            Stop::ServerStopped(_) => {
                let (failures, last) = breaker::global().failures();
                (
                    format!(
                        "the server at {endpoint} stopped answering ({failures} calls in a row got no answer; the last: {})",
                        last.unwrap_or_default()
                    ),
                    1,
                    Some(Duration::from_secs(2)),
                )
            }
        }
    }

    /// The manifest's outcome for a run stopped so.
    fn outcome(&self) -> &'static str {
        match self {
            Stop::Signal(_) => "interrupted",
            Stop::ServerStopped(_) => "server-stopped",
        }
    }
}

impl Ending {
    /// Ends a stopped run: a second SIGINT or SIGTERM exits at once; otherwise every pending
    /// cleanup stack is unwound within the cleanup budget, the temporary files are removed,
    /// what was and was not removed is printed with the run id, and the manifest is written.
    pub async fn stop(&self, stop: Stop, signals: StopSignals) -> ExitCode {
        let run_id = &self.config.run_id;
        let (why, code, per_call) = stop.describe(&self.config.connector.endpoint());
        eprintln!(
            "provspec: {why}: stopping run {run_id}: no scenario or step starts any more; cleaning up what the running scenarios created (at most {} s; a second Ctrl-C or SIGTERM stops at once)",
            self.cleanup_budget.as_secs_f64()
        );
        let second = tokio::spawn(exit_on_second_signal(
            signals,
            self.config,
            self.sweep_command.clone(),
        ));
        let unwound = unwind_pending(self.cleanup_budget, per_call).await;
        second.abort();
        // The scenarios' processes went with their worlds; anything they started that runs on
        // its own (a detached server) goes too.
        let killed = crate::processes::groups::kill_marked(
            crate::processes::RUN_MARKER_ENV,
            &self.config.run_id,
        );
        if killed > 0 {
            eprintln!("provspec: killed {killed} process(es) the stopped scenarios had started");
        }
        let leftovers = match stop {
            Stop::Signal(_) => self.leak_check().await,
            Stop::ServerStopped(_) => Vec::new(),
        };
        self.config.connector.close();
        let (passed, failed) = scenario_tally();
        eprintln!(
            "provspec: {passed} passed, {failed} failed before the run stopped; temporary files removed"
        );
        let clean = unwound.not_removed.is_empty() && leftovers.is_empty();
        self.write_manifest(stop.outcome(), leftovers);
        let removed = unwound.removed;
        if clean {
            eprintln!(
                "provspec: run {run_id} stopped ({why}); cleanup removed {removed} item(s); nothing of the run is left"
            );
        } else {
            eprintln!(
                "provspec: run {run_id} stopped ({why}); cleanup removed {removed} item(s); {} could not be removed: {}; remove them with: {}",
                unwound.not_removed.len(),
                unwound.not_removed.join(", "),
                self.sweep_command
            );
        }
        if let Stop::ServerStopped(opened) = stop {
            eprintln!(
                "provspec: run {run_id} ended {:.1} s after the server stopped answering (call timeout {} s)",
                opened.elapsed().as_secs_f64(),
                self.call_timeout.as_secs_f64()
            );
        }
        ExitCode::from(code)
    }

    /// On a server over the network, lists what still carries the run's marker after every
    /// scenario cleaned up, and prints it (an embedded fake lives and dies with its scenario,
    /// so there is nothing to look at).
    pub async fn leak_check(&self) -> Vec<Leftover> {
        let run_id = &self.config.run_id;
        if self.no_leak_check || self.config.connector.is_embedded_fake() {
            return Vec::new();
        }
        let backend = self.config.connector.open();
        let marker = run_marker(run_id);
        match tokio::time::timeout(self.call_timeout * 2, backend.list_marked(&marker)).await {
            Ok(Ok(left)) => {
                if !left.is_empty() {
                    let names: Vec<String> = left
                        .iter()
                        .map(|(kind, name)| format!("{kind} {name}"))
                        .collect();
                    eprintln!(
                        "provspec: {} item(s) of run {run_id} are still on the server: {}",
                        left.len(),
                        names.join(", ")
                    );
                }
                left.into_iter()
                    .map(|(kind, real_name)| Leftover {
                        kind: kind.to_owned(),
                        real_name,
                    })
                    .collect()
            }
            Ok(Err(e)) => {
                eprintln!(
                    "provspec: could not check the server for leftovers of run {run_id}: {e}"
                );
                vec![Leftover {
                    kind: "unknown".to_owned(),
                    real_name: format!("(the leak check failed: {e})"),
                }]
            }
            Err(_) => {
                eprintln!(
                    "provspec: could not check the server for leftovers of run {run_id}: no answer in time"
                );
                vec![Leftover {
                    kind: "unknown".to_owned(),
                    real_name: "(the leak check got no answer in time)".to_owned(),
                }]
            }
        }
    }

    /// Writes the run manifest, with what the leak check found and every item whose cleanup
    /// failed or was not tried, and says where it is.
    pub fn write_manifest(&self, outcome: &str, mut left: Vec<Leftover>) {
        for item in manifest::not_cleaned() {
            if !left.iter().any(|l| l.real_name == item.real_name) {
                left.push(item);
            }
        }
        let manifest = Manifest {
            schema: manifest::SCHEMA,
            run_id: self.config.run_id.clone(),
            backend: self.config.connector.name().to_owned(),
            endpoint: crate::http::hide_userinfo(&self.config.connector.endpoint()),
            started: manifest::timestamp(self.started),
            ended: manifest::timestamp(SystemTime::now()),
            outcome: outcome.to_owned(),
            scenarios: manifest::scenarios(),
            left,
            shard: manifest::shard(),
            shards: None,
        };
        match manifest.write(&self.manifest_path) {
            Ok(()) => eprintln!(
                "provspec: run manifest written to {}",
                self.manifest_path.display()
            ),
            Err(message) => eprintln!("provspec: {message}"),
        }
    }
}

/// Waits for a second SIGINT or SIGTERM during a stopped run's cleanup, and exits at once
/// when one comes, saying how to remove what the run left.
async fn exit_on_second_signal(
    mut signals: StopSignals,
    config: &'static RunConfig,
    sweep_command: String,
) {
    loop {
        let signal = signals.next().await;
        if signal.aborts_when_repeated() {
            eprintln!(
                "provspec: second signal ({}): stopping run {} now, without cleaning up; remove what it left with: {sweep_command}",
                signal.name(),
                config.run_id
            );
            config.connector.close();
            std::process::exit(i32::from(signal.exit_code()));
        }
    }
}

/// Unwinds every scenario's pending cleanup stack within `budget`, printing each item, and
/// records the scenarios as interrupted in the manifest.
async fn unwind_pending(budget: Duration, per_call: Option<Duration>) -> Unwound {
    let mut unwound = Unwound::default();
    for (label, cleaned) in cleanup::unwind_pending(budget, per_call).await {
        for item in &cleaned {
            match &item.final_outcome() {
                Outcome::Removed => {
                    unwound.removed += 1;
                    eprintln!("provspec: removed {} of {label}", item.item());
                }
                Outcome::AlreadyGone => unwound.removed += 1,
                Outcome::Failed(e) | Outcome::NotTried(e) => {
                    eprintln!("provspec: could not remove {} of {label}: {e}", item.item());
                    unwound.not_removed.push(item.item());
                }
            }
        }
        manifest::record(
            &label,
            ScenarioStatus::Interrupted,
            &cleaned,
            manifest::CallTally::default(),
        );
    }
    unwound
}
