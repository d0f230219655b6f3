//! The feature runner: reads the options and the feature files, starts the run's shards on
//! the chosen backend, stops them on a signal or a dead server, checks for leftovers, writes
//! the reports and the manifest, and sums up. `tests/cucumber.rs` and `provspec run` call
//! [`main`] with their steps.

pub mod cucumber_json;
pub mod ending;
pub mod filter;
pub mod html;
pub mod html_page;
pub mod junit;
pub mod merge;
pub mod options;
pub mod progress;
pub mod report_file;
pub mod reports;
pub mod rerun;
pub mod setup;
pub mod split;
pub mod terminal;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use cucumber::writer::Stats as _;
use cucumber::{World as _, cli};

use crate::backends;
use crate::calls::log_capture::ScenarioLogCapture;
use crate::calls::{breaker, in_flight};
use crate::interrupt::StopSignals;
use crate::naming::{new_run_id, run_marker};
use crate::world::ProvWorld;
use crate::world::backend::{RunConfig, install};
use crate::world::cleanup;
use crate::world::hooks::{clean_up_after, cleanup_failures, prepare_before, scenario_tally};
use crate::world::manifest::{self, ScenarioStatus};
use crate::world::shards;
use crate::world::step_definitions::{self, Steps};
use crate::world::step_timeout::timed_collection;

use ending::{Ending, Stop};
use filter::ScenarioFilter;
use options::{RunOptions, take_inputs};
use reports::{ReportingWriter, Reports};

/// The command line: cucumber's options, then provspec's.
pub type Opts = cli::Opts<
    cucumber::parser::basic::Cli,
    cucumber::runner::basic::Cli,
    <ReportingWriter as cucumber::Writer<ProvWorld>>::Cli,
    RunOptions,
>;

/// Runs the features the command line names with `steps`, and returns the run's exit code:
/// what `tests/cucumber.rs` (the built-in steps) and a crate with steps of its own call.
pub fn main(steps: Steps) -> ExitCode {
    let args = std::env::args_os().collect();
    main_with_args("provspec", args, steps)
}

/// [`main`] on the command line `args` (the program's name first), shown in help and usage
/// messages as `name` (`provspec run`).
pub fn main_with_args(name: &'static str, args: Vec<OsString>, steps: Steps) -> ExitCode {
    let policy = if name == "provspec run" {
        setup::RootPolicy::CurrentFolder
    } else {
        setup::RootPolicy::Crate
    };
    let (input, args) = take_inputs(args);
    let mut parsed = match setup::parse_options(name, args) {
        Ok(parsed) => parsed,
        Err(e) => e.exit(),
    };
    assert!(
        step_definitions::install(steps),
        "the run's steps were installed twice: call the runner once per process"
    );
    if let Some(format) = &parsed.opts.custom.list_steps {
        print!("{}", list_steps(format));
        return ExitCode::SUCCESS;
    }
    let inputs = match setup::prepare(&mut parsed, input, policy) {
        Ok(inputs) => inputs,
        Err(message) => return refuse(&[message]),
    };
    init_tracing();
    crate::world::hooks::runtime().block_on(run(parsed.opts, inputs))
}

/// The run, once the options, the project and the feature inputs are known: each phase below
/// in turn.
async fn run(mut opts: Opts, inputs: Vec<String>) -> ExitCode {
    let features = match read_features(&inputs) {
        Ok(features) => features,
        Err(problems) => return refuse(&problems),
    };
    let signals = match StopSignals::install() {
        Ok(signals) => signals,
        Err(e) => return refuse(&[format!("cannot catch SIGINT and SIGTERM: {e}")]),
    };
    let started = SystemTime::now();
    let run_id = opts.custom.run_id.clone().unwrap_or_else(new_run_id);
    let concurrency_given = opts.runner.concurrency.is_some();
    let config = match connect(&mut opts, &run_id).await {
        Ok(config) => config,
        Err(message) => return refuse(&[message]),
    };
    let ending = Ending {
        config,
        started,
        manifest_path: opts
            .custom
            .manifest
            .clone()
            .unwrap_or_else(|| manifest::default_path(&crate::world::crate_root(), &run_id)),
        no_leak_check: opts.custom.no_leak_check,
        call_timeout: Duration::from_secs_f64(opts.custom.server.call_timeout),
        sweep_command: sweep_command(&opts.custom.server, &run_id),
        cleanup_budget: Duration::from_secs_f64(opts.custom.cleanup_timeout),
    };
    crate::world::evidence::configure(crate::world::evidence::EvidenceSettings {
        artifacts: opts
            .custom
            .artifacts
            .clone()
            .unwrap_or_else(|| crate::world::evidence::default_artifacts(&run_id)),
        server_log: opts.custom.server_log.clone(),
        secrets: opts.custom.server.secrets(),
    });
    let rerun = match rerun_set(&opts.custom) {
        Ok(rerun) => rerun,
        Err(code) => return code,
    };
    let shard = match opts.custom.shard {
        Some(shard) => Some(shard),
        None => match split::RunShard::from_environment(|name| std::env::var(name).ok()) {
            Ok(shard) => shard,
            Err(message) => return refuse(&[message]),
        },
    };
    let selection = Selection::take(&mut opts, rerun, shard);
    if let Some(shard) = shard {
        split::tell_bazel();
        let whole = Selection {
            shard: None,
            ..selection.clone_filters()
        };
        let mut all = whole.filter(config).runs(&features);
        all.sort();
        let ours = selection.filter(config).count_runs(&features);
        eprintln!(
            "provspec: part {shard} of a split run: {ours} of the {} scenario(s) the parts run together",
            all.len()
        );
        manifest::set_shard(manifest::ShardEntry {
            index: shard.index,
            total: shard.total,
            selection: all,
        });
    }
    let title = format!(
        "run {run_id} on the {} backend ({})",
        config.connector.name(),
        config.connector.endpoint()
    );
    let reports = match Reports::open(&opts.custom, selection.skipped_scenarios.clone(), title) {
        Ok(reports) => reports,
        Err(message) => return refuse(&[message]),
    };
    let libtest_json = opts.writer.left.left.left.right.format.is_some();
    let progress = (!libtest_json)
        .then(|| progress::Progress::on_a_terminal(selection.filter(config).count_runs(&features)))
        .flatten()
        .map(Arc::new);
    let reports = reports.with_progress(progress.clone());
    let ticker = progress.map(|p| tokio::spawn(progress::tick(p)));
    let count = shards::count(config.connector.is_embedded_fake(), concurrency_given);
    let shards = match Shards::start(&opts, features, count, &selection, config) {
        Ok(shards) => shards,
        Err(message) => return refuse(&[message]),
    };
    let slow_calls = tokio::spawn(in_flight::report_slow_calls(
        Duration::from_secs(5),
        Duration::from_secs(10),
        |line| eprintln!("provspec: {line}"),
    ));
    let code = match shards.wait(reports, &opts.writer, signals).await {
        Ok(writer) => finish(&ending, &writer, &selection, &inputs.join(", ")).await,
        Err((stop, signals)) => ending.stop(stop, signals).await,
    };
    slow_calls.abort();
    if let Some(ticker) = ticker {
        ticker.abort();
    }
    code
}

/// `--rerun-failed`'s scenarios; the exit code when there is nothing to run (0) or the
/// manifest cannot be read (2).
fn rerun_set(options: &RunOptions) -> Result<Option<rerun::RerunSet>, ExitCode> {
    let Some(path) = &options.rerun_failed else {
        return Ok(None);
    };
    let named = (!path.as_os_str().is_empty()).then_some(path.as_path());
    let runs = manifest::default_path(&crate::world::crate_root(), "x");
    match rerun::read(named, runs.parent().unwrap_or(&runs)) {
        Ok(set) if set.scenarios.is_empty() => {
            eprintln!(
                "provspec: every scenario of run {} passed ({}): nothing to rerun",
                set.run_id,
                set.manifest.display()
            );
            Err(ExitCode::SUCCESS)
        }
        Ok(set) => {
            eprintln!(
                "provspec: rerunning the {} scenario(s) run {} did not pass ({})",
                set.scenarios.len(),
                set.run_id,
                set.manifest.display()
            );
            Ok(Some(set))
        }
        Err(message) => Err(refuse(&[message])),
    }
}

/// Prints each problem and gives the exit code of a run that could not start (2).
fn refuse(problems: &[String]) -> ExitCode {
    for problem in problems {
        eprintln!("provspec: {problem}");
    }
    ExitCode::from(2)
}

/// The step catalogue in `format` (`markdown`, else text).
fn list_steps(format: &str) -> String {
    match format {
        "markdown" => crate::world::catalogue::render_markdown(),
        _ => crate::world::catalogue::render_text(),
    }
}

/// Every feature file the inputs name, each parsed once (checked here, then handed to
/// cucumber), or every problem found in them.
fn read_features(inputs: &[String]) -> Result<Vec<cucumber::gherkin::Feature>, Vec<String>> {
    let (mut features, mut problems) = (Vec::new(), Vec::new());
    for pattern in inputs {
        let (found, wrong) =
            crate::world::feature_files::load(pattern, &crate::world::crate_root());
        features.extend(found);
        problems.extend(wrong);
    }
    if problems.is_empty() {
        return Ok(features);
    }
    let count = problems.len();
    problems.push(format!(
        "{count} problem(s) in the feature files; nothing was run"
    ));
    Err(problems)
}

/// The command that sweeps what this run left: `provspec sweep`, or its cargo form when the
/// run itself runs under cargo.
fn sweep_command(server: &crate::options::ServerOptions, run_id: &str) -> String {
    // Under cargo in provspec's own crate its binary is `cargo run --bin provspec`; elsewhere
    // (installed, or a crate of its own) it is `provspec`.
    let program = if std::env::var("CARGO_PKG_NAME").is_ok_and(|name| name == "provspec") {
        "cargo run --bin provspec --"
    } else {
        "provspec"
    };
    format!(
        "{program} sweep {} --run-id {run_id}",
        server.server_flags()
    )
}

/// Connects the chosen backend and installs the run's settings; on a real server, scenarios
/// run one at a time unless `--concurrency` says otherwise.
async fn connect(opts: &mut Opts, run_id: &str) -> Result<&'static RunConfig, String> {
    let connector = backends::connect(opts.custom.server.choice()?).await?;
    if opts.runner.concurrency.is_none() {
        // On a real server names and addresses are global: scenarios that share a
        // Background would refuse each other's. `--concurrency N` overrides.
        opts.runner.concurrency = connector.default_concurrency();
    }
    let config = install(RunConfig {
        connector,
        run_id: run_id.to_owned(),
        step_timeout: Duration::from_secs_f64(opts.custom.step_timeout),
        call_timeout: Duration::from_secs_f64(opts.custom.server.call_timeout),
    });
    eprintln!(
        "provspec: run {run_id} on the {} backend ({}); real names end in {}N",
        config.connector.name(),
        config.connector.endpoint(),
        run_marker(run_id)
    );
    Ok(config)
}

/// What the filters select, counted as the shards run.
struct Selection {
    /// `--name`, taken from cucumber (which would apply it *instead of* the run's filter).
    name: Option<regex::Regex>,
    /// `--tags`, taken likewise.
    tags: Option<cucumber::gherkin::tagexpr::TagOperation>,
    /// Scenarios the filters selected.
    selected: Arc<AtomicUsize>,
    /// Of those, the scenarios the backend's tags skipped.
    skipped: Arc<AtomicUsize>,
    /// Which they were, and why.
    skipped_scenarios: filter::SkippedScenarios,
    /// `--allow-empty`.
    allow_empty: bool,
    /// `--rerun-failed`: the only scenarios to run.
    rerun: Option<Arc<rerun::RerunSet>>,
    /// `--shard K/N` (or the CI's environment): the part of a split run this is.
    shard: Option<split::RunShard>,
}

impl Selection {
    /// Takes `--name` and `--tags` out of cucumber's options, to apply them together with
    /// the backend's tags so that both hold.
    fn take(
        opts: &mut Opts,
        rerun: Option<rerun::RerunSet>,
        shard: Option<split::RunShard>,
    ) -> Self {
        Self {
            rerun: rerun.map(Arc::new),
            shard,
            name: opts.re_filter.take(),
            tags: opts.tags_filter.take(),
            selected: Arc::new(AtomicUsize::new(0)),
            skipped: Arc::new(AtomicUsize::new(0)),
            skipped_scenarios: filter::SkippedScenarios::default(),
            allow_empty: opts.custom.allow_empty,
        }
    }

    /// The same filters, counting apart.
    fn clone_filters(&self) -> Self {
        Self {
            name: self.name.clone(),
            tags: self.tags.clone(),
            selected: Arc::new(AtomicUsize::new(0)),
            skipped: Arc::new(AtomicUsize::new(0)),
            skipped_scenarios: filter::SkippedScenarios::default(),
            allow_empty: self.allow_empty,
            rerun: self.rerun.clone(),
            shard: self.shard,
        }
    }

    /// The filter one shard applies.
    fn filter(&self, config: &'static RunConfig) -> ScenarioFilter {
        ScenarioFilter {
            name: self.name.clone(),
            tags: self.tags.clone(),
            selected: self.selected.clone(),
            skipped: self.skipped.clone(),
            skipped_scenarios: self.skipped_scenarios.clone(),
            rerun: self.rerun.clone(),
            shard: self.shard,
            config,
        }
    }
}

/// The run's shards (one per core on an embedded fake, see world/shards.rs), each a cucumber
/// run on a thread of its own, their events merged into one writer.
struct Shards {
    threads: Vec<std::thread::JoinHandle<()>>,
    count: usize,
    events: tokio::sync::mpsc::UnboundedReceiver<shards::Sent>,
    stop: tokio::sync::watch::Sender<bool>,
}

impl Shards {
    /// Splits `features` into shards and starts each on its thread.
    fn start(
        opts: &Opts,
        features: Vec<cucumber::gherkin::Feature>,
        count: usize,
        selection: &Selection,
        config: &'static RunConfig,
    ) -> Result<Self, String> {
        let (to_writer, events) = tokio::sync::mpsc::unbounded_channel();
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let runtime = tokio::runtime::Handle::current();
        let groups = shards::split(features, count);
        let count = groups.len();
        let mut threads = Vec::new();
        for (number, group) in groups.into_iter().enumerate() {
            let shard_opts = cli::Opts {
                re_filter: None,
                tags_filter: None,
                parser: opts.parser.clone(),
                runner: opts.runner.clone(),
                writer: cli::Empty,
                custom: cli::Empty,
            };
            let filter = selection.filter(config);
            let to_writer = to_writer.clone();
            let mut stopped = stopped.clone();
            let runtime = runtime.clone();
            let thread = std::thread::Builder::new()
                .name(format!("provspec-shard-{number}"))
                .spawn(move || {
                    runtime.block_on(async move {
                        let run = ProvWorld::cucumber::<PathBuf>()
                            .with_parser(shards::Preparsed(group))
                            .steps(timed_collection())
                            .with_writer(shards::Forward::new(to_writer))
                            .fail_on_skipped()
                            .before(prepare_before)
                            .after(clean_up_after)
                            .with_cli(shard_opts)
                            .filter_run(crate::world::crate_root(), move |f, r, s| {
                                filter.selects(f, r, s)
                            });
                        // A stopped run drops the shard's run: every running step is cancelled.
                        tokio::select! {
                            _ = run => {}
                            _ = stopped.wait_for(|stop| *stop) => {}
                        }
                    })
                })
                .map_err(|e| format!("cannot start a thread for the run: {e}"))?;
            threads.push(thread);
        }
        Ok(Self {
            threads,
            count,
            events,
            stop,
        })
    }

    /// Merges the shards' events into the reporting writer until they are done, or until a
    /// signal or a server that stopped answering stops them (then every running step is
    /// cancelled and the threads are joined).
    async fn wait(
        self,
        reports: Reports,
        writer_cli: &<ReportingWriter as cucumber::Writer<ProvWorld>>::Cli,
        mut signals: StopSignals,
    ) -> Result<ReportingWriter, (Stop, StopSignals)> {
        let Self {
            threads,
            count,
            events,
            stop,
        } = self;
        let mut run = Box::pin(shards::merge(reports.writer(), writer_cli, count, events));
        let stopped = tokio::select! {
            writer = &mut run => Ok(writer),
            signal = signals.next() => Err(Stop::Signal(signal)),
            () = breaker::global().opened() => Err(Stop::ServerStopped(Instant::now())),
        };
        if stopped.is_err() {
            // Dropping cucumber's runs cancels every running step and starts no other; the
            // cleanup stacks of the scenarios they held are still listed as pending.
            let _ = stop.send(true);
            drop(run);
        }
        join(threads);
        stopped.map_err(|why| (why, signals))
    }
}

/// Ends a run whose shards finished: unwinds what a hook left pending, checks the server for
/// leftovers, writes the manifest and the summary; the exit code.
async fn finish(
    ending: &Ending,
    writer: &ReportingWriter,
    selection: &Selection,
    input: &str,
) -> ExitCode {
    let config = ending.config;
    // Every scenario's after hook unwound its stack; one the runner never finished (a
    // panicking hook) is unwound here, so nothing is left behind.
    for (label, cleaned) in cleanup::unwind_pending(ending.cleanup_budget, None).await {
        manifest::record(
            &label,
            ScenarioStatus::Failed,
            &cleaned,
            manifest::CallTally::default(),
        );
    }
    let leftovers = ending.leak_check().await;
    config.connector.close();
    let (passed, failed_scenarios) = scenario_tally();
    eprintln!(
        "provspec: {} scenario(s) skipped by backend tag on the {} backend",
        selection.skipped.load(Ordering::SeqCst),
        config.connector.name()
    );
    let (_, _, flaky) = manifest::tally();
    if !flaky.is_empty() {
        eprintln!(
            "provspec: {} scenario(s) passed only on a retry (flaky): {}",
            flaky.len(),
            flaky.join(", ")
        );
    }
    let cleanup_failed = cleanup_failures();
    if cleanup_failed > 0 {
        eprintln!(
            "provspec: {cleanup_failed} cleanup action(s) failed; the server may hold leftovers of run {}; sweep them with: {}",
            config.run_id, ending.sweep_command
        );
    }
    let ran = passed + failed_scenarios;
    // A part of a split run may get no scenario at all (more parts than scenarios).
    let empty_failed = ran == 0
        && writer.parsing_errors() == 0
        && !selection.allow_empty
        && selection.shard.is_none();
    if empty_failed {
        let why = if selection.selected.load(Ordering::SeqCst) == 0 {
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
    let passed_run = !(writer.execution_has_failed()
        || cleanup_failed > 0
        || !leftovers.is_empty()
        || empty_failed);
    ending.write_manifest(if passed_run { "passed" } else { "failed" }, leftovers);
    eprintln!("provspec: {passed} passed, {failed} failed");
    if passed_run {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Waits for the shards' threads to end (each has finished or dropped its run).
fn join(threads: Vec<std::thread::JoinHandle<()>>) {
    for thread in threads {
        if thread.join().is_err() {
            eprintln!("provspec: a thread of the run panicked");
        }
    }
}

/// Captures provspec's own log per scenario (for `Then the log should contain …`), and logs
/// to stderr too when RUST_LOG is set (e.g. RUST_LOG=provspec=debug).
fn init_tracing() {
    use tracing_subscriber::Layer as _;
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let to_stderr = std::env::var_os("RUST_LOG").is_some().then(|| {
        tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_filter(tracing_subscriber::EnvFilter::from_default_env())
    });
    let captured = ScenarioLogCapture.with_filter(
        tracing_subscriber::filter::Targets::new().with_target("provspec", tracing::Level::DEBUG),
    );
    let _ = tracing_subscriber::registry()
        .with(to_stderr)
        .with(captured)
        .try_init();
}
