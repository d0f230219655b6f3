//! `fake-ironic`: provspec's fake OpenStack Ironic 39 over real HTTP.
//!
//! `fake-ironic --listen 127.0.0.1:0 [--user USER:PASSWORD ...] [--transition-delay-ms N]`
//! prints `listening on http://127.0.0.1:PORT/` as its first line of stdout, serves every
//! path until SIGTERM or SIGINT, and exits 0. With `--user` it asks for http_basic
//! credentials; without, it is `noauth`. Under `/_provspec/` it serves the control API of
//! [`provspec::fake_control`]: server-side fault rules and the journal of the requests it
//! received (`curl http://127.0.0.1:PORT/_provspec/calls`).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use provspec::fake_server;
use provspec::ironic::fake::{FakeIronic, FakeIronicConfig, server};

/// Serves provspec's fake OpenStack Ironic 39 over HTTP, with a control API (fault rules,
/// the requests received) under /_provspec/.
#[derive(Parser, Debug)]
#[command(name = "fake-ironic", version)]
struct Cli {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:6385")]
    listen: SocketAddr,
    /// An accepted http_basic login as USER:PASSWORD; repeat for more. None: noauth. Prefer
    /// the environment variable: a command line is visible to every user of the machine (`ps`).
    #[arg(
        long = "user",
        value_name = "USER:PASSWORD",
        env = "PROVSPEC_FAKE_USER",
        hide_env_values = true
    )]
    users: Vec<String>,
    /// How long asynchronous provision and power actions take to settle.
    #[arg(long, value_name = "MILLISECONDS", default_value_t = 100)]
    transition_delay_ms: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let users = match fake_server::parse_users(&cli.users) {
        Ok(users) => users,
        Err(e) => {
            eprintln!("fake-ironic: {e}");
            return ExitCode::from(2);
        }
    };
    fake_server::init_tracing();
    let delay = Duration::from_millis(cli.transition_delay_ms);
    fake_server::serve_until_signal("fake-ironic", cli.listen, |listener, bound, shutdown| {
        let fake = FakeIronic::new(FakeIronicConfig {
            users: if users.is_empty() { None } else { Some(users) },
            transition_delay: delay,
            base_url: format!("http://{bound}"),
        });
        server::serve(listener, fake, shutdown)
    })
}
