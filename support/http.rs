//! What every HTTP-based transport shares.

use std::error::Error as _;
use std::time::Duration;

/// Timeouts of an HTTP transport. The defaults are seconds, not minutes: a server that does
/// not answer must be noticed while someone still watches the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
            request_timeout: Duration::from_secs(15),
        }
    }
}

/// `url` parsed as the http(s) URL of a `what` ("Cobbler", "Ironic") API. A URL that holds
/// credentials is refused (they belong in `credentials_from`, e.g. the environment), and no
/// error ever shows them.
pub fn api_url(url: &str, what: &str, credentials_from: &str) -> Result<reqwest::Url, String> {
    let shown = hide_userinfo(url);
    let parsed =
        reqwest::Url::parse(url).map_err(|e| format!("invalid {what} URL {shown:?}: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!(
            "invalid {what} URL {shown:?}: the scheme must be http or https, not {:?}",
            parsed.scheme()
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!(
            "the {what} URL {shown:?} must not hold credentials: set {credentials_from}"
        ));
    }
    Ok(parsed)
}

/// `text` with the user-info part of any URL in it (`//user:password@`) hidden.
pub fn hide_userinfo(text: &str) -> String {
    static USERINFO: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"//[^/@]*@").expect("the user-info pattern compiles")
    });
    USERINFO.replace_all(text, "//[credentials]@").into_owned()
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

/// What reqwest says of a request that got no answer within its timeout.
pub fn timed_out_detail(url: &str) -> String {
    format!("error sending request for url ({url}): operation timed out (timed out)")
}

/// What reqwest says of a connection the server closed before it answered.
pub fn dropped_detail(url: &str) -> String {
    format!(
        "error sending request for url ({url}): client error (SendRequest): connection closed before message completed"
    )
}

/// The reason phrase of an HTTP status (`Service Unavailable`), or `Error` for one without.
pub fn reason_phrase(status: u16) -> String {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error")
        .to_owned()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_with_credentials_are_refused_without_showing_them() {
        let error = api_url(
            "http://qa:s3cret@host:25151/",
            "Cobbler",
            "COBBLER_USER and COBBLER_PASSWORD",
        )
        .unwrap_err();
        assert_eq!(
            error,
            "the Cobbler URL \"http://[credentials]@host:25151/\" must not hold credentials: set COBBLER_USER and COBBLER_PASSWORD"
        );
        let error = api_url("http://qa:s3 cret@host/", "Ironic", "IRONIC_USER").unwrap_err();
        assert!(!error.contains("s3"), "{error}");
        assert!(
            api_url("ftp://host/", "Ironic", "x")
                .unwrap_err()
                .contains("http or https")
        );
        assert_eq!(
            api_url("http://127.0.0.1:6385", "Ironic", "x")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:6385/"
        );
    }
}
