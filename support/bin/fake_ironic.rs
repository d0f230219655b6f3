//! `fake-ironic`: provspec's fake OpenStack Ironic 39 over real HTTP.
//!
//! `fake-ironic --listen 127.0.0.1:0 [--user USER:PASSWORD ...] [--transition-delay-ms N]`
//! prints `listening on http://127.0.0.1:PORT/` as its first line of stdout, serves every
//! path until SIGTERM or SIGINT, and exits 0. With `--user` it asks for http_basic
//! credentials; without, it is `noauth`.

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use provspec::ironic::fake::{FakeIronic, FakeIronicConfig, server};

/// Serves provspec's fake OpenStack Ironic 39 over HTTP.
#[derive(Parser, Debug)]
#[command(name = "fake-ironic", version)]
struct Cli {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:6385")]
    listen: SocketAddr,
    /// An accepted http_basic login as USER:PASSWORD; repeat for more. None: noauth.
    #[arg(long = "user", value_name = "USER:PASSWORD")]
    users: Vec<String>,
    /// How long asynchronous provision and power actions take to settle.
    #[arg(long, value_name = "MILLISECONDS", default_value_t = 100)]
    transition_delay_ms: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut users = Vec::new();
    for user in &cli.users {
        match user.split_once(':') {
            Some((name, password)) if !name.is_empty() => {
                users.push((name.to_owned(), password.to_owned()))
            }
            _ => {
                eprintln!("fake-ironic: --user takes USER:PASSWORD, got {user:?}");
                return ExitCode::from(2);
            }
        }
    }
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .try_init();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("fake-ironic: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let (listener, bound) = match server::bind(cli.listen).await {
            Ok(bound) => bound,
            Err(e) => {
                eprintln!("fake-ironic: cannot listen on {}: {e}", cli.listen);
                return ExitCode::FAILURE;
            }
        };
        let fake = FakeIronic::new(FakeIronicConfig {
            users: if users.is_empty() { None } else { Some(users) },
            transition_delay: Duration::from_millis(cli.transition_delay_ms),
            base_url: format!("http://{bound}"),
        });
        println!("listening on http://{bound}/");
        let _ = std::io::stdout().flush();
        match server::serve(listener, fake, shutdown_signal()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("fake-ironic: serving failed: {e}");
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
