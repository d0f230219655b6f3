//! What every HTTP-based transport shares.

use std::error::Error as _;
use std::time::Duration;

/// Timeouts of an HTTP transport.
#[derive(Clone, Copy, Debug)]
pub struct HttpOptions {
    /// How long to wait for a TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// How long one call may take, end to end.
    pub request_timeout: Duration,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(3),
            request_timeout: Duration::from_secs(60),
        }
    }
}

/// One pooled HTTP client with `options`' timeouts and provspec's user agent.
pub fn client(options: HttpOptions) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .connect_timeout(options.connect_timeout)
        .timeout(options.request_timeout)
        .user_agent(concat!("provspec/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {}", describe(&e)))
}

/// A reqwest error with its causes ("error sending request: … Connection refused"), and
/// "(timed out)" when it was a timeout.
pub fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    if error.is_timeout() {
        text.push_str(" (timed out)");
    }
    text
}
