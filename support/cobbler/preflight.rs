//! The check before a run against a server over HTTP: it answers `ping` and accepts the
//! credentials, within a time budget, or the run stops with one clear message.

use std::sync::Arc;
use std::time::Duration;

use crate::cobbler::protocol::{HttpOptions, HttpTransport, Transport};
use crate::cobbler::session::{Credentials, Session, SharedLogin};

/// The budget the runner gives the check: a wrong URL or password ends the run well within 5 s.
pub const PREFLIGHT_BUDGET: Duration = Duration::from_millis(4500);

/// A transport to `url`, with `options`' timeouts, that answered `ping` and accepted
/// `credentials` within `budget`.
pub async fn connect(
    url: &str,
    credentials: &Credentials,
    budget: Duration,
    options: HttpOptions,
) -> Result<HttpTransport, String> {
    connect_logged_in(url, credentials, budget, options)
        .await
        .map(|(transport, _)| transport)
}

/// As [`connect`], also returning the check's login, for the run's sessions to share (a run
/// then logs in once).
pub async fn connect_logged_in(
    url: &str,
    credentials: &Credentials,
    budget: Duration,
    options: HttpOptions,
) -> Result<(HttpTransport, SharedLogin), String> {
    let options = HttpOptions {
        connect_timeout: budget.min(options.connect_timeout),
        ..options
    };
    let transport = HttpTransport::new(url, options)?;
    let login = SharedLogin::new();
    let check = async {
        transport.call("ping", Vec::new()).await.map_err(|e| {
            format!("the Cobbler at {url} does not answer (check COBBLER_URL / --url): {e}")
        })?;
        Session::sharing(
            Arc::new(transport.clone()),
            credentials.clone(),
            login.clone(),
        )
        .ensure_logged_in()
        .await
        .map_err(|e| format!("{e} (check COBBLER_USER / COBBLER_PASSWORD)"))
    };
    match tokio::time::timeout(budget, check).await {
        Ok(Ok(())) => Ok((transport, login)),
        Ok(Err(message)) => Err(message),
        Err(_) => Err(format!(
            "the Cobbler at {url} did not answer ping and login within {budget:?} (check COBBLER_URL / --url)"
        )),
    }
}
