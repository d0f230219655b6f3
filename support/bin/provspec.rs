//! `provspec`: provspec's command line.
//!
//! `provspec run [PATH...] [options]` runs feature files with the built-in steps, from any
//! folder: the features and settings of the nearest `provspec.toml` (see README), or
//! `./features` on the embedded fake Cobbler. `provspec run --help` lists every option.
//!
//! `provspec sweep [server options] (--run-id ID | --older-than DURATION) [--dry-run]` removes
//! what runs left on a server (a killed run, a cancelled CI job): every item whose name carries
//! the marker of the run chosen, children before parents, and never an item without a marker.
//! It takes the feature runner's server options and environment variables. Exit status: 0 when
//! everything selected was removed (or listed, with `--dry-run`), 1 when something could not be
//! removed, 2 for usage and connection errors.
//!
//! `provspec serve NAME [--env-file PATH] [--set KEY=VALUE]…` starts the server NAME of
//! `servers/servers.toml` as a scenario would (a free port, another on a clash, its readiness
//! check), writes `SERVER_URL=…` and `SERVER_PORT=…` (and the login) to the env file, and keeps
//! it until SIGTERM or SIGINT, when it stops it with its process group. Exit 0 then; 1 when the
//! server ended on its own (its logs kept and their last lines printed); 2 when it did not start.

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use clap::{ArgGroup, Args, Parser, Subcommand};
use provspec::options::{ServerOptions, parse_run_id};
use provspec::sweep::{self, Selection};

/// provspec: behaviour-driven tests for provisioning servers (Cobbler, Ironic).
#[derive(Parser, Debug)]
#[command(name = "provspec", version, subcommand_required = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Runs feature files with the built-in steps: PATHs, or provspec.toml's features, or
    /// ./features (`provspec run --help` for every option).
    #[command(disable_help_flag = true)]
    Run {
        /// The feature runner's arguments.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
    },
    /// Removes the items runs left on a server: one run's (--run-id) or every run older than an
    /// age (--older-than). Only names carrying a run marker (`web-01--tf2k9qx7-4`) are touched.
    Sweep(SweepArgs),
    /// Starts a server of servers/servers.toml on a free port and keeps it until SIGTERM or
    /// SIGINT; its address goes to --env-file (SERVER_URL=…, SERVER_PORT=…).
    Serve(ServeArgs),
    /// Sends provspec's differential probe (a few hundred calls covering every method and
    /// fault the fake implements) to a server and to the embedded fake, and prints each answer
    /// that differs, side by side. Exit 0 only when none does.
    Conformance(ConformanceArgs),
    /// Joins the reports of a run's parts (`provspec run --shard K/N` on several machines)
    /// into one: JUnit XML, Cucumber JSON or manifests, one kind per call. Fails, naming it,
    /// on a scenario that ran in two parts; manifests also on a missing part or a scenario no
    /// part ran.
    Merge(MergeArgs),
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  \
      provspec merge --junit run.xml part-1.xml part-2.xml part-3.xml
  \
      provspec merge --manifest run.json part-*.manifest.json")]
#[command(group(ArgGroup::new("kind").required(true).args(["junit", "cucumber_json", "manifest"])))]
struct MergeArgs {
    /// Join JUnit XML reports into OUT.
    #[arg(long, value_name = "OUT")]
    junit: Option<std::path::PathBuf>,
    /// Join Cucumber JSON reports into OUT.
    #[arg(long = "cucumber-json", value_name = "OUT")]
    cucumber_json: Option<std::path::PathBuf>,
    /// Join run manifests into OUT (every part must be there, every scenario run once).
    #[arg(long, value_name = "OUT")]
    manifest: Option<std::path::PathBuf>,
    /// The parts' reports.
    #[arg(required = true, value_name = "PART")]
    parts: Vec<std::path::PathBuf>,
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
      provspec conformance --backend cobbler --url http://127.0.0.1:25151/\n  \
      COBBLER_PASSWORD_FILE=~/.cobbler-pass provspec conformance --backend cobbler --url http://cobbler.example:25151/ --boot-dir /srv/provspec-boot")]
struct ConformanceArgs {
    #[command(flatten)]
    server: ServerOptions,
    /// A probe of your own instead of the shipped ones (same syntax: see
    /// support/cobbler/conformance.probe); repeat for several, run in order.
    #[arg(long, value_name = "FILE")]
    probe: Vec<std::path::PathBuf>,
    /// Also print every call whose answers agree.
    #[arg(long)]
    show_all: bool,
}

#[derive(Args, Debug)]
#[command(
    after_help = "Example:\n  provspec serve fake-cobbler --env-file /tmp/fake.env &   # then: . /tmp/fake.env"
)]
struct ServeArgs {
    /// The server's name in the definitions.
    name: String,
    /// The definitions file; by default provspec.toml's `servers`, else
    /// servers/servers.toml in the project's folder, else the built-in definitions.
    #[arg(long, value_name = "PATH")]
    definitions: Option<std::path::PathBuf>,
    /// Write SERVER_URL, SERVER_PORT (and SERVER_USER, SERVER_PASSWORD) here, mode 600, once it
    /// is ready.
    #[arg(long, value_name = "PATH")]
    env_file: Option<std::path::PathBuf>,
    /// A placeholder value for the definition's templates (e.g. name=…). The password comes
    /// from PROVSPEC_SERVE_PASSWORD rather than `--set password=…`: a command line is visible to
    /// every user of the machine (`ps`).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    values: Vec<(String, String)>,
    /// Where its logs go (a new temporary directory by default; removed at a clean stop).
    #[arg(long, value_name = "DIR")]
    logs: Option<std::path::PathBuf>,
}

fn parse_key_value(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| format!("expected KEY=VALUE, got {text:?}"))
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
      provspec sweep --backend cobbler --url http://cobbler.example:25151/ --run-id tf2k9qx7\n  \
      provspec sweep --backend ironic --ironic-url http://ironic.example:6385 --older-than 2h --dry-run")]
#[command(group(ArgGroup::new("selection").required(true).args(["run_id", "older_than"])))]
struct SweepArgs {
    #[command(flatten)]
    server: ServerOptions,
    /// Sweep this run: the id the runner printed (`provspec: run tf2k9qx7`), or one chosen by
    /// hand with the runner's --run-id.
    #[arg(long, value_name = "ID", value_parser = parse_run_id)]
    run_id: Option<String>,
    /// Sweep every run that started longer ago than DURATION (90s, 30m, 2h, 1d), as its run
    /// id tells; runs with an id chosen by hand carry no start time and are only listed.
    #[arg(long, value_name = "DURATION", value_parser = sweep::parse_duration)]
    older_than: Option<Duration>,
    /// List what would be removed and remove nothing.
    #[arg(long)]
    dry_run: bool,
}

/// `provspec merge`: one kind of report from every part, written to its OUT.
fn run_merge(args: MergeArgs) -> ExitCode {
    use provspec::world::runner::merge;
    let (out, joined) = match (&args.junit, &args.cucumber_json, &args.manifest) {
        (Some(out), _, _) => (out, merge::junit(&args.parts)),
        (_, Some(out), _) => (out, merge::cucumber_json(&args.parts)),
        (_, _, Some(out)) => (out, merge::manifests(&args.parts)),
        _ => unreachable!("clap requires one of --junit, --cucumber-json, --manifest"),
    };
    let written = joined.map_err(|e| e.to_string()).and_then(|text| {
        std::fs::write(out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))
    });
    match written {
        Ok(()) => {
            eprintln!(
                "provspec merge: {} part(s) joined into {}",
                args.parts.len(),
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("provspec merge: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Exit status for a usage, connection or listing error.
const USAGE: u8 = 2;

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Run { args } => {
            // Its users write no Rust: an undefined step points at the catalogue instead.
            provspec::world::hints::offer_snippets(false);
            provspec::world::runner::main_with_args(
                "provspec run",
                std::iter::once("provspec run".into()).chain(args).collect(),
                provspec::world::step_definitions::Steps::built_in(),
            )
        }
        Command::Sweep(args) => run_sweep(args),
        Command::Serve(args) => run_serve(args),
        Command::Conformance(args) => run_conformance(args),
        Command::Merge(args) => run_merge(args),
    }
}

/// The multi-threaded runtime `serve` and `conformance` run on (a server and a client at once).
fn two_worker_runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))
}

fn run_serve(args: ServeArgs) -> ExitCode {
    let fail = |message: String| {
        eprintln!("provspec serve: {message}");
        ExitCode::from(USAGE)
    };
    let bin_dir = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(std::path::Path::to_owned))
        .unwrap_or_default();
    let cwd = std::env::current_dir().unwrap_or_default();
    let project = match provspec::world::runner::setup::find_project(&cwd) {
        Ok(project) => project,
        Err(message) => return fail(message),
    };
    let layout = provspec::world::runner::setup::layout_for(project.as_ref(), cwd);
    let definitions = args.definitions.or_else(|| layout.servers_file());
    let root = layout.root;
    let logs = match args.logs {
        Some(dir) => dir,
        None => match tempfile::Builder::new().prefix("provspec-serve-").tempdir() {
            Ok(dir) => dir.keep(),
            Err(e) => return fail(format!("cannot make a log directory: {e}")),
        },
    };
    let runtime = match two_worker_runtime() {
        Ok(runtime) => runtime,
        Err(e) => return fail(e),
    };
    runtime.block_on(async {
        let mut signals = match provspec::interrupt::StopSignals::install() {
            Ok(signals) => signals,
            Err(e) => return fail(format!("cannot catch SIGINT and SIGTERM: {e}")),
        };
        let mut values = args.values;
        if values.iter().any(|(key, _)| key == "password") {
            eprintln!(
                "provspec serve: a password on the command line is visible to every user of this machine (ps); set PROVSPEC_SERVE_PASSWORD instead"
            );
        } else if let Ok(password) = std::env::var("PROVSPEC_SERVE_PASSWORD") {
            values.push(("password".to_owned(), password));
        }
        let request = provspec::servers::serve::ServeRequest {
            definitions,
            name: args.name,
            values,
            logs,
            env_file: args.env_file,
            bin_dir,
            root,
        };
        let stop = async move {
            signals.next().await;
        };
        match provspec::servers::serve::serve(request, stop).await {
            Ok(provspec::servers::serve::Served::Stopped) => ExitCode::SUCCESS,
            Ok(provspec::servers::serve::Served::Ended(why)) => {
                eprintln!("provspec serve: {why}");
                ExitCode::FAILURE
            }
            Err(e) => fail(e),
        }
    })
}

fn run_sweep(args: SweepArgs) -> ExitCode {
    let fail = |message: String| {
        eprintln!(
            "provspec sweep: {}",
            provspec::http::hide_userinfo(&message)
        );
        ExitCode::from(USAGE)
    };
    let selection = match (args.run_id, args.older_than) {
        (Some(run_id), _) => Selection::Run(run_id),
        (None, Some(age)) => Selection::OlderThan(age),
        (None, None) => unreachable!("clap requires --run-id or --older-than"),
    };
    let choice = match args.server.choice() {
        Ok(choice) => choice,
        Err(e) => return fail(e),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail(format!("cannot start the runtime: {e}")),
    };
    runtime.block_on(async {
        let connector = match provspec::backends::connect(choice).await {
            Ok(connector) => connector,
            Err(e) => return fail(e),
        };
        let printed = sweep::sweep(connector.as_ref(), &selection, args.dry_run, |entry| {
            println!("{entry}");
            let _ = std::io::stdout().flush();
        })
        .await;
        connector.close();
        match printed {
            Err(e @ sweep::Error::EmbeddedFake { .. }) => fail(format!(
                "{e}; point --backend at a server (cobbler with --url, ironic with --ironic-url)"
            )),
            Err(e) => fail(e.to_string()),
            Ok(report) => {
                println!("{}", report.summary());
                if report.is_complete() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
        }
    })
}

fn run_conformance(args: ConformanceArgs) -> ExitCode {
    let fail = |message: String| {
        eprintln!(
            "provspec conformance: {}",
            provspec::http::hide_userinfo(&message)
        );
        ExitCode::from(USAGE)
    };
    let choice = match args.server.choice() {
        Ok(choice) => choice,
        Err(e) => return fail(e),
    };
    let mut probes = Vec::new();
    for path in &args.probe {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => return fail(format!("cannot read {}: {e}", path.display())),
        };
        match provspec::conformance::Probe::parse(&path.display().to_string(), &text) {
            Ok(probe) => probes.push(probe),
            Err(e) => return fail(e.to_string()),
        }
    }
    let probes = (!probes.is_empty()).then_some(probes);
    let runtime = match two_worker_runtime() {
        Ok(runtime) => runtime,
        Err(e) => return fail(e),
    };
    let run_id = provspec::naming::new_run_id();
    runtime.block_on(async {
        println!(
            "provspec conformance: run {run_id}: the embedded fake and {}",
            args.server.server_flags()
        );
        // The server's own up-front check: a wrong URL or password ends here, in seconds.
        match provspec::backends::connect(choice.clone()).await {
            Ok(connector) => connector.close(),
            Err(e) => return fail(e),
        }
        let compared =
            match provspec::backends::conformance(&choice, probes.as_deref(), &run_id).await {
                Ok(compared) => compared,
                Err(e) => {
                    sweep_after(choice, &run_id).await;
                    return fail(e);
                }
            };
        for comparison in &compared {
            if args.show_all || !comparison.agrees() {
                println!("{comparison}");
            }
        }
        let left = sweep_after(choice, &run_id).await;
        println!("{}", provspec::conformance::report::summary(&compared));
        if left > 0 {
            println!(
                "the probe left {left} item(s) on the server (removed now): it must remove what it creates"
            );
        }
        if compared.iter().all(|c| c.agrees()) && left == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    })
}

/// Removes whatever the probe left on the server; how many items that was.
async fn sweep_after(choice: provspec::backends::Choice, run_id: &str) -> usize {
    let connector = match provspec::backends::connect(choice).await {
        Ok(connector) => connector,
        Err(e) => {
            eprintln!("provspec conformance: cannot sweep run {run_id}: {e}");
            return 0;
        }
    };
    let selection = Selection::Run(run_id.to_owned());
    let swept = sweep::sweep(connector.as_ref(), &selection, false, |entry| {
        println!("{entry}");
    })
    .await;
    connector.close();
    match swept {
        Ok(report) => report.removed().count() + report.failed().count(),
        Err(e) => {
            eprintln!("provspec conformance: cannot sweep run {run_id}: {e}");
            0
        }
    }
}
