//! The feature suite: `cargo test --test cucumber` runs `features/` on the embedded fake
//! Cobbler; `-- --backend NAME` (or PROVSPEC_BACKEND) picks another backend: `cobbler`
//! (COBBLER_URL, COBBLER_USER, COBBLER_PASSWORD), `fake-ironic` (embedded), `ironic`
//! (IRONIC_URL, and IRONIC_USER / IRONIC_PASSWORD for http_basic).

#[path = "../steps/mod.rs"]
mod steps;
#[path = "../world/mod.rs"]
mod world;

use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use cucumber::tag::Ext as _;
use cucumber::writer::Stats as _;
use cucumber::{World as _, WriterExt as _, cli, writer};
use provspec::backends;
use provspec::naming::{new_run_id, run_marker};
use provspec::options::{ServerOptions, parse_run_id};

use world::ProvWorld;
use world::backend::{RunConfig, install};
use world::hints::check_steps_before;
use world::hooks::{backend_skip_reason, clean_up_after, cleanup_failures, scenario_tally};

/// provspec's own options, after cucumber's. Its `Debug` never shows the passwords.
#[derive(clap::Args, Debug)]
struct ProvspecCli {
    #[command(flatten)]
    server: ServerOptions,
    /// Skip the check, after a run on a server, that nothing carrying the run's marker is left.
    #[arg(long)]
    no_leak_check: bool,
    /// This run's id (1 to 12 lower-case letters or digits), part of every real name; random
    /// when not given. A script can then look for leftovers named `*--ID-*`.
    #[arg(long, env = "PROVSPEC_RUN_ID", value_parser = parse_run_id)]
    run_id: Option<String>,
    /// Print every step the runner knows (keyword, phrase, doc comment, file and line) and
    /// exit: `text` (default) or `markdown` (the form kept in docs/steps.md).
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, default_missing_value = "text", value_parser = ["text", "markdown"])]
    list_steps: Option<String>,
    /// Also write a JUnit XML report of the run to PATH (for CI).
    #[arg(long, value_name = "PATH")]
    junit: Option<PathBuf>,
    /// Also write a Cucumber JSON report of the run to PATH.
    #[arg(long = "cucumber-json", value_name = "PATH")]
    cucumber_json: Option<PathBuf>,
    /// Let a run pass when the filters (--name, --tags) select no scenario at all; without
    /// it, an empty selection fails the run (a typo must not keep CI green).
    #[arg(long)]
    allow_empty: bool,
}

fn main() -> ExitCode {
    init_tracing();
    world::hooks::runtime().block_on(run())
}

async fn run() -> ExitCode {
    let mut opts = cli::Opts::<
        cucumber::parser::basic::Cli,
        cucumber::runner::basic::Cli,
        _,
        ProvspecCli,
    >::parsed();
    if let Some(format) = &opts.custom.list_steps {
        print!(
            "{}",
            match format.as_str() {
                "markdown" => world::catalogue::render_markdown(),
                _ => world::catalogue::render_text(),
            }
        );
        return ExitCode::SUCCESS;
    }
    let input = input_pattern().unwrap_or_else(|| features_dir().display().to_string());
    let problems = world::feature_files::problems(&input, &world::crate_root());
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("provspec: {problem}");
        }
        eprintln!(
            "provspec: {} problem(s) in the feature files; nothing was run",
            problems.len()
        );
        return ExitCode::from(2);
    }
    let run_id = opts.custom.run_id.clone().unwrap_or_else(new_run_id);
    let connector = match async { backends::connect(opts.custom.server.choice()?).await }.await {
        Ok(connector) => connector,
        Err(message) => {
            eprintln!("provspec: {message}");
            return ExitCode::from(2);
        }
    };
    let backend_name = connector.name();
    if opts.runner.concurrency.is_none() {
        // On a real server names and addresses are global: scenarios that share a
        // Background would refuse each other's. `--concurrency N` overrides.
        opts.runner.concurrency = connector.default_concurrency();
    }
    let config = install(RunConfig {
        connector,
        run_id: run_id.clone(),
    });
    eprintln!(
        "provspec: run {run_id} on the {backend_name} backend ({}); real names end in {}N",
        config.connector.endpoint(),
        run_marker(&run_id)
    );

    // cucumber applies `--name` and `--tags` *instead of* a run's own filter: take them here
    // and apply them together with the backend's, so that both hold.
    let name_filter = opts.re_filter.take();
    let tags_filter = opts.tags_filter.take();
    let selected = Arc::new(AtomicUsize::new(0));
    let skipped = Arc::new(AtomicUsize::new(0));
    let (selected_in_filter, skipped_in_filter) = (selected.clone(), skipped.clone());
    let allow_empty = opts.custom.allow_empty;
    let no_leak_check = opts.custom.no_leak_check;
    let reports = match Reports::open(&opts.custom) {
        Ok(reports) => reports,
        Err(message) => {
            eprintln!("provspec: {message}");
            return ExitCode::from(2);
        }
    };
    let writer = ProvWorld::cucumber()
        .with_writer(reports.writer())
        .fail_on_skipped()
        .before(check_steps_before)
        .after(clean_up_after)
        .with_cli(opts)
        .filter_run(features_dir(), move |feature, rule, scenario| {
            let tags: Vec<String> = feature
                .tags
                .iter()
                .chain(rule.map(|r| r.tags.iter()).into_iter().flatten())
                .chain(scenario.tags.iter())
                .cloned()
                .collect();
            let named = name_filter
                .as_ref()
                .is_none_or(|re| re.is_match(&scenario.name));
            let tagged = tags_filter
                .as_ref()
                .is_none_or(|expression| expression.eval(tags.iter()));
            if !(named && tagged) {
                return false;
            }
            selected_in_filter.fetch_add(1, Ordering::SeqCst);
            match backend_skip_reason(&feature.tags, &tags, config.connector.as_ref()) {
                None => true,
                Some(reason) => {
                    skipped_in_filter.fetch_add(1, Ordering::SeqCst);
                    eprintln!(
                        "provspec: skipped on the {backend_name} backend: {:?} ({reason})",
                        scenario.name
                    );
                    false
                }
            }
        })
        .await;

    let leftovers = if no_leak_check {
        0
    } else {
        leak_check(config, &run_id).await
    };
    config.connector.close();
    let (passed, failed_scenarios) = scenario_tally();
    let skipped_by_tag = skipped.load(Ordering::SeqCst);
    eprintln!(
        "provspec: {skipped_by_tag} scenario(s) skipped by backend tag on the {backend_name} backend"
    );
    let cleanup_failed = cleanup_failures();
    if cleanup_failed > 0 {
        eprintln!(
            "provspec: {cleanup_failed} cleanup action(s) failed; the server may hold leftovers of run {run_id}"
        );
    }
    let ran = passed + failed_scenarios;
    let empty_failed = ran == 0 && writer.parsing_errors() == 0 && !allow_empty;
    if empty_failed {
        let why = if selected.load(Ordering::SeqCst) == 0 {
            "no scenario matches the filters (--name, --tags)"
        } else {
            "every scenario the filters select is skipped on this backend (see above)"
        };
        eprintln!(
            "provspec: no scenario ran: {why} in {input}; check them, or pass --allow-empty to let an empty run pass"
        );
    }
    // A failed before hook is already a failed scenario in the tally.
    let failed = failed_scenarios + writer.parsing_errors();
    eprintln!("provspec: {passed} passed, {failed} failed");
    if writer.execution_has_failed() || cleanup_failed > 0 || leftovers > 0 || empty_failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// A report written alongside the terminal output (its stats and free text are the
/// terminal's).
type Report<Wr> = writer::discard::Arbitrary<writer::discard::Stats<Wr>>;

/// The terminal writer with the JUnit and Cucumber JSON reports teed off it.
type ReportingWriter = writer::Tee<
    writer::Tee<
        writer::libtest::OrBasic<ProvWorld>,
        Report<writer::Normalize<ProvWorld, writer::JUnit<ProvWorld, Box<dyn Write>>>>,
    >,
    Report<writer::Normalize<ProvWorld, writer::Json<Box<dyn Write>>>>,
>;

/// Where the reports go: files named by `--junit` and `--cucumber-json`, or nowhere.
struct Reports {
    junit: Box<dyn Write>,
    cucumber_json: Box<dyn Write>,
}

impl Reports {
    /// Creates the report files the options name (an unwritable path is one clear message).
    fn open(cli: &ProvspecCli) -> Result<Self, String> {
        let open = |path: &Option<PathBuf>, what: &str| -> Result<Box<dyn Write>, String> {
            match path {
                None => Ok(Box::new(io::sink())),
                Some(path) => File::create(path)
                    .map(|file| Box::new(io::BufWriter::new(file)) as Box<dyn Write>)
                    .map_err(|e| {
                        format!("cannot write the {what} report to {}: {e}", path.display())
                    }),
            }
        };
        Ok(Self {
            junit: open(&cli.junit, "JUnit")?,
            cucumber_json: open(&cli.cucumber_json, "Cucumber JSON")?,
        })
    }

    /// The terminal output (cucumber's own, or libtest's with `--format json` for IDEs),
    /// with the JUnit and Cucumber JSON reports written alongside, each in feature order.
    fn writer(self) -> ReportingWriter {
        writer::Libtest::or_basic()
            .tee::<ProvWorld, _>(
                writer::JUnit::new(self.junit, 0)
                    .discard_stats_writes()
                    .discard_arbitrary_writes(),
            )
            .tee::<ProvWorld, _>(
                writer::Json::new::<ProvWorld>(self.cucumber_json)
                    .discard_stats_writes()
                    .discard_arbitrary_writes(),
            )
    }
}

/// The `--input` (`-i`) pattern given on the command line, if any (cucumber keeps its own copy
/// private): `--input P`, `--input=P`, `-i P`, `-iP`, `-i=P`.
fn input_pattern() -> Option<String> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--input" || arg == "-i" {
            return args.next();
        }
        if let Some(value) = arg
            .strip_prefix("--input=")
            .or_else(|| arg.strip_prefix("-i"))
        {
            return Some(value.strip_prefix('=').unwrap_or(value).to_owned());
        }
    }
    None
}

/// The features beside the crate being tested, found at run time, so a copied or cached build
/// runs the checkout's features. `--input` overrides it.
fn features_dir() -> PathBuf {
    world::crate_root().join("features")
}

/// On a server over the network, lists what still carries the run's marker after every
/// scenario cleaned up, prints it, and returns how many there are (an embedded fake lives and
/// dies with its scenario, so there is nothing to look at).
async fn leak_check(config: &RunConfig, run_id: &str) -> usize {
    if config.connector.is_embedded_fake() {
        return 0;
    }
    match config
        .connector
        .open()
        .list_marked(&run_marker(run_id))
        .await
    {
        Ok(left) if left.is_empty() => 0,
        Ok(left) => {
            let names: Vec<String> = left
                .iter()
                .map(|(kind, name)| format!("{kind} {name}"))
                .collect();
            eprintln!(
                "provspec: {} item(s) of run {run_id} are still on the server: {}",
                left.len(),
                names.join(", ")
            );
            left.len()
        }
        Err(e) => {
            eprintln!("provspec: could not check the server for leftovers of run {run_id}: {e}");
            1
        }
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
