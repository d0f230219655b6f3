//! One scenario's layer over its calls: the journal it records, the faults it injects, and
//! the log lines it captures. Each family's transport consults it on every call
//! (`support/cobbler/protocol/layered.rs`, `support/ironic/layered.rs`); cleanup switches it
//! off ([`CallLayer::bypass`]), so injected faults never reach an undo action and the journal
//! holds only what the scenario's steps sent.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;

use super::faults::{FaultKind, FaultPlan, FaultRule};
use super::journal::{self, Call, Expectation};
use crate::naming::Namer;

/// The call timeout a layer assumes when none is given.
const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug)]
struct State {
    journal: Mutex<Vec<Call>>,
    expectations: Mutex<Vec<Expectation>>,
    faults: Mutex<FaultPlan>,
    log: Mutex<Vec<String>>,
    bypassed: AtomicBool,
    namer: Option<Namer>,
    call_timeout: Mutex<Duration>,
}

/// A scenario's journal, faults and log; cheap to clone (all clones share them).
#[derive(Clone, Debug)]
pub struct CallLayer(Arc<State>);

impl Default for CallLayer {
    fn default() -> Self {
        Self::new(DEFAULT_CALL_TIMEOUT, None)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// What the layer decided for one call.
#[derive(Debug)]
pub struct Planned {
    /// The call's name as the journal shows it (aliases for real names).
    pub name: String,
    /// Latency to add before the call.
    pub delay: Duration,
    /// The failure to inject instead of the call, if any.
    pub failure: Option<FaultKind>,
}

impl CallLayer {
    /// A layer whose injected stalls last `call_timeout`, showing `namer`'s real names as
    /// aliases.
    pub fn new(call_timeout: Duration, namer: Option<Namer>) -> Self {
        Self(Arc::new(State {
            journal: Mutex::default(),
            expectations: Mutex::default(),
            faults: Mutex::default(),
            log: Mutex::default(),
            bypassed: AtomicBool::new(false),
            namer,
            call_timeout: Mutex::new(call_timeout),
        }))
    }

    /// A layer that records nothing and injects nothing (for calls outside a scenario).
    pub fn off() -> Self {
        let layer = Self::default();
        layer.bypass();
        layer
    }

    /// Switches the layer off for good: later calls go straight to the server, unrecorded.
    pub fn bypass(&self) {
        self.0.bypassed.store(true, Ordering::SeqCst);
    }

    /// True once [`CallLayer::bypass`] was called.
    pub fn is_bypassed(&self) -> bool {
        self.0.bypassed.load(Ordering::SeqCst)
    }

    /// How long one of the scenario's calls may take (the run's call timeout, or the
    /// scenario's `@call-timeout(N)`); an injected stall lasts this long.
    pub fn call_timeout(&self) -> Duration {
        *lock(&self.0.call_timeout)
    }

    /// Sets the scenario's call timeout.
    pub fn set_call_timeout(&self, timeout: Duration) {
        *lock(&self.0.call_timeout) = timeout;
    }

    /// `text` with this scenario's real names shown as aliases.
    pub fn in_aliases(&self, text: &str) -> String {
        match &self.0.namer {
            Some(namer) => namer.to_aliases(text),
            None => text.to_owned(),
        }
    }

    /// Adds a fault rule.
    pub fn inject(&self, rule: FaultRule) {
        lock(&self.0.faults).add(rule);
    }

    /// Drops every fault rule not yet used up.
    pub fn clear_faults(&self) {
        *lock(&self.0.faults) = FaultPlan::default();
    }

    /// What to do with the next call named `raw_name`; `None` when the layer is off.
    pub fn plan(&self, raw_name: &str) -> Option<Planned> {
        if self.is_bypassed() {
            return None;
        }
        let name = self.in_aliases(raw_name);
        let (delay, failure) = lock(&self.0.faults).take(&name);
        Some(Planned {
            name,
            delay,
            failure,
        })
    }

    /// Records a finished call: its arguments are redacted and shown with aliases.
    pub fn record(
        &self,
        planned: &Planned,
        mut arguments: Value,
        outcome: Result<Value, String>,
        duration: Duration,
    ) {
        // Redacted now; shown with aliases only when read (most journals are never read in
        // full, and a result can be large).
        journal::redact(&mut arguments);
        let outcome = match outcome {
            Ok(mut value) => {
                journal::redact(&mut value);
                Ok(value)
            }
            // A server's error can quote what it was sent ("invalid token: …").
            Err(error) => Err(journal::redact_text(&error)),
        };
        lock(&self.0.journal).push(Call {
            name: planned.name.clone(),
            arguments,
            outcome,
            duration,
            injected: planned.failure.as_ref().map(FaultKind::describe),
        });
    }

    fn aliases_in_json(&self, value: Value) -> Value {
        if self.0.namer.is_none() {
            return value;
        }
        match value {
            Value::String(text) => Value::String(self.in_aliases(&text)),
            Value::Array(items) => {
                Value::Array(items.into_iter().map(|v| self.aliases_in_json(v)).collect())
            }
            Value::Object(members) => Value::Object(
                members
                    .into_iter()
                    .map(|(k, v)| (k, self.aliases_in_json(v)))
                    .collect(),
            ),
            other => other,
        }
    }

    /// Every call recorded so far, oldest first, with aliases for the scenario's real names.
    pub fn calls(&self) -> Vec<Call> {
        let calls = lock(&self.0.journal).clone();
        calls
            .into_iter()
            .map(|call| Call {
                arguments: self.aliases_in_json(call.arguments),
                outcome: call
                    .outcome
                    .map(|value| self.aliases_in_json(value))
                    .map_err(|error| self.in_aliases(&error)),
                ..call
            })
            .collect()
    }

    /// Adds an expectation, checked by [`CallLayer::verify`] when the scenario ends (as
    /// wiremock's mocks are when the server drops): e.g.
    /// `layer.expect(Expectation::calls_to("save_system").times(1))`.
    pub fn expect(&self, expectation: Expectation) {
        lock(&self.0.expectations).push(expectation);
    }

    /// Ok when every expectation holds and every counted fault rule fired as often as it was
    /// to; otherwise each unmet expectation with what was received, and each fault rule left
    /// over with the calls the scenario made (a misspelt call name shows beside the right one).
    pub fn verify(&self) -> Result<(), String> {
        let unfired: Vec<String> = lock(&self.0.faults)
            .unfired()
            .iter()
            .map(|rule| rule.describe())
            .collect();
        if lock(&self.0.expectations).is_empty() && unfired.is_empty() {
            // Nothing to check: the journal is not copied (most scenarios end here).
            return Ok(());
        }
        let calls = self.calls();
        let mut unmet: Vec<String> = lock(&self.0.expectations)
            .iter()
            .filter_map(|e| e.verify(&calls).err().map(|unmet| unmet.to_string()))
            .collect();
        if !unfired.is_empty() {
            let mut names: Vec<&str> = calls.iter().map(|c| c.name.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            let made = if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(", ")
            };
            for rule in unfired {
                unmet.push(format!(
                    "the fault for {rule} never applied: no such call came; the calls the scenario made: {made}"
                ));
            }
        }
        if unmet.is_empty() {
            Ok(())
        } else {
            Err(unmet.join("\n"))
        }
    }

    /// How many calls the journal holds, and their total time.
    pub fn call_tally(&self) -> (usize, Duration) {
        let journal = lock(&self.0.journal);
        (journal.len(), journal.iter().map(|c| c.duration).sum())
    }

    /// Appends a line to the scenario's log.
    pub fn log(&self, line: String) {
        lock(&self.0.log).push(line);
    }

    /// The scenario's log so far.
    pub fn log_lines(&self) -> Vec<String> {
        lock(&self.0.log).clone()
    }
}

tokio::task_local! {
    static CURRENT: CallLayer;
}

/// Runs `future` with `layer` as the current scenario's layer (for its log).
pub async fn scoped<F: std::future::Future>(layer: CallLayer, future: F) -> F::Output {
    CURRENT.scope(layer, future).await
}

/// The current scenario's layer, inside [`scoped`].
pub fn current() -> Option<CallLayer> {
    CURRENT.try_with(Clone::clone).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_journal_shows_aliases_and_no_secrets_and_the_layer_can_be_switched_off() {
        let layer = CallLayer::new(Duration::from_secs(1), Some(Namer::new("run1", 3)));
        layer.inject(FaultRule {
            call: Some("PATCH /v1/nodes/n1".into()),
            times: Some(1),
            fault: FaultKind::HttpStatus {
                status: 503,
                body: String::new(),
            },
        });
        let planned = layer.plan("PATCH /v1/nodes/n1--run1-3").unwrap();
        assert_eq!(planned.name, "PATCH /v1/nodes/n1");
        assert!(planned.failure.is_some());
        layer.record(
            &planned,
            json!({"name": "n1--run1-3", "driver_info": {"redfish_password": "pw"}}),
            Err("HTTP 503".into()),
            Duration::from_millis(2),
        );
        let calls = layer.calls();
        assert_eq!(
            calls[0].arguments,
            json!({"name": "n1", "driver_info": {"redfish_password": "[redacted]"}})
        );
        assert_eq!(calls[0].injected.as_deref(), Some("HTTP 503"));
        layer.expect(Expectation::calls_to("PATCH /v1/nodes/n1").times(1));
        assert_eq!(layer.verify(), Ok(()));
        layer.expect(Expectation::calls_to("DELETE /v1/nodes/n1").at_least(1));
        let unmet = layer.verify().unwrap_err();
        assert!(
            unmet.starts_with("expected at least 1 call(s) to DELETE /v1/nodes/n1, got 0; the server received 1:\n    1. PATCH /v1/nodes/n1"),
            "{unmet}"
        );
        layer.bypass();
        assert!(layer.plan("GET /v1/nodes").is_none());
    }
}
