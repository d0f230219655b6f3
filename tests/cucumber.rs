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
use std::time::{Duration, Instant, SystemTime};

use cucumber::tag::Ext as _;
use cucumber::writer::Stats as _;
use cucumber::{World as _, WriterExt as _, cli, writer};
use provspec::backends;
use provspec::calls::log_capture::ScenarioLogCapture;
use provspec::calls::{breaker, in_flight};
use provspec::interrupt::{StopSignal, StopSignals};
use provspec::naming::{new_run_id, run_marker};
use provspec::options::{ServerOptions, parse_run_id, parse_seconds};

use world::ProvWorld;
use world::backend::{RunConfig, install};
use world::cleanup::{self, Outcome};
use world::hooks::{
    backend_skip_reason, clean_up_after, cleanup_failures, prepare_before, scenario_tally,
};
use world::manifest::{self, Leftover, Manifest, ScenarioStatus};
use world::shards;
use world::step_timeout::{DEFAULT_STEP_TIMEOUT, timed_collection};

use cucumber::gherkin::{Feature, Rule, Scenario};

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
    /// Seconds one step may take before it is cancelled and fails (a scenario tagged
    /// @timeout(N) gets N).
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_STEP_TIMEOUT.as_secs_f64(), value_parser = parse_seconds)]
    step_timeout: f64,
    /// Seconds a stopped run (Ctrl-C, SIGTERM, a server that stopped answering) spends
    /// cleaning up what its running scenarios created before it exits.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, value_parser = parse_seconds)]
    cleanup_timeout: f64,
    /// Where to write the run manifest (JSON: every scenario, what it created and how that
    /// was cleaned up); by default target/provspec-runs/RUN_ID.json.
    #[arg(long, value_name = "PATH")]
    manifest: Option<PathBuf>,
}

fn main() -> ExitCode {
    init_tracing();
    world::hooks::runtime().block_on(run())
}

async fn run() -> ExitCode {
    let mut opts = cli::Opts::<
        cucumber::parser::basic::Cli,
        cucumber::runner::basic::Cli,
        <ReportingWriter as cucumber::Writer<ProvWorld>>::Cli,
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
    // Each file is parsed once: checked here, then handed to cucumber.
    let (features, problems) = world::feature_files::load(&input, &world::crate_root());
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
    let mut signals = match StopSignals::install() {
        Ok(signals) => signals,
        Err(e) => {
            eprintln!("provspec: cannot catch SIGINT and SIGTERM: {e}");
            return ExitCode::from(2);
        }
    };
    let started = SystemTime::now();
    let run_id = opts.custom.run_id.clone().unwrap_or_else(new_run_id);
    let sweep_command = format!(
        "cargo run --bin provspec -- sweep {} --run-id {run_id}",
        opts.custom.server.server_flags()
    );
    let call_timeout = Duration::from_secs_f64(opts.custom.server.call_timeout);
    let connector = match async { backends::connect(opts.custom.server.choice()?).await }.await {
        Ok(connector) => connector,
        Err(message) => {
            eprintln!("provspec: {message}");
            return ExitCode::from(2);
        }
    };
    let backend_name = connector.name();
    let shard_count = shards::count(
        connector.is_embedded_fake(),
        opts.runner.concurrency.is_some(),
    );
    if opts.runner.concurrency.is_none() {
        // On a real server names and addresses are global: scenarios that share a
        // Background would refuse each other's. `--concurrency N` overrides.
        opts.runner.concurrency = connector.default_concurrency();
    }
    let config = install(RunConfig {
        connector,
        run_id: run_id.clone(),
        step_timeout: Duration::from_secs_f64(opts.custom.step_timeout),
        call_timeout,
    });
    eprintln!(
        "provspec: run {run_id} on the {backend_name} backend ({}); real names end in {}N",
        config.connector.endpoint(),
        run_marker(&run_id)
    );
    let ending = Ending {
        config,
        started,
        manifest_path: opts
            .custom
            .manifest
            .clone()
            .unwrap_or_else(|| manifest::default_path(&world::crate_root(), &run_id)),
        no_leak_check: opts.custom.no_leak_check,
        call_timeout,
    };
    let slow_calls = tokio::spawn(in_flight::report_slow_calls(
        Duration::from_secs(5),
        Duration::from_secs(10),
        |line| eprintln!("provspec: {line}"),
    ));

    // cucumber applies `--name` and `--tags` *instead of* a run's own filter: take them here
    // and apply them together with the backend's, so that both hold.
    let name_filter = opts.re_filter.take();
    let tags_filter = opts.tags_filter.take();
    let selected = Arc::new(AtomicUsize::new(0));
    let skipped = Arc::new(AtomicUsize::new(0));
    let allow_empty = opts.custom.allow_empty;
    let cleanup_budget = Duration::from_secs_f64(opts.custom.cleanup_timeout);
    let reports = match Reports::open(&opts.custom) {
        Ok(reports) => reports,
        Err(message) => {
            eprintln!("provspec: {message}");
            return ExitCode::from(2);
        }
    };
    // The run's shards (one per core on an embedded fake, see world/shards.rs), each a
    // cucumber run on a thread of its own, their events merged into one writer here.
    let (to_writer, from_shards) = tokio::sync::mpsc::unbounded_channel();
    let (stop_shards, shards_stopped) = tokio::sync::watch::channel(false);
    let runtime = tokio::runtime::Handle::current();
    let groups = shards::split(features, shard_count);
    let shard_count = groups.len();
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
        let filter = ScenarioFilter {
            name: name_filter.clone(),
            tags: tags_filter.clone(),
            selected: selected.clone(),
            skipped: skipped.clone(),
            config,
        };
        let to_writer = to_writer.clone();
        let mut stopped = shards_stopped.clone();
        let runtime = runtime.clone();
        let thread = std::thread::Builder::new()
            .name(format!("provspec-shard-{number}"))
            .spawn(move || {
                runtime.block_on(async move {
                    let run = ProvWorld::cucumber::<std::path::PathBuf>()
                        .with_parser(shards::Preparsed(group))
                        .steps(timed_collection())
                        .with_writer(shards::Forward::new(to_writer))
                        .fail_on_skipped()
                        .before(prepare_before)
                        .after(clean_up_after)
                        .with_cli(shard_opts)
                        .filter_run(features_dir(), move |feature, rule, scenario| {
                            filter.selects(feature, rule, scenario)
                        });
                    // A stopped run drops the shard's run: every running step is cancelled.
                    tokio::select! {
                        _ = run => {}
                        _ = stopped.wait_for(|stop| *stop) => {}
                    }
                })
            });
        match thread {
            Ok(thread) => threads.push(thread),
            Err(e) => {
                eprintln!("provspec: cannot start a thread for the run: {e}");
                return ExitCode::from(2);
            }
        }
    }
    drop(to_writer);
    let writer_cli = opts.writer.clone();
    let mut run = Box::pin(shards::merge(
        reports.writer(),
        &writer_cli,
        shard_count,
        from_shards,
    ));
    let stop = tokio::select! {
        writer = &mut run => Ok(writer),
        signal = signals.next() => Err(Stop::Signal(signal)),
        () = breaker::global().opened() => Err(Stop::ServerStopped(Instant::now())),
    };
    let writer = match stop {
        Ok(writer) => writer,
        Err(stop) => {
            // Dropping cucumber's runs cancels every running step and starts no other; the
            // cleanup stacks of the scenarios they held are still listed as pending.
            let _ = stop_shards.send(true);
            drop(run);
            join(threads);
            let code = ending
                .stop(stop, signals, cleanup_budget, &sweep_command)
                .await;
            slow_calls.abort();
            return code;
        }
    };
    slow_calls.abort();
    join(threads);

    // Every scenario's after hook unwound its stack; one the runner never finished (a
    // panicking hook) is unwound here, so nothing is left behind.
    for (label, cleaned) in cleanup::unwind_pending(cleanup_budget, None).await {
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
    let skipped_by_tag = skipped.load(Ordering::SeqCst);
    eprintln!(
        "provspec: {skipped_by_tag} scenario(s) skipped by backend tag on the {backend_name} backend"
    );
    let cleanup_failed = cleanup_failures();
    if cleanup_failed > 0 {
        eprintln!(
            "provspec: {cleanup_failed} cleanup action(s) failed; the server may hold leftovers of run {run_id}; sweep them with: {sweep_command}"
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

/// Which scenarios a shard runs: cucumber applies `--name` and `--tags` *instead of* a run's
/// own filter, so both are applied here, with the backend's tags.
struct ScenarioFilter {
    name: Option<regex::Regex>,
    tags: Option<cucumber::gherkin::tagexpr::TagOperation>,
    selected: Arc<AtomicUsize>,
    skipped: Arc<AtomicUsize>,
    config: &'static RunConfig,
}

impl ScenarioFilter {
    /// Whether `scenario` runs; counts what the filters select and what the backend skips.
    fn selects(&self, feature: &Feature, rule: Option<&Rule>, scenario: &Scenario) -> bool {
        let tags: Vec<String> = feature
            .tags
            .iter()
            .chain(rule.map(|r| r.tags.iter()).into_iter().flatten())
            .chain(scenario.tags.iter())
            .cloned()
            .collect();
        let named = self
            .name
            .as_ref()
            .is_none_or(|re| re.is_match(&scenario.name));
        let tagged = self
            .tags
            .as_ref()
            .is_none_or(|expression| expression.eval(tags.iter()));
        if !(named && tagged) {
            return false;
        }
        self.selected.fetch_add(1, Ordering::SeqCst);
        let connector = self.config.connector.as_ref();
        match backend_skip_reason(&feature.tags, &tags, connector) {
            None => true,
            Some(reason) => {
                self.skipped.fetch_add(1, Ordering::SeqCst);
                eprintln!(
                    "provspec: skipped on the {} backend: {:?} ({reason})",
                    connector.name(),
                    scenario.name
                );
                false
            }
        }
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

/// Why a run stopped before its scenarios were done.
enum Stop {
    /// A stopping signal.
    Signal(StopSignal),
    /// The server stopped answering (the circuit breaker opened at this instant).
    ServerStopped(Instant),
}

/// What the end of a run needs, whether it finished or was stopped.
struct Ending {
    config: &'static RunConfig,
    started: SystemTime,
    manifest_path: PathBuf,
    no_leak_check: bool,
    call_timeout: Duration,
}

impl Ending {
    /// Ends a stopped run: a second SIGINT or SIGTERM exits at once; otherwise every pending
    /// cleanup stack is unwound within `budget`, the temporary files are removed, what was and
    /// was not removed is printed with the run id, and the manifest is written.
    async fn stop(
        &self,
        stop: Stop,
        mut signals: StopSignals,
        budget: Duration,
        sweep_command: &str,
    ) -> ExitCode {
        let run_id = &self.config.run_id;
        let (why, code, per_call) = match &stop {
            Stop::Signal(signal) => (
                format!("{} received", signal.name()),
                signal.exit_code(),
                None,
            ),
            Stop::ServerStopped(_) => {
                let (failures, last) = breaker::global().failures();
                (
                    format!(
                        "the server at {} stopped answering ({failures} calls in a row got no answer; the last: {})",
                        self.config.connector.endpoint(),
                        last.unwrap_or_default()
                    ),
                    1,
                    Some(Duration::from_secs(2)),
                )
            }
        };
        eprintln!(
            "provspec: {why}: stopping run {run_id}: no scenario or step starts any more; cleaning up what the running scenarios created (at most {} s; a second Ctrl-C or SIGTERM stops at once)",
            budget.as_secs_f64()
        );
        let config = self.config;
        let sweep = sweep_command.to_owned();
        let second = tokio::spawn(async move {
            loop {
                let signal = signals.next().await;
                if signal.aborts_when_repeated() {
                    eprintln!(
                        "provspec: second signal ({}): stopping run {} now, without cleaning up; remove what it left with: {sweep}",
                        signal.name(),
                        config.run_id
                    );
                    config.connector.close();
                    std::process::exit(i32::from(signal.exit_code()));
                }
            }
        });
        let (mut removed, mut not_removed) = (0, Vec::new());
        for (label, cleaned) in cleanup::unwind_pending(budget, per_call).await {
            for item in &cleaned {
                match &item.outcome {
                    Outcome::Removed => {
                        removed += 1;
                        eprintln!("provspec: removed {} of {label}", item.item());
                    }
                    Outcome::AlreadyGone => removed += 1,
                    Outcome::Failed(e) | Outcome::NotTried(e) => {
                        eprintln!("provspec: could not remove {} of {label}: {e}", item.item());
                        not_removed.push(item.item());
                    }
                }
            }
            manifest::record(
                &label,
                ScenarioStatus::Interrupted,
                &cleaned,
                manifest::CallTally::default(),
            );
        }
        second.abort();
        // The scenarios' processes went with their worlds; anything they started that runs on
        // its own (a detached server) goes too.
        let killed = provspec::processes::groups::kill_marked(
            provspec::processes::RUN_MARKER_ENV,
            &config.run_id,
        );
        if killed > 0 {
            eprintln!("provspec: killed {killed} process(es) the stopped scenarios had started");
        }
        let leftovers = match stop {
            Stop::Signal(_) => self.leak_check().await,
            Stop::ServerStopped(_) => Vec::new(),
        };
        self.config.connector.close();
        let (passed, failed) = scenario_tally();
        eprintln!(
            "provspec: {passed} passed, {failed} failed before the run stopped; temporary files removed"
        );
        let outcome = match stop {
            Stop::Signal(_) => "interrupted",
            Stop::ServerStopped(_) => "server-stopped",
        };
        let clean = not_removed.is_empty() && leftovers.is_empty();
        self.write_manifest(outcome, leftovers);
        if clean {
            eprintln!(
                "provspec: run {run_id} stopped ({why}); cleanup removed {removed} item(s); nothing of the run is left"
            );
        } else {
            eprintln!(
                "provspec: run {run_id} stopped ({why}); cleanup removed {removed} item(s); {} could not be removed: {}; remove them with: {sweep_command}",
                not_removed.len(),
                not_removed.join(", ")
            );
        }
        if let Stop::ServerStopped(opened) = stop {
            eprintln!(
                "provspec: run {run_id} ended {:.1} s after the server stopped answering (call timeout {} s)",
                opened.elapsed().as_secs_f64(),
                self.call_timeout.as_secs_f64()
            );
        }
        ExitCode::from(code)
    }

    /// On a server over the network, lists what still carries the run's marker after every
    /// scenario cleaned up, and prints it (an embedded fake lives and dies with its scenario,
    /// so there is nothing to look at).
    async fn leak_check(&self) -> Vec<Leftover> {
        let run_id = &self.config.run_id;
        if self.no_leak_check || self.config.connector.is_embedded_fake() {
            return Vec::new();
        }
        let backend = self.config.connector.open();
        let marker = run_marker(run_id);
        match tokio::time::timeout(self.call_timeout * 2, backend.list_marked(&marker)).await {
            Ok(Ok(left)) => {
                if !left.is_empty() {
                    let names: Vec<String> = left
                        .iter()
                        .map(|(kind, name)| format!("{kind} {name}"))
                        .collect();
                    eprintln!(
                        "provspec: {} item(s) of run {run_id} are still on the server: {}",
                        left.len(),
                        names.join(", ")
                    );
                }
                left.into_iter()
                    .map(|(kind, real_name)| Leftover {
                        kind: kind.to_owned(),
                        real_name,
                    })
                    .collect()
            }
            Ok(Err(e)) => {
                eprintln!(
                    "provspec: could not check the server for leftovers of run {run_id}: {e}"
                );
                vec![Leftover {
                    kind: "unknown".to_owned(),
                    real_name: format!("(the leak check failed: {e})"),
                }]
            }
            Err(_) => {
                eprintln!(
                    "provspec: could not check the server for leftovers of run {run_id}: no answer in time"
                );
                vec![Leftover {
                    kind: "unknown".to_owned(),
                    real_name: "(the leak check got no answer in time)".to_owned(),
                }]
            }
        }
    }

    /// Writes the run manifest, with what the leak check found and every item whose cleanup
    /// failed or was not tried, and says where it is.
    fn write_manifest(&self, outcome: &str, mut left: Vec<Leftover>) {
        for item in manifest::not_cleaned() {
            if !left.iter().any(|l| l.real_name == item.real_name) {
                left.push(item);
            }
        }
        let manifest = Manifest {
            schema: manifest::SCHEMA,
            run_id: self.config.run_id.clone(),
            backend: self.config.connector.name().to_owned(),
            endpoint: provspec::http::hide_userinfo(&self.config.connector.endpoint()),
            started: manifest::timestamp(self.started),
            ended: manifest::timestamp(SystemTime::now()),
            outcome: outcome.to_owned(),
            scenarios: manifest::scenarios(),
            left,
        };
        match manifest.write(&self.manifest_path) {
            Ok(()) => eprintln!(
                "provspec: run manifest written to {}",
                self.manifest_path.display()
            ),
            Err(message) => eprintln!("provspec: {message}"),
        }
    }
}

/// A report written alongside the terminal output (its stats and free text are the
/// terminal's); none at all when its option is not given.
type Report<Wr> = writer::discard::Arbitrary<writer::discard::Stats<Maybe<Wr>>>;

/// A writer that is there only when a report was asked for: without one, events are dropped
/// at once instead of being normalized and collected for a sink (a tenth of a run's CPU).
struct Maybe<Wr>(Option<Wr>);

impl<W: cucumber::World, Wr: cucumber::Writer<W>> cucumber::Writer<W> for Maybe<Wr> {
    type Cli = Wr::Cli;

    async fn handle_event(
        &mut self,
        event: cucumber::parser::Result<cucumber::Event<cucumber::event::Cucumber<W>>>,
        cli: &Self::Cli,
    ) {
        if let Some(writer) = &mut self.0 {
            writer.handle_event(event, cli).await;
        }
    }
}

impl<Wr: writer::Normalized> writer::Normalized for Maybe<Wr> {}

/// The terminal writer with the JUnit and Cucumber JSON reports teed off it.
type ReportingWriter = writer::Tee<
    writer::Tee<
        writer::libtest::OrBasic<ProvWorld>,
        Report<writer::Normalize<ProvWorld, writer::JUnit<ProvWorld, Box<dyn Write>>>>,
    >,
    Report<writer::Normalize<ProvWorld, writer::Json<Box<dyn Write>>>>,
>;

/// Where the reports go: files named by `--junit` and `--cucumber-json`, or none.
struct Reports {
    junit: Option<Box<dyn Write>>,
    cucumber_json: Option<Box<dyn Write>>,
}

impl Reports {
    /// Creates the report files the options name (an unwritable path is one clear message).
    fn open(cli: &ProvspecCli) -> Result<Self, String> {
        let open = |path: &Option<PathBuf>, what: &str| -> Result<Option<Box<dyn Write>>, String> {
            path.as_ref()
                .map(|path| {
                    File::create(path)
                        .map(|file| Box::new(io::BufWriter::new(file)) as Box<dyn Write>)
                        .map_err(|e| {
                            format!("cannot write the {what} report to {}: {e}", path.display())
                        })
                })
                .transpose()
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
                Maybe(self.junit.map(|out| writer::JUnit::new(out, 0)))
                    .discard_stats_writes()
                    .discard_arbitrary_writes(),
            )
            .tee::<ProvWorld, _>(
                Maybe(self.cucumber_json.map(writer::Json::new::<ProvWorld>))
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
