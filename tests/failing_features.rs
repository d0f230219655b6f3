//! Runs the deliberately failing features in `tests/failing_features/` against one shared
//! embedded fake and checks that:
//! - every scenario fails (an undefined step too: nothing is silently skipped);
//! - each failure says what went wrong (bad input gets a clear message);
//! - the scenarios did create items, and cleanup removed all of them from the fake.

use std::io;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use cucumber::{World as _, WriterExt as _};
use provspec::cobbler::backend::CobblerConnector;
use provspec::cobbler::boot_files::BootFiles;
use provspec::cobbler::fake::FakeCobbler;
use provspec::naming::new_run_id;

use provspec::world;
use provspec::world::ProvWorld;
use provspec::world::backend::{RunConfig, install};
use provspec::world::hooks::{clean_up_after, cleanup_failures, prepare_before};
use provspec::world::runner::terminal::Terminal;
use provspec::world::step_timeout::{DEFAULT_STEP_TIMEOUT, timed_collection};

/// What the report must say about each failing scenario.
const EXPECTED_MESSAGES: [&str; 30] = [
    // an assertion on a field, with expected and actual
    "hostname of system \"web-01\" should equal\n      expected: \"not-the-hostname\"\n        actual: \"\"",
    // an undefined step, where it is, and a snippet to paste
    "tests/failing_features/cleanup.feature:17:5: no step matches `When I frobnicate the profile \"minimal\"`.",
    "async fn i_frobnicate_the_profile(world: &mut ProvWorld, text1: Text) -> StepResult {",
    "steps.when(\"I frobnicate the profile {string}\", i_frobnicate_the_profile);",
    // a misspelt step: the step meant is the closest known one
    "no step matches `Given a profile \"base\" for distor \"ubuntu\"`.\n        The closest known steps:\n          Given a profile {string} for distro {string}( with:)",
    // a misspelt kind: the kinds there are
    "the cobbler backend has no kind \"distor\"; its kinds: distro, profile, system, image",
    // a Given that exists only as a When
    "It exists as a `When` step: `When {attempt} create a/an {kind} {string}( with:)`",
    // a table on a step that takes none
    "`Then the distro \"ubuntu\" should exist` is given a table, but its step (steps/lifecycle.rs:",
    // an expected failure that did not happen
    "should have failed with a message containing \"distro is required\", but succeeded",
    // unknown attribute, with the known ones
    "unknown distro attribute \"colour\"; known distro attributes: arch, autoinstall_meta, boot_files",
    // unknown alias, with the known ones
    "unknown distro alias \"debian\"; known distros: ubuntu",
    // a table without a needed column
    "the table needs a column \"interface\"; its columns are: mac_address",
    // a key/value row of the wrong width
    "the table row has 3 cell(s); expected 2: | attribute | value |",
    // an unknown interface field
    "unknown interface field \"mac\"; known interface fields: mac_address, ip_address, netmask, dns_name, if_gateway",
    // wrong credentials
    "should have succeeded, but failed: login to the embedded fake Cobbler as \"cobbler\" failed: login: fault 1: <class 'cobbler.cexceptions.CX'>:'login failed (cobbler)'",
    // an outcome step with no outcome
    "no \"When I try to …\" step ran before this one",
    // a malformed step time limit
    "the tag @timeout(soon) is not a time limit: write @timeout(N) with N seconds, e.g. @timeout(120)",
    // "I try to" on a list of items
    "\"I try to\" takes one item, and \"ubuntu, ubuntu\" names 2: write one step per item",
    // a check on a list names the item that failed, and of how many
    "\"debian\" (2 of 2): unknown distro alias \"debian\"; known distros: ubuntu",
    // the same attribute twice in a table
    "line 77: \"comment\" is given twice (first on line 76); each attribute once",
    // a fault rule for a call that never came, beside the calls that did
    "the fault for the next call to \"save_distor\": refused with \"disk full\" never applied: no such call came; the calls the scenario made: login, modify_distro, new_distro, save_distro",
    // an unknown variant, with the kinds and variants of the factory book
    "unknown kind or variant \"dbserver\"; known kinds and variants: distro, profile, system, image, repo, menu, file, mgmtclass, package, template, snippet, db-server, minimal-profile, powered-server, web-server (in factories/cobbler.toml)",
    // an unknown lab, with the labs there are
    "unknown lab \"racks\"; known labs: rack, small (in factories/cobbler.toml)",
    // a kind of another backend, with this backend's kinds
    "the cobbler backend has no kind \"node\"; its kinds: distro, profile, system, image",
    // an exit no step waited for, at the next step, with the process's last lines
    "the process \"short-lived\" ended unexpectedly with exit code 3 (no step waited for it); the last lines of its logs:",
    "short-lived.stderr (last 1 line(s)):",
    // a process still running when the scenario ended
    "the process \"forgotten\" still ran when the scenario ended; it was killed (",
    // the wrong exit code
    "the process \"wrong-code\" ended with exit code 7, expected exit code 0; the last lines of its logs:",
    // no exit in time
    "the process \"slow\" did not exit within 0.5 s; it still runs; the last lines of its logs:",
    // a program that is not there
    "cannot start the process \"no-such-program\" (/nonexistent/program): No such file or directory",
];

/// What the check of `tests/gherkin_errors/` must say, file by file.
const GHERKIN_PROBLEMS: [&str; 6] = [
    "tests/gherkin_errors/comment_only.feature: the file holds no feature (it is empty or only comments)",
    "tests/gherkin_errors/misspelt_keyword.feature:3:5: unknown keyword \"Givn\": \"Givn a distro \\\"ubuntu\\\"\" is not a step, so the scenario \"the step keyword is misspelt\" has none (steps start with Given, When, Then, And, But, *)",
    "tests/gherkin_errors/no_scenarios.feature:1:1: the feature \"A feature without scenarios\" has no scenarios",
    "tests/gherkin_errors/ragged_table.feature:6:7: inconsistent table row sizes: this row has 1 cell(s), the table's first row (line 5) has 2",
    "tests/gherkin_errors/tag_case.feature:1: the tag @Fake is not @fake: tags are case-sensitive, and provspec reads @fake",
    "tests/gherkin_errors/unknown_keyword.feature:4:3: unknown keyword \"Bogus:\" in \"Bogus: not a keyword\" (a line starts with Feature:, Rule:, Background:, Scenario:, Scenario Outline:, Examples:, Given, When, Then, And, But, *, |, @ or #)",
];

/// An in-memory report.
#[derive(Clone, Default)]
struct Report(Arc<Mutex<Vec<u8>>>);

impl io::Write for Report {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().expect("report lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn main() -> ExitCode {
    world::hooks::runtime().block_on(run())
}

async fn run() -> ExitCode {
    let fake = FakeCobbler::default();
    let boot_files = BootFiles::create_local().expect("dummy boot files can be written");
    let run_id = new_run_id();
    install(RunConfig {
        connector: Arc::new(CobblerConnector::embedded(Some(fake.clone()), boot_files)),
        run_id: run_id.clone(),
        step_timeout: DEFAULT_STEP_TIMEOUT,
        call_timeout: std::time::Duration::from_secs(15),
    });
    let report = Report::default();
    let most_items_seen = Arc::new(AtomicUsize::new(0));
    let seen = most_items_seen.clone();
    let observed = fake.clone();
    let writer = ProvWorld::cucumber()
        .steps(timed_collection())
        .with_writer(
            Terminal::plain(report.clone())
                .normalized()
                .summarized()
                .fail_on_skipped(),
        )
        .before(prepare_before)
        .after(move |feature, rule, scenario, finished, world| {
            let items = observed.inventory().values().map(Vec::len).sum();
            seen.fetch_max(items, Ordering::SeqCst);
            clean_up_after(feature, rule, scenario, finished, world)
        })
        .with_default_cli()
        .run(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/failing_features"
        ))
        .await;
    let text = String::from_utf8_lossy(&report.0.lock().expect("report lock")).into_owned();
    let stats = writer.scenarios_stats();

    let mut checks: Vec<(String, Result<(), String>)> = Vec::new();
    let mut check = |name: &str, ok: bool, detail: String| {
        checks.push((name.to_owned(), if ok { Ok(()) } else { Err(detail) }));
    };
    check(
        "every fixture scenario fails",
        stats.passed == 0 && stats.skipped == 0 && stats.failed == 27,
        format!(
            "passed {}, skipped {}, failed {} (expected 27 failed)",
            stats.passed, stats.skipped, stats.failed
        ),
    );
    check(
        "a failed step is a failure with its kind, not a panic",
        text.contains("Step failed (assertion) at tests/failing_features/bad_input.feature:")
            && text.contains("Step failed (authoring mistake) at ")
            && text.contains("Step failed (environment) at ")
            && !text.contains("panicked"),
        "a step failed without its kind, or the report says \"panicked\"".to_owned(),
    );
    for message in EXPECTED_MESSAGES {
        check(
            &format!("the report says {message:?}"),
            text.contains(message),
            "not in the report".to_owned(),
        );
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let gherkin = world::feature_files::problems(
        &root.join("tests/gherkin_errors").display().to_string(),
        root,
    );
    check(
        "Gherkin mistakes are reported with file, line, column and reason",
        gherkin == GHERKIN_PROBLEMS,
        format!("got {gherkin:#?}"),
    );
    let most = most_items_seen.load(Ordering::SeqCst);
    check(
        "the failing scenarios had created items",
        most > 0,
        "the fake never held anything, so cleanup proved nothing".to_owned(),
    );
    check(
        "cleanup left the fake empty",
        fake.is_empty(),
        format!("left: {:?}", fake.inventory()),
    );
    check(
        "no undo action failed",
        cleanup_failures() == 0,
        format!("{} failed", cleanup_failures()),
    );

    // The failed scenarios kept their process logs; nothing they started still runs.
    let logs = world::processes::logs_root().join(&run_id);
    let kept: Vec<String> = std::fs::read_dir(&logs)
        .map(|dirs| {
            dirs.filter_map(|d| Some(d.ok()?.file_name().to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    check(
        "the failed scenarios' process logs were kept",
        kept.len() == 5
            && logs
                .join(&kept[0])
                .read_dir()
                .is_ok_and(|mut d| d.next().is_some()),
        format!(
            "kept in {}: {kept:?} (expected 5 directories with logs)",
            logs.display()
        ),
    );
    let left = provspec::processes::groups::marked(provspec::processes::RUN_MARKER_ENV, &run_id);
    check(
        "no process the fixtures started is left",
        left.is_empty(),
        format!("still running: {left:?}"),
    );
    let _ = std::fs::remove_dir_all(&logs);

    let failed = checks.iter().filter(|(_, r)| r.is_err()).count();
    for (name, result) in &checks {
        match result {
            Ok(()) => println!("ok: {name}"),
            Err(detail) => println!("FAILED: {name}: {detail}"),
        }
    }
    if failed > 0 {
        println!("--- the fixture run's report ---\n{text}");
    }
    println!(
        "failing_features: {} passed, {failed} failed",
        checks.len() - failed
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
