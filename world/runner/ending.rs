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
    pub config: &'static RunConfig,
    pub started: SystemTime,
    pub manifest_path: PathBuf,
    pub no_leak_check: bool,
    pub call_timeout: Duration,
}

impl Ending {
    /// Ends a stopped run: a second SIGINT or SIGTERM exits at once; otherwise every pending
    /// cleanup stack is unwound within `budget`, the temporary files are removed, what was and
    /// was not removed is printed with the run id, and the manifest is written.
    pub async fn stop(
        &self,
        stop: Stop,
        mut signals: StopSignals,
        budget: Duration,
        sweep_command: &str,
    ) -> ExitCode {
        let run_id = &self.config.run_id;
        let (why, code, per_call) = match &stop {
            Stop::Signal(signal) => (
                format!("{} received", signal.name()),
                signal.exit_code(),
                None,
            ),
            Stop::ServerStopped(_) => {
                let (failures, last) = breaker::global().failures();
                (
                    format!(
                        "the server at {} stopped answering ({failures} calls in a row got no answer; the last: {})",
                        self.config.connector.endpoint(),
                        last.unwrap_or_default()
                    ),
                    1,
                    Some(Duration::from_secs(2)),
                )
            }
        };
        eprintln!(
            "provspec: {why}: stopping run {run_id}: no scenario or step starts any more; cleaning up what the running scenarios created (at most {} s; a second Ctrl-C or SIGTERM stops at once)",
            budget.as_secs_f64()
        );
        let config = self.config;
        let sweep = sweep_command.to_owned();
        let second = tokio::spawn(async move {
            loop {
                let signal = signals.next().await;
                if signal.aborts_when_repeated() {
                    eprintln!(
                        "provspec: second signal ({}): stopping run {} now, without cleaning up; remove what it left with: {sweep}",
                        signal.name(),
                        config.run_id
                    );
                    config.connector.close();
                    std::process::exit(i32::from(signal.exit_code()));
                }
            }
        });
        let (mut removed, mut not_removed) = (0, Vec::new());
        for (label, cleaned) in cleanup::unwind_pending(budget, per_call).await {
            for item in &cleaned {
                match &item.outcome {
                    Outcome::Removed => {
                        removed += 1;
                        eprintln!("provspec: removed {} of {label}", item.item());
                    }
                    Outcome::AlreadyGone => removed += 1,
                    Outcome::Failed(e) | Outcome::NotTried(e) => {
                        eprintln!("provspec: could not remove {} of {label}: {e}", item.item());
                        not_removed.push(item.item());
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
        second.abort();
        // The scenarios' processes went with their worlds; anything they started that runs on
        // its own (a detached server) goes too.
        let killed =
            crate::processes::groups::kill_marked(crate::processes::RUN_MARKER_ENV, &config.run_id);
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
        let outcome = match stop {
            Stop::Signal(_) => "interrupted",
            Stop::ServerStopped(_) => "server-stopped",
        };
        let clean = not_removed.is_empty() && leftovers.is_empty();
        self.write_manifest(outcome, leftovers);
        if clean {
            eprintln!(
                "provspec: run {run_id} stopped ({why}); cleanup removed {removed} item(s); nothing of the run is left"
            );
        } else {
            eprintln!(
                "provspec: run {run_id} stopped ({why}); cleanup removed {removed} item(s); {} could not be removed: {}; remove them with: {sweep_command}",
                not_removed.len(),
                not_removed.join(", ")
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
