//! The feature suite: `cargo test --test cucumber` runs `features/` on the embedded fake;
//! `-- --backend cobbler --url … --user … --password …` (or PROVSPEC_BACKEND, COBBLER_URL,
//! COBBLER_USER, COBBLER_PASSWORD) runs the same features against a Cobbler over HTTP.

#[path = "../steps/mod.rs"]
mod steps;
#[path = "../world/mod.rs"]
mod world;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use cucumber::writer::Stats as _;
use cucumber::{World as _, cli};
use provspec::boot_files::BootFiles;
use provspec::naming::{new_run_id, run_marker};
use provspec::preflight;
use provspec::session::Credentials;

use world::ProvWorld;
use world::backend::{Backend, RunConfig, install};
use world::hooks::{backend_skip_reason, clean_up_after, cleanup_failures};

/// provspec's own options, after cucumber's.
#[derive(clap::Args, Debug)]
struct ProvspecCli {
    /// Which server the features run against: `fake` (embedded, default) or `cobbler`.
    #[arg(long, env = "PROVSPEC_BACKEND", default_value = "fake", value_parser = ["fake", "cobbler"])]
    backend: String,
    /// The Cobbler XML-RPC URL, e.g. http://127.0.0.1:25151/ (backend cobbler).
    #[arg(long, env = "COBBLER_URL")]
    url: Option<String>,
    /// The Cobbler user (backend cobbler).
    #[arg(long, env = "COBBLER_USER", default_value = "cobbler")]
    user: String,
    /// The Cobbler password (backend cobbler); prefer the environment variable.
    #[arg(
        long,
        env = "COBBLER_PASSWORD",
        hide_env_values = true,
        default_value = "cobbler"
    )]
    password: String,
    /// This run's id (1 to 12 lower-case letters or digits), part of every real name; random
    /// when not given. A script can then look for leftovers named `*--ID-*`.
    #[arg(long, env = "PROVSPEC_RUN_ID", value_parser = parse_run_id)]
    run_id: Option<String>,
    /// A directory on the server holding vmlinuz, initrd.img and bzImage, for a server on
    /// another machine. Without it, provspec writes them to a temporary directory here.
    #[arg(long, env = "PROVSPEC_BOOT_DIR")]
    boot_dir: Option<PathBuf>,
}

fn main() -> ExitCode {
    init_tracing();
    world::hooks::runtime().block_on(run())
}

async fn run() -> ExitCode {
    let mut opts = cli::Opts::<
        cucumber::parser::basic::Cli,
        cucumber::runner::basic::Cli,
        cucumber::writer::basic::Cli,
        ProvspecCli,
    >::parsed();
    let run_id = opts.custom.run_id.clone().unwrap_or_else(new_run_id);
    let backend = match backend(&opts.custom).await {
        Ok(backend) => backend,
        Err(message) => {
            eprintln!("provspec: {message}");
            return ExitCode::from(2);
        }
    };
    let boot_files = match &opts.custom.boot_dir {
        Some(dir) => BootFiles::remote(dir),
        None => match BootFiles::create_local() {
            Ok(files) => files,
            Err(e) => {
                eprintln!("provspec: cannot write the dummy kernel and initrd: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let backend_name = backend.name();
    let is_fake = backend.is_fake();
    if !is_fake && opts.runner.concurrency.is_none() {
        // On a real server MAC, IP and DNS names are global: scenarios that share a
        // Background would refuse each other's addresses. `--concurrency N` overrides.
        opts.runner.concurrency = Some(1);
    }
    let config = install(RunConfig {
        backend,
        run_id: run_id.clone(),
        boot_dir: boot_files.dir().to_owned(),
    });
    println!(
        "provspec: run {run_id} on the {backend_name} backend ({}); real names end in {}N",
        config.backend.endpoint(),
        run_marker(&run_id)
    );

    let skipped = Arc::new(AtomicUsize::new(0));
    let skipped_in_filter = skipped.clone();
    let writer = ProvWorld::cucumber()
        .fail_on_skipped()
        .after(clean_up_after)
        .with_cli(opts)
        .filter_run(
            concat!(env!("CARGO_MANIFEST_DIR"), "/features"),
            move |feature, rule, scenario| {
                let tags: Vec<String> = feature
                    .tags
                    .iter()
                    .chain(rule.map(|r| r.tags.iter()).into_iter().flatten())
                    .chain(scenario.tags.iter())
                    .cloned()
                    .collect();
                match backend_skip_reason(&tags, is_fake) {
                    None => true,
                    Some(reason) => {
                        skipped_in_filter.fetch_add(1, Ordering::SeqCst);
                        println!(
                            "provspec: skipped on the {backend_name} backend: {:?} ({reason})",
                            scenario.name
                        );
                        false
                    }
                }
            },
        )
        .await;

    drop(boot_files);
    let stats = writer.scenarios_stats();
    let skipped_by_tag = skipped.load(Ordering::SeqCst);
    println!(
        "provspec: {skipped_by_tag} scenario(s) skipped by backend tag on the {backend_name} backend"
    );
    let cleanup_failed = cleanup_failures();
    if cleanup_failed > 0 {
        println!(
            "provspec: {cleanup_failed} cleanup action(s) failed; the server may hold leftovers of run {run_id}"
        );
    }
    let failed = stats.failed + writer.parsing_errors() + writer.hook_errors();
    println!("provspec: {} passed, {failed} failed", stats.passed);
    if writer.execution_has_failed() || cleanup_failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The backend the options name; for a Cobbler, checked up front: one clear message, fast.
async fn backend(cli: &ProvspecCli) -> Result<Backend, String> {
    if cli.backend == "fake" {
        return Ok(Backend::EmbeddedFake { shared: None });
    }
    let url = cli
        .url
        .as_deref()
        .ok_or("the cobbler backend needs a URL: set COBBLER_URL or pass --url (e.g. http://127.0.0.1:25151/)")?;
    let credentials = Credentials::new(cli.user.clone(), cli.password.clone());
    let transport = preflight::connect(url, &credentials, preflight::PREFLIGHT_BUDGET).await?;
    Ok(Backend::Cobbler {
        transport,
        credentials,
    })
}

fn parse_run_id(text: &str) -> Result<String, String> {
    let valid = (1..=12).contains(&text.len())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if valid {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "{text:?} is not a run id: use 1 to 12 lower-case letters or digits"
        ))
    }
}

/// Logs to stderr when RUST_LOG is set (e.g. RUST_LOG=provspec=debug).
fn init_tracing() {
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .try_init();
    }
}
