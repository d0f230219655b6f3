//! What the fake-server binaries (`fake-cobbler`, `fake-ironic`) share: `--user USER:PASSWORD`
//! parsing, logging, a free port, the `listening on …` line, and serving until SIGTERM or
//! SIGINT.

use std::future::Future;
use std::io::Write as _;
use std::net::SocketAddr;
use std::pin::Pin;
use std::process::ExitCode;

use tokio::net::TcpListener;

/// Completes when the process is asked to stop.
pub type Shutdown = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// `USER:PASSWORD` values as pairs; an error names the bad one.
pub fn parse_users(values: &[String]) -> Result<Vec<(String, String)>, String> {
    values
        .iter()
        .map(|value| match value.split_once(':') {
            Some((name, password)) if !name.is_empty() => {
                Ok((name.to_owned(), password.to_owned()))
            }
            _ => Err(format!("--user takes USER:PASSWORD, got {value:?}")),
        })
        .collect()
}

/// Logs to stderr when RUST_LOG is set (e.g. RUST_LOG=provspec=debug).
pub fn init_tracing() {
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .try_init();
    }
}

/// Binds `addr` (port 0 picks a free one) and returns the listener and the bound address.
pub async fn bind(addr: SocketAddr) -> std::io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    Ok((listener, bound))
}

/// Runs a fake server for `program`: binds `listen`, prints `listening on http://ADDR/` as
/// the first line of stdout, and lets `serve` answer on the listener (it is told the bound
/// address) until SIGTERM or SIGINT; then exits 0. Failures print one line and exit 1.
pub fn serve_until_signal<F, Fut>(program: &str, listen: SocketAddr, serve: F) -> ExitCode
where
    F: FnOnce(TcpListener, SocketAddr, Shutdown) -> Fut,
    Fut: Future<Output = std::io::Result<()>>,
{
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("{program}: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let (listener, bound) = match bind(listen).await {
            Ok(bound) => bound,
            Err(e) => {
                eprintln!("{program}: cannot listen on {listen}: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!("listening on http://{bound}/");
        let _ = std::io::stdout().flush();
        match serve(listener, bound, Box::pin(shutdown_signal())).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{program}: serving failed: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

/// Completes on SIGTERM or SIGINT.
async fn shutdown_signal() {
    let mut terminate =
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(signal) => signal,
            Err(_) => return std::future::pending().await,
        };
    tokio::select! {
        _ = terminate.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_are_pairs_and_a_bad_one_is_named() {
        assert_eq!(
            parse_users(&["admin:s:3".into()]).unwrap(),
            vec![("admin".to_owned(), "s:3".to_owned())]
        );
        assert_eq!(
            parse_users(&[":x".into()]).unwrap_err(),
            "--user takes USER:PASSWORD, got \":x\""
        );
    }
}
