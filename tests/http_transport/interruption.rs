//! A run stopped mid-scenario leaves nothing on its server, and says which run it was.
//!
//! Each test starts `fake-cobbler` and the feature runner (the `cucumber` test binary, built
//! by `cargo test` with every other target) as child processes, as CI starts them, runs
//! `tests/interruption/` against it, and stops it: SIGINT, SIGTERM, SIGKILL (then `provspec
//! sweep`), a failing step, a step past its time limit, a server that stopped answering
//! (SIGSTOP on fake-cobbler). Afterwards the fake holds nothing of the run.
//!
//! `cargo test` builds the runner with every target; `cargo test --test http_transport` alone
//! does not, and would run a runner built earlier: build it first with
//! `cargo test --test cucumber --no-run`.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use provspec::backends::{Choice, Login, connect};
use provspec::naming::run_marker;

/// fake-cobbler on a free port, as a child process; killed when dropped.
struct FakeCobbler {
    child: Child,
    url: String,
}

impl FakeCobbler {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fake-cobbler"))
            .args(["--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("fake-cobbler starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut first)
            .expect("fake-cobbler prints where it listens");
        let url = first
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from fake-cobbler: {first:?}"))
            .to_owned();
        Self { child, url }
    }

    fn signal(&self, signal: libc::c_int) {
        // SAFETY: kill with the pid of a child this test started and still owns.
        unsafe { libc::kill(self.child.id() as libc::pid_t, signal) };
    }

    /// Stops the server answering (its socket still accepts connections); returns once the
    /// kernel says every thread of it is stopped.
    fn pause(&self) {
        self.signal(libc::SIGSTOP);
        let tasks = format!("/proc/{}/task", self.child.id());
        let deadline = Instant::now() + Duration::from_secs(5);
        let stopped = || {
            std::fs::read_dir(&tasks).is_ok_and(|entries| {
                entries.filter_map(Result::ok).all(|task| {
                    std::fs::read_to_string(task.path().join("stat")).is_ok_and(|stat| {
                        // The state follows the command name in parentheses.
                        stat.rsplit(')')
                            .next()
                            .is_some_and(|rest| rest.trim_start().starts_with('T'))
                    })
                })
            })
        };
        while !stopped() {
            assert!(Instant::now() < deadline, "fake-cobbler did not stop");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    fn resume(&self) {
        self.signal(libc::SIGCONT);
    }

    /// Every item on the fake whose name carries the run's marker, as "kind name".
    fn items_of(&self, run_id: &str) -> Vec<String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let connector = connect(Choice {
                backend: "cobbler".to_owned(),
                url: Some(self.url.clone()),
                login: Some(Login {
                    user: "cobbler".to_owned(),
                    password: "cobbler".to_owned(),
                }),
                ..Choice::default()
            })
            .await
            .expect("fake-cobbler answers");
            let items = connector
                .open()
                .list_marked(&run_marker(run_id))
                .await
                .expect("fake-cobbler lists its items");
            connector.close();
            items
                .into_iter()
                .map(|(kind, name)| format!("{kind} {name}"))
                .collect()
        })
    }
}

impl Drop for FakeCobbler {
    fn drop(&mut self) {
        self.resume();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A proxy in front of fake-cobbler that holds the first call to one method until released:
/// the run is then surely mid-scenario, with the items of the steps before that call created.
struct Gate {
    url: String,
    reached: tokio::sync::watch::Receiver<bool>,
    release: tokio::sync::watch::Sender<bool>,
    _runtime: tokio::runtime::Runtime,
}

impl Gate {
    /// A proxy to `fake` holding the first call to `method`.
    fn hold_first(fake: &FakeCobbler, method: &str) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let (reached_tx, reached) = tokio::sync::watch::channel(false);
        let (release, released) = tokio::sync::watch::channel(false);
        let upstream = fake.url.clone();
        let needle = format!("<methodName>{method}</methodName>");
        let state = Arc::new((
            reached_tx,
            released,
            upstream,
            needle,
            reqwest::Client::new(),
        ));
        let url = runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let address = listener.local_addr().unwrap();
            let app = axum::Router::new().fallback(move |body: String| {
                let state = state.clone();
                async move {
                    let (reached, released, upstream, needle, client) = &*state;
                    if body.contains(needle.as_str()) && !*reached.borrow() {
                        reached.send_replace(true);
                        let mut released = released.clone();
                        let _ = released.wait_for(|r| *r).await;
                    }
                    match client.post(upstream.as_str()).body(body).send().await {
                        Ok(answer) => answer.text().await.unwrap_or_default(),
                        // The proxy's client has no timeout: the runner's own does the timing.
                        Err(e) => format!("proxy error: {e}"),
                    }
                }
            });
            tokio::spawn(async move { axum::serve(listener, app).await });
            format!("http://{address}/")
        });
        Self {
            url,
            reached,
            release,
            _runtime: runtime,
        }
    }

    /// Waits until the held call arrived.
    fn wait_reached(&self, runner: &mut Runner) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !*self.reached.borrow() {
            if let Some(status) = runner.child.try_wait().expect("runner status") {
                panic!(
                    "the runner ended ({status}) before the held call:\n{}",
                    runner.output()
                );
            }
            assert!(Instant::now() < deadline, "the held call never came");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Lets the held call through.
    fn release(&self) {
        self.release.send_replace(true);
    }
}

/// The feature runner as a child process, its stdout and stderr collected.
struct Runner {
    child: Child,
    output: Arc<Mutex<String>>,
    manifest: PathBuf,
    _dir: tempfile::TempDir,
}

/// The feature runner cargo built with this test: the newest `cucumber-*` executable beside
/// this test's own binary.
fn runner_binary() -> PathBuf {
    let me = std::env::current_exe().expect("the test knows its path");
    let deps = me.parent().expect("test binaries live in target/*/deps");
    let newest = std::fs::read_dir(deps)
        .expect("the deps directory lists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| is_runner(p))
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok());
    newest.unwrap_or_else(|| {
        panic!(
            "no feature runner (cucumber-*) in {}: build it with `cargo test --no-run`",
            deps.display()
        )
    })
}

fn is_runner(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.strip_prefix("cucumber-")
        .is_some_and(|hash| hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
        && path
            .metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

impl Runner {
    /// Runs `feature` (below tests/interruption/) against the Cobbler at `url` as run
    /// `run_id`.
    fn start(url: &str, run_id: &str, feature: &str, extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let manifest = dir.path().join("manifest.json");
        // cucumber's --input is a glob relative to the working directory.
        let input = Path::new("tests/interruption").join(feature);
        let mut child = Command::new(runner_binary())
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("CARGO_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"))
            .env("PROVSPEC_BACKEND", "cobbler")
            .env("COBBLER_URL", url)
            .env("COBBLER_USER", "cobbler")
            .env("COBBLER_PASSWORD", "cobbler")
            .env_remove("PROVSPEC_RUN_ID")
            .args(["--run-id", run_id, "--input"])
            .arg(&input)
            .arg("--manifest")
            .arg(&manifest)
            .args(["--color", "never"])
            // One scenario at a time: the held call is then the run's only one in flight.
            .args(["--concurrency", "1"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the feature runner starts");
        let output = Arc::new(Mutex::new(String::new()));
        for stream in [
            Box::new(child.stdout.take().expect("stdout")) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().expect("stderr")),
        ] {
            let output = output.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let mut output = output.lock().unwrap();
                    output.push_str(&line);
                    output.push('\n');
                }
            });
        }
        Self {
            child,
            output,
            manifest,
            _dir: dir,
        }
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    fn signal(&self, signal: libc::c_int) {
        // SAFETY: kill with the pid of a child this test started and has not reaped.
        unsafe { libc::kill(self.child.id() as libc::pid_t, signal) };
    }

    /// Waits until the output holds `text`.
    fn wait_for_output(&mut self, text: &str, within: Duration) {
        let deadline = Instant::now() + within;
        while !self.output().contains(text) {
            assert!(
                Instant::now() < deadline,
                "no {text:?} in the runner's output within {within:?}:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the runner to exit (killing it after `within`), with its whole output.
    fn finish(&mut self, within: Duration) -> (ExitStatus, String) {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("runner status") {
                // Let the readers drain the pipes.
                std::thread::sleep(Duration::from_millis(100));
                return (status, self.output());
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "the runner did not exit within {within:?}:\n{}",
                    self.output()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn manifest(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(&self.manifest)
            .unwrap_or_else(|e| panic!("no manifest at {}: {e}", self.manifest.display()));
        serde_json::from_str(&text).expect("the manifest is JSON")
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Items of the interrupted scenarios in the manifest, and how many of them were removed.
fn interrupted_items(manifest: &serde_json::Value) -> (usize, usize) {
    let resources: Vec<&serde_json::Value> = manifest["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .filter(|s| s["status"] == "interrupted")
        .flat_map(|s| s["resources"].as_array().expect("resources").iter())
        .collect();
    let removed = resources
        .iter()
        .filter(|r| r["cleanup"] == "removed")
        .count();
    (resources.len(), removed)
}

/// Stops a run mid-scenario with `signal` while the fake holds the scenario's items, and
/// checks the exit status, the output and that the fake holds nothing of the run.
fn stopped_by(signal: libc::c_int, name: &str, code: i32, run_id: &str) {
    let fake = FakeCobbler::start();
    let gate = Gate::hold_first(&fake, "copy_system");
    let mut runner = Runner::start(&gate.url, run_id, "busy.feature", &[]);
    // The run is mid-call, its scenario's distro, profile and system created.
    gate.wait_reached(&mut runner);
    fake.pause();
    gate.release();
    runner.signal(signal);
    runner.wait_for_output(
        &format!("{name} received: stopping run {run_id}"),
        Duration::from_secs(10),
    );
    fake.resume();
    let (status, output) = runner.finish(Duration::from_secs(40));
    assert_eq!(status.code(), Some(code), "{output}");
    assert!(
        output.contains(&format!("run {run_id} stopped ({name} received)")),
        "{output}"
    );
    assert!(output.contains("nothing of the run is left"), "{output}");
    assert_eq!(fake.items_of(run_id), Vec::<String>::new(), "{output}");
    let manifest = runner.manifest();
    assert_eq!(manifest["outcome"], "interrupted");
    assert_eq!(manifest["run_id"], run_id);
    let (items, removed) = interrupted_items(&manifest);
    assert!(items > 0 && removed == items, "{manifest:#}");
}

#[test]
fn sigint_mid_scenario_cleans_up_and_exits_130() {
    stopped_by(libc::SIGINT, "SIGINT", 130, "sigint1");
}

#[test]
fn sigterm_mid_scenario_cleans_up_and_exits_143() {
    stopped_by(libc::SIGTERM, "SIGTERM", 143, "sigterm1");
}

#[test]
fn a_failing_step_is_cleaned_up() {
    let fake = FakeCobbler::start();
    let mut runner = Runner::start(&fake.url, "panic1", "failing.feature", &[]);
    let (status, output) = runner.finish(Duration::from_secs(60));
    assert_eq!(status.code(), Some(1), "{output}");
    assert!(
        output.contains("comment of system \"web-01\" should equal"),
        "{output}"
    );
    assert!(output.contains("run panic1"), "{output}");
    assert_eq!(fake.items_of("panic1"), Vec::<String>::new());
    let manifest = runner.manifest();
    assert_eq!(manifest["outcome"], "failed");
    assert_eq!(manifest["scenarios"][0]["status"], "failed");
    assert_eq!(
        manifest["scenarios"][0]["resources"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
}

#[test]
fn a_step_past_its_time_limit_fails_naming_the_call_and_is_cleaned_up() {
    let fake = FakeCobbler::start();
    let gate = Gate::hold_first(&fake, "copy_system");
    let mut runner = Runner::start(
        &gate.url,
        "hang1",
        "busy.feature",
        &["--step-timeout", "1", "--call-timeout", "60"],
    );
    gate.wait_reached(&mut runner);
    let paused = Instant::now();
    fake.pause();
    gate.release();
    runner.wait_for_output("step timed out after", Duration::from_secs(10));
    assert!(paused.elapsed() < Duration::from_secs(5));
    fake.resume();
    let (status, output) = runner.finish(Duration::from_secs(120));
    assert_eq!(status.code(), Some(1), "{output}");
    let line = output
        .lines()
        .find(|l| l.contains("step timed out after"))
        .expect("the timeout is reported");
    assert!(
        line.contains("`When I copy the system \"web-01\" to \"web-01-copy\"`")
            && line.contains("the call in flight: copy_system to ")
            && line.contains(&gate.url),
        "the timed-out step names the step and the call it waited on: {line}"
    );
    assert!(line.contains("limit 1 s"), "{line}");
    assert_eq!(fake.items_of("hang1"), Vec::<String>::new(), "{output}");
}

#[test]
fn a_server_that_stops_answering_ends_the_run_and_names_it_for_the_sweep() {
    let fake = FakeCobbler::start();
    let gate = Gate::hold_first(&fake, "copy_system");
    let mut runner = Runner::start(
        &gate.url,
        "stall1",
        "busy.feature",
        &["--call-timeout", "2"],
    );
    gate.wait_reached(&mut runner);
    let paused = Instant::now();
    fake.pause();
    gate.release();
    let (status, output) = runner.finish(Duration::from_secs(60));
    let took = paused.elapsed();
    assert_eq!(status.code(), Some(1), "{output}");
    assert!(output.contains("stopped answering"), "{output}");
    assert!(
        output.contains("provspec -- sweep --backend cobbler --url")
            && output.contains("--run-id stall1"),
        "{output}"
    );
    // The first call times out (2 s), two more get 2 s each, then the run gives up.
    // The first call times out (2 s), two cleanup calls get 2 s each and open the breaker,
    // the last unwinding tries one more for 2 s and gives up on the rest.
    assert!(
        took < Duration::from_secs(12),
        "the run took {took:?} to end:\n{output}"
    );
    assert_eq!(runner.manifest()["outcome"], "server-stopped");
    // The server answers again: what the run could not remove, the sweep does.
    fake.resume();
    sweep(&fake, "stall1");
    assert_eq!(fake.items_of("stall1"), Vec::<String>::new(), "{output}");
}

#[test]
fn after_sigkill_the_sweep_removes_what_the_run_left() {
    let fake = FakeCobbler::start();
    let gate = Gate::hold_first(&fake, "copy_system");
    let mut runner = Runner::start(&gate.url, "kill1", "busy.feature", &[]);
    gate.wait_reached(&mut runner);
    runner.signal(libc::SIGKILL);
    let (status, _) = runner.finish(Duration::from_secs(10));
    assert_eq!(status.code(), None, "killed by a signal");
    // At least the held scenario's distro, profile and system (others run alongside it).
    let left = fake.items_of("kill1");
    assert!(
        left.len() >= 3,
        "SIGKILL left the scenarios' items: {left:?}"
    );
    sweep(&fake, "kill1");
    assert_eq!(fake.items_of("kill1"), Vec::<String>::new());
}

/// `provspec sweep --run-id RUN` against the fake; it must succeed.
fn sweep(fake: &FakeCobbler, run_id: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_provspec"))
        .args([
            "sweep",
            "--backend",
            "cobbler",
            "--url",
            &fake.url,
            "--run-id",
            run_id,
        ])
        .env("COBBLER_USER", "cobbler")
        .env("COBBLER_PASSWORD", "cobbler")
        .output()
        .expect("provspec sweep runs");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
