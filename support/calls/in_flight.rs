//! The calls waiting for a server's answer now, run-wide and per step.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;

/// One call waiting for its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallInFlight {
    /// What was called: an XML-RPC method (`save_system`) or an HTTP verb and path.
    pub call: String,
    /// Where it went (a URL, never with credentials).
    pub server: String,
    /// When it was sent.
    pub started: Instant,
}

impl CallInFlight {
    /// How long it has been waiting.
    pub fn waited(&self) -> Duration {
        self.started.elapsed()
    }
}

impl std::fmt::Display for CallInFlight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} to {} (waiting {:.1} s)",
            self.call,
            self.server,
            self.waited().as_secs_f64()
        )
    }
}

/// Every call in flight in this process, by ticket.
static IN_FLIGHT: Mutex<Vec<(u64, CallInFlight)>> = Mutex::new(Vec::new());
static NEXT_TICKET: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn in_flight() -> MutexGuard<'static, Vec<(u64, CallInFlight)>> {
    IN_FLIGHT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The last call a step made, shared between the step's task and whoever watches the step.
#[derive(Clone, Debug, Default)]
pub struct StepCalls(Arc<Mutex<Option<(CallInFlight, bool)>>>);

impl StepCalls {
    /// The call the step is waiting on now, if it is waiting on one.
    pub fn waiting_on(&self) -> Option<CallInFlight> {
        let last = self.0.lock().unwrap_or_else(|p| p.into_inner());
        last.as_ref()
            .and_then(|(call, answered)| (!answered).then(|| call.clone()))
    }

    fn record(&self, call: Option<CallInFlight>, answered: bool) {
        let mut last = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match call {
            Some(call) => *last = Some((call, answered)),
            None => {
                if let Some((_, done)) = last.as_mut() {
                    *done = answered;
                }
            }
        }
    }
}

tokio::task_local! {
    static STEP_CALLS: StepCalls;
}

/// Runs `future` with its calls recorded in `calls` (a step, so that a timeout can say which
/// call the step was waiting on).
pub async fn recording_into<F: std::future::Future>(calls: StepCalls, future: F) -> F::Output {
    STEP_CALLS.scope(calls, future).await
}

/// A call in flight, until the guard is dropped.
#[derive(Debug)]
pub struct CallGuard {
    ticket: u64,
}

/// Notes that `call` was sent to `server`; the call is in flight until the guard drops.
pub fn begin(call: impl Into<String>, server: impl Into<String>) -> CallGuard {
    let entry = CallInFlight {
        call: call.into(),
        server: server.into(),
        started: Instant::now(),
    };
    let _ = STEP_CALLS.try_with(|step| step.record(Some(entry.clone()), false));
    let ticket = NEXT_TICKET.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    in_flight().push((ticket, entry));
    CallGuard { ticket }
}

impl Drop for CallGuard {
    fn drop(&mut self) {
        // A call cancelled by a step's timeout is dropped inside the step's scope too: the
        // watcher has read it before it cancels.
        let _ = STEP_CALLS.try_with(|step| step.record(None, true));
        in_flight().retain(|(ticket, _)| *ticket != self.ticket);
    }
}

/// Every call in flight now, the longest-waiting first.
pub fn calls_in_flight() -> Vec<CallInFlight> {
    let mut calls: Vec<CallInFlight> = in_flight().iter().map(|(_, c)| c.clone()).collect();
    calls.sort_by_key(|c| c.started);
    calls
}

/// Says, through `say`, which calls have waited long: each call once it has waited `first`,
/// then every `every` more ("still waiting for save_system to http://…: 5 s so far").
/// Runs until dropped.
pub async fn report_slow_calls(first: Duration, every: Duration, say: impl Fn(String)) {
    let mut told: Vec<(Instant, String, Duration)> = Vec::new();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    loop {
        tick.tick().await;
        let calls = calls_in_flight();
        told.retain(|(started, call, _)| {
            calls
                .iter()
                .any(|c| c.started == *started && c.call == *call)
        });
        for call in calls {
            let waited = call.waited();
            if waited < first {
                continue;
            }
            let due = match told
                .iter_mut()
                .find(|(started, name, _)| *started == call.started && *name == call.call)
            {
                Some((_, _, next)) if waited >= *next => {
                    *next += every;
                    true
                }
                Some(_) => false,
                None => {
                    told.push((call.started, call.call.clone(), first + every));
                    true
                }
            };
            if due {
                say(format!(
                    "still waiting for {} to {}: {:.0} s so far",
                    call.call,
                    call.server,
                    waited.as_secs_f64()
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_step_knows_the_call_it_waits_on_and_forgets_it_once_answered() {
        let calls = StepCalls::default();
        let seen = recording_into(calls.clone(), async {
            let guard = begin("save_system", "http://127.0.0.1:25151/");
            let waiting = calls.clone().waiting_on();
            assert!(calls_in_flight().iter().any(|c| c.call == "save_system"));
            drop(guard);
            waiting
        })
        .await;
        assert_eq!(seen.map(|c| c.call).as_deref(), Some("save_system"));
        assert_eq!(calls.waiting_on(), None);
        assert!(
            !calls_in_flight()
                .iter()
                .any(|c| c.server == "http://127.0.0.1:25151/" && c.call == "save_system")
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_call_is_reported_after_the_first_wait_then_every_so_often() {
        let said = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = said.clone();
        let reporter = tokio::spawn(report_slow_calls(
            Duration::from_secs(5),
            Duration::from_secs(10),
            move |line| sink.lock().unwrap().push(line),
        ));
        let guard = begin("get_systems", "http://slow.invalid/");
        tokio::time::sleep(Duration::from_secs(26)).await;
        drop(guard);
        tokio::time::sleep(Duration::from_secs(20)).await;
        reporter.abort();
        let said: Vec<String> = said
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains("slow.invalid"))
            .cloned()
            .collect();
        // Told at 5 s, 15 s and 25 s; not after the answer.
        assert_eq!(said.len(), 3, "{said:?}");
        assert!(
            said[0].starts_with("still waiting for get_systems to http://slow.invalid/: "),
            "{said:?}"
        );
    }
}
