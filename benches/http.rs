//! One call over HTTP: provspec's whole path (the scenario's call layer, the session, XML-RPC
//! over the pooled client, the answer read into a record) against a bare reqwest client that
//! posts the same request bytes to the same `fake-cobbler` and reads the answer, on the same
//! multi-threaded tokio runtime the feature runner uses, one call at a time. Also the fake's
//! own rate at concurrency 1 with that bare client.
//!
//! `cargo bench --bench http` starts the release `fake-cobbler` as a child process (or uses
//! `BENCH_FAKE_COBBLER_URL`), prints each figure with its target and the ratio, and exits
//! non-zero when a target is missed. The call is `get_distro` of an existing distro (a struct
//! of 40 fields back), the most common call of a feature run.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dxr::MethodCall;
use provspec::backend::Backend;
use provspec::backends::{Choice, Login, connect};
use provspec::calls::layer::CallLayer;
use provspec::cobbler::protocol::Value;
use provspec::http::HttpOptions;
use provspec::naming::Namer;

/// Calls per round, and rounds (the two clients take turns; the median round counts).
const CALLS: usize = 2_000;
const ROUNDS: usize = 7;

/// provspec's call may take at most this many times the bare client's.
const CALL_RATIO_TARGET: f64 = 1.1;
/// fake-cobbler's calls per second at concurrency 1 with the bare client, at least.
const RATE_TARGET: f64 = 10_000.0;

/// The distro every call reads.
const DISTRO: &str = "bench-http-distro";

/// The fake-cobbler child process, stopped (by its pid) when dropped.
struct FakeServer(Child);

impl Drop for FakeServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The URL of a fake-cobbler: `BENCH_FAKE_COBBLER_URL`, or this build's binary started here.
fn fake_cobbler() -> (String, Option<FakeServer>) {
    if let Ok(url) = std::env::var("BENCH_FAKE_COBBLER_URL") {
        return (url, None);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-cobbler"))
        .args(["--listen", "127.0.0.1:0", "--user", "cobbler:cobbler"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("fake-cobbler starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped stdout"))
        .read_line(&mut line)
        .expect("fake-cobbler says where it listens");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .expect("listening on URL")
        .to_owned();
    (url, Some(FakeServer(child)))
}

/// Seconds per call of `calls` calls made one after another.
async fn per_call<F: std::future::Future<Output = ()>>(mut call: impl FnMut() -> F) -> f64 {
    let started = Instant::now();
    for _ in 0..CALLS {
        call().await;
    }
    started.elapsed().as_secs_f64() / CALLS as f64
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let (url, server) = fake_cobbler();
    // The runner's runtime: multi-threaded, driven from the main thread.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let missed = runtime.block_on(async {
        let connector = connect(Choice {
            backend: "cobbler".to_owned(),
            url: Some(url.clone()),
            login: Some(Login {
                user: "cobbler".to_owned(),
                password: "cobbler".to_owned(),
            }),
            boot_dir: None,
            http: HttpOptions::default(),
        })
        .await
        .expect("fake-cobbler answers");
        let distro = connector.catalogue().kind("distro").expect("a distro kind");
        let boot = connector.placeholders()[0].1.clone();
        let setup = connector.open();
        setup
            .create(
                distro,
                DISTRO,
                &[
                    ("kernel".to_owned(), format!("{boot}/vmlinuz")),
                    ("initrd".to_owned(), format!("{boot}/initrd.img")),
                ],
            )
            .await
            .expect("the distro is created");

        // The bare client: reqwest as it comes, the request bytes provspec sends.
        let bare = reqwest::Client::new();
        let call = MethodCall {
            name: "get_distro".into(),
            params: vec![Value::String(DISTRO.to_owned())],
        };
        let body = format!(
            "<?xml version=\"1.0\"?>\n{}",
            call.to_xml().expect("encodes")
        );
        let target: reqwest::Url = url.parse().expect("a URL");
        let bare_call = || {
            let request = bare
                .post(target.clone())
                .header(reqwest::header::CONTENT_TYPE, "text/xml")
                .body(body.clone());
            async move {
                let answer = request.send().await.expect("an answer");
                assert!(answer.status().is_success());
                let text = answer.text().await.expect("a body");
                assert!(text.contains("<methodResponse>"));
            }
        };

        let (mut bare_times, mut provspec_times) = (Vec::new(), Vec::new());
        for round in 0..=ROUNDS {
            // A scenario's backend: its own call layer (journal, faults), the run's login.
            let layer = CallLayer::new(Duration::from_secs(15), Some(Namer::new("bench", 1)));
            let backend: Arc<dyn Backend> = connector.open_with(layer);
            let provspec_call = || {
                let backend = backend.clone();
                async move {
                    let record = backend.get(distro, DISTRO).await.expect("get_distro");
                    assert!(record.is_some());
                }
            };
            let bare_time = per_call(bare_call).await;
            let provspec_time = per_call(provspec_call).await;
            if round > 0 {
                // Round 0 warms the connections up.
                bare_times.push(bare_time);
                provspec_times.push(provspec_time);
            }
        }
        setup.remove(distro, DISTRO, true).await.expect("removed");
        connector.close();

        let (bare_time, provspec_time) = (median(bare_times), median(provspec_times));
        let ratio = provspec_time / bare_time;
        let rate = 1.0 / bare_time;
        let mut missed = 0;
        let mut verdict = |met: bool| {
            if met {
                "meets"
            } else {
                missed += 1;
                "MISSES"
            }
        };
        println!(
            "one call over HTTP (get_distro, concurrency 1): provspec {:.1} µs, a bare reqwest client {:.1} µs (target: at most {CALL_RATIO_TARGET}x, ratio {ratio:.2}): {}",
            provspec_time * 1e6,
            bare_time * 1e6,
            verdict(ratio <= CALL_RATIO_TARGET)
        );
        println!(
            "fake-cobbler with a bare client at concurrency 1: {rate:.0} calls/s (target: at least {RATE_TARGET:.0}, ratio {:.2}): {}",
            rate / RATE_TARGET,
            verdict(rate >= RATE_TARGET)
        );
        missed
    });
    // `exit` runs no destructor: the fake-cobbler child is stopped first.
    drop(server);
    if missed > 0 {
        std::process::exit(1);
    }
}
