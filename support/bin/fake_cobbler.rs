//! `fake-cobbler`: provspec's fake Cobbler 3.3 over real XML-RPC HTTP.
//!
//! `fake-cobbler --listen 127.0.0.1:0 --user cobbler:cobbler` prints
//! `listening on http://127.0.0.1:PORT/` as its first line of stdout, serves `/`, `/RPC2` and
//! `/cobbler_api` until SIGTERM or SIGINT, and exits 0. Under `/_provspec/` it serves the
//! control API of [`provspec::fake_control`]: server-side fault rules and the journal of the
//! calls it received (`curl http://127.0.0.1:PORT/_provspec/calls`).

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use provspec::cobbler::fake::{FakeCobbler, FakeConfig, server};
use provspec::fake_server;

/// Serves provspec's fake Cobbler 3.3 over XML-RPC HTTP, with a control API (fault rules,
/// the calls received) under /_provspec/.
#[derive(Parser, Debug)]
#[command(name = "fake-cobbler", version)]
struct Cli {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:25151")]
    listen: SocketAddr,
    /// An accepted login as USER:PASSWORD; repeat for more users. Prefer the environment
    /// variable: a command line is visible to every user of the machine (`ps`).
    #[arg(
        long = "user",
        value_name = "USER:PASSWORD",
        env = "PROVSPEC_FAKE_USER",
        hide_env_values = true,
        default_value = "cobbler:cobbler"
    )]
    users: Vec<String>,
    /// Token lifetime in seconds (auth_token_expiration); expiry takes effect at the next
    /// token_check, as on a real cobblerd.
    #[arg(long, value_name = "SECONDS")]
    token_lifetime: Option<u64>,
    /// Writes a random shared secret to this file (mode 0600), as cobblerd writes
    /// /var/lib/cobbler/web.ss; `login("", secret)` then succeeds, as the stock `cobbler`
    /// command line logs in.
    #[arg(long, value_name = "PATH")]
    write_shared_secret: Option<std::path::PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let users = match fake_server::parse_users(&cli.users) {
        Ok(users) => users,
        Err(e) => {
            eprintln!("fake-cobbler: {e}");
            return ExitCode::from(2);
        }
    };
    fake_server::init_tracing();
    let shared_secret = match &cli.write_shared_secret {
        None => None,
        Some(path) => match write_secret(path) {
            Ok(secret) => Some(secret),
            Err(e) => {
                eprintln!(
                    "fake-cobbler: cannot write the shared secret to {}: {e}",
                    path.display()
                );
                return ExitCode::FAILURE;
            }
        },
    };
    let fake = FakeCobbler::new(FakeConfig {
        users,
        token_lifetime: cli.token_lifetime.map(Duration::from_secs),
        shared_secret,
        ..FakeConfig::default()
    });
    fake_server::serve_until_signal("fake-cobbler", cli.listen, |listener, _, shutdown| {
        server::serve(listener, fake, shutdown)
    })
}

/// Writes a fresh random secret to `path`, readable by its owner only.
fn write_secret(path: &std::path::Path) -> std::io::Result<String> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let secret = provspec::cobbler::fake::random_secret();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(secret.as_bytes())?;
    Ok(secret)
}
