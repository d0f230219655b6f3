//! Waiting for a state that settles over time: poll with backoff, stop early on a failure,
//! and on timeout say what was seen along the way.

use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

/// The least time one look gets, even when the deadline has passed (one look always runs).
const MIN_LOOK: Duration = Duration::from_millis(100);

/// What one look at a changing state found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Look<T> {
    /// The awaited state is here.
    Ready(T),
    /// Not yet; what was seen instead (e.g. `deploying`).
    Pending(String),
    /// It will never come (e.g. `clean failed`); why.
    Failed(String),
}

/// How long to wait and how often to look: the first interval doubles after each look,
/// up to `max_interval`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Patience {
    /// Give up after this long.
    pub timeout: Duration,
    /// The first pause between looks.
    pub first_interval: Duration,
    /// The longest pause between looks.
    pub max_interval: Duration,
}

impl Patience {
    /// Up to `timeout`, looking after 50 ms, then backing off to once a second.
    pub fn within(timeout: Duration) -> Self {
        Self {
            timeout,
            first_interval: Duration::from_millis(50),
            max_interval: Duration::from_secs(1),
        }
    }
}

/// Why a wait ended without the awaited state.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WaitError {
    /// A look said the state will never come.
    #[error("gave up after {:.1?}: {reason} (seen: {})", elapsed, Seen(seen))]
    Failed {
        /// Why.
        reason: String,
        /// What the looks saw, in order, repeats folded.
        seen: Vec<String>,
        /// How long it waited.
        elapsed: Duration,
    },
    /// Time ran out.
    #[error(
        "still not there after {:.1?} ({looks} looks; seen: {})",
        elapsed,
        Seen(seen)
    )]
    TimedOut {
        /// What the looks saw, in order, repeats folded.
        seen: Vec<String>,
        /// How many looks it took.
        looks: u32,
        /// How long it waited.
        elapsed: Duration,
    },
}

struct Seen<'a>(&'a [String]);

impl fmt::Display for Seen<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("nothing")
        } else {
            f.write_str(&self.0.join(" → "))
        }
    }
}

/// Looks with `look` until it is [`Look::Ready`], stopping early on [`Look::Failed`] and
/// giving up after `patience.timeout`. Neither a pause nor a look runs past the deadline
/// (one look always runs, for at least 100 ms).
pub async fn wait_for<T, F, Fut>(patience: Patience, mut look: F) -> Result<T, WaitError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Look<T>>,
{
    let started = Instant::now();
    let mut seen: Vec<String> = Vec::new();
    let mut looks = 0u32;
    let mut interval = patience.first_interval;
    let note = |seen: &mut Vec<String>, what: String| {
        if seen.last() != Some(&what) {
            seen.push(what);
        }
    };
    loop {
        looks += 1;
        // A look may not run past the deadline either (a slow server must not stretch it).
        let left = patience.timeout.saturating_sub(started.elapsed());
        let Ok(found) = tokio::time::timeout(left.max(MIN_LOOK), look()).await else {
            note(&mut seen, "no answer before the deadline".to_owned());
            return Err(WaitError::TimedOut {
                seen,
                looks,
                elapsed: started.elapsed(),
            });
        };
        match found {
            Look::Ready(value) => return Ok(value),
            Look::Failed(reason) => {
                note(&mut seen, reason.clone());
                return Err(WaitError::Failed {
                    reason,
                    seen,
                    elapsed: started.elapsed(),
                });
            }
            Look::Pending(what) => note(&mut seen, what),
        }
        let left = patience.timeout.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Err(WaitError::TimedOut {
                seen,
                looks,
                elapsed: started.elapsed(),
            });
        }
        tokio::time::sleep(interval.min(left)).await;
        interval = (interval * 2).min(patience.max_interval);
    }
}

/// Retries `attempt` every `interval` until it returns `Ok` or `timeout` has passed. The
/// error names the attempts and the last reason.
pub async fn eventually<T, F, Fut>(
    timeout: Duration,
    interval: Duration,
    mut attempt: F,
) -> Result<T, String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let patience = Patience {
        timeout,
        first_interval: interval,
        max_interval: interval,
    };
    wait_for(patience, || {
        let next = attempt();
        async move {
            match next.await {
                Ok(value) => Look::Ready(value),
                Err(reason) => Look::Pending(reason),
            }
        }
    })
    .await
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quick(timeout_ms: u64) -> Patience {
        Patience {
            timeout: Duration::from_millis(timeout_ms),
            first_interval: Duration::from_millis(1),
            max_interval: Duration::from_millis(4),
        }
    }

    #[tokio::test]
    async fn settles_and_returns_the_value() {
        let mut looks = 0;
        let value = wait_for(quick(1000), || {
            looks += 1;
            let now = looks;
            async move {
                if now >= 3 {
                    Look::Ready(now)
                } else {
                    Look::Pending("deploying".to_owned())
                }
            }
        })
        .await;
        assert_eq!(value, Ok(3));
    }

    #[tokio::test]
    async fn stops_early_on_a_failure_and_says_what_it_saw() {
        let states = ["manageable", "cleaning", "cleaning", "clean failed"];
        let mut index = 0;
        let error = wait_for(quick(10_000), || {
            let state = states[index.min(states.len() - 1)];
            index += 1;
            async move {
                if state.ends_with("failed") {
                    Look::<()>::Failed(format!("{state}: no such clean step"))
                } else {
                    Look::Pending(state.to_owned())
                }
            }
        })
        .await
        .unwrap_err();
        let WaitError::Failed { seen, elapsed, .. } = &error else {
            panic!("expected a failure, got {error:?}");
        };
        assert_eq!(
            seen,
            &["manageable", "cleaning", "clean failed: no such clean step"]
        );
        assert!(
            *elapsed < Duration::from_secs(5),
            "it stopped early: {error}"
        );
        assert!(
            error
                .to_string()
                .contains("clean failed: no such clean step (seen: manageable → cleaning → clean failed: no such clean step)"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn gives_up_after_the_timeout_with_every_state_seen() {
        let mut flip = false;
        let error = wait_for(quick(30), || {
            flip = !flip;
            let state = if flip { "deploying" } else { "wait call-back" };
            async move { Look::<()>::Pending(state.to_owned()) }
        })
        .await
        .unwrap_err();
        match &error {
            WaitError::TimedOut {
                seen,
                looks,
                elapsed,
            } => {
                assert!(*looks >= 2, "{error}");
                assert!(*elapsed >= Duration::from_millis(30), "{error}");
                assert_eq!(seen[..2], ["deploying", "wait call-back"]);
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
        assert!(
            error.to_string().starts_with("still not there after"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn a_look_that_hangs_ends_at_the_deadline() {
        let started = Instant::now();
        let error = wait_for(quick(150), || async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            Look::Ready(())
        })
        .await
        .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5), "{error}");
        assert_eq!(
            error,
            WaitError::TimedOut {
                seen: vec!["no answer before the deadline".to_owned()],
                looks: 1,
                elapsed: match &error {
                    WaitError::TimedOut { elapsed, .. } => *elapsed,
                    other => panic!("expected a timeout, got {other:?}"),
                },
            }
        );
    }

    #[tokio::test]
    async fn eventually_reports_the_last_reason() {
        let never = eventually(
            Duration::from_millis(20),
            Duration::from_millis(5),
            || async { Err::<(), _>("not yet".to_owned()) },
        )
        .await
        .unwrap_err();
        assert!(never.contains("seen: not yet"), "{never}");
    }
}
