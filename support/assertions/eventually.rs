use std::future::Future;
use std::time::{Duration, Instant};

/// Retries `attempt` every `interval` until it returns `Ok` or `timeout` has passed, for states
/// that settle over time. The error names the attempts and the last reason.
pub async fn eventually<T, F, Fut>(
    timeout: Duration,
    interval: Duration,
    mut attempt: F,
) -> Result<T, String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let started = Instant::now();
    let mut attempts = 0u32;
    loop {
        attempts += 1;
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(reason) if started.elapsed() + interval > timeout => {
                return Err(format!(
                    "still not true after {:.1?} ({attempts} attempts); last: {reason}",
                    started.elapsed()
                ));
            }
            Err(_) => tokio::time::sleep(interval).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn settles_or_reports_the_last_reason() {
        let mut calls = 0;
        let value = eventually(Duration::from_secs(1), Duration::from_millis(1), || {
            calls += 1;
            let current = calls;
            async move {
                if current >= 3 {
                    Ok(current)
                } else {
                    Err(format!("only {current}"))
                }
            }
        })
        .await;
        assert_eq!(value, Ok(3));

        let never = eventually(
            Duration::from_millis(20),
            Duration::from_millis(5),
            || async { Err::<(), _>("not yet".to_owned()) },
        )
        .await
        .unwrap_err();
        assert!(never.contains("last: not yet"), "{never}");
    }
}
