//! A circuit breaker over every call to a server: after [`Breaker::threshold`] transport
//! failures in a row (refused, reset, timed out; never a fault or an HTTP error status, which
//! are answers) the server is taken to have stopped answering. Calls made after a failure get
//! a short timeout ([`Breaker::call_timeout`]), so a stalled server ends the run in about twice
//! the call timeout rather than in one timeout per call; any answer closes it again.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

/// Transport failures in a row that open the breaker, by default.
pub const DEFAULT_THRESHOLD: usize = 3;

/// The timeout of a call made while the previous one failed: short, but not below this.
const PROBE_TIMEOUT_FLOOR: Duration = Duration::from_secs(2);

/// The breaker's state.
#[derive(Debug)]
pub struct Breaker {
    threshold: AtomicUsize,
    failures_in_a_row: AtomicUsize,
    last_failure: Mutex<Option<String>>,
    open: tokio::sync::watch::Sender<bool>,
}

impl Default for Breaker {
    fn default() -> Self {
        Self {
            threshold: AtomicUsize::new(DEFAULT_THRESHOLD),
            failures_in_a_row: AtomicUsize::new(0),
            last_failure: Mutex::new(None),
            open: tokio::sync::watch::channel(false).0,
        }
    }
}

impl Breaker {
    /// Sets how many transport failures in a row open the breaker (at least 1).
    pub fn set_threshold(&self, failures: usize) {
        self.threshold.store(failures.max(1), Ordering::SeqCst);
    }

    /// How many transport failures in a row open the breaker.
    pub fn threshold(&self) -> usize {
        self.threshold.load(Ordering::SeqCst)
    }

    /// A call got an answer (a result, a fault, any HTTP status): the server answers.
    pub fn answered(&self) {
        if self.failures_in_a_row.swap(0, Ordering::SeqCst) > 0 {
            self.open.send_replace(false);
        }
    }

    /// A call got no answer (`detail` says why: "connection refused", "timed out").
    pub fn transport_failed(&self, detail: &str) {
        *self.last_failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(detail.to_owned());
        let failures = self.failures_in_a_row.fetch_add(1, Ordering::SeqCst) + 1;
        if failures >= self.threshold() {
            self.open
                .send_if_modified(|open| !std::mem::replace(open, true));
        }
    }

    /// True once the server stopped answering.
    pub fn is_open(&self) -> bool {
        *self.open.borrow()
    }

    /// Transport failures in a row so far, and the last one's description.
    pub fn failures(&self) -> (usize, Option<String>) {
        (
            self.failures_in_a_row.load(Ordering::SeqCst),
            self.last_failure
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
        )
    }

    /// The timeout for the next call: `normal` while the server answers, a fifth of it (at
    /// least 2 s) after a transport failure.
    pub fn call_timeout(&self, normal: Duration) -> Duration {
        if self.failures_in_a_row.load(Ordering::SeqCst) == 0 {
            normal
        } else {
            normal.min((normal / 5).max(PROBE_TIMEOUT_FLOOR))
        }
    }

    /// Waits until the breaker opens.
    pub async fn opened(&self) {
        let mut open = self.open.subscribe();
        // The sender lives in a static: the channel never closes.
        let _ = open.wait_for(|open| *open).await;
    }
}

/// The breaker every transport in this process reports to.
pub fn global() -> &'static Breaker {
    static BREAKER: LazyLock<Breaker> = LazyLock::new(Breaker::default);
    &BREAKER
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn failures_in_a_row_open_it_and_an_answer_closes_it() {
        let breaker = Breaker::default();
        let normal = Duration::from_secs(15);
        assert_eq!(breaker.call_timeout(normal), normal);
        breaker.transport_failed("connection refused");
        breaker.transport_failed("timed out");
        assert!(!breaker.is_open());
        assert_eq!(breaker.call_timeout(normal), Duration::from_secs(3));
        breaker.answered();
        assert_eq!(breaker.failures(), (0, Some("timed out".to_owned())));
        for _ in 0..DEFAULT_THRESHOLD {
            breaker.transport_failed("timed out");
        }
        assert!(breaker.is_open());
        tokio::time::timeout(Duration::from_secs(1), breaker.opened())
            .await
            .expect("an open breaker is seen at once");
        breaker.answered();
        assert!(!breaker.is_open());
        let short = Duration::from_secs(4);
        assert_eq!(breaker.call_timeout(short), short);
        breaker.transport_failed("timed out");
        assert_eq!(breaker.call_timeout(short), Duration::from_secs(2));
    }
}
