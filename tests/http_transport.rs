//! The HTTP transport against fake-cobbler's router and against servers that misbehave:
//! faults verbatim, clear errors naming the method, the URL and the start of the body, and
//! the run-start check failing fast.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use provspec::cobbler::fake::{FakeCobbler, server};
use provspec::cobbler::preflight::{PREFLIGHT_BUDGET, connect};
use provspec::cobbler::protocol::{CallError, HttpOptions, HttpTransport, Transport, Value};
use provspec::cobbler::session::Credentials;

async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

/// `provspec SUBCOMMAND ARGS` with no server settings from the environment.
fn provspec_command(subcommand: &str, args: &[&str]) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_provspec"));
    for var in [
        "PROVSPEC_BACKEND",
        "COBBLER_URL",
        "COBBLER_USER",
        "COBBLER_PASSWORD",
        "COBBLER_PASSWORD_FILE",
        "IRONIC_URL",
        "IRONIC_USER",
        "IRONIC_PASSWORD",
        "IRONIC_PASSWORD_FILE",
    ] {
        command.env_remove(var);
    }
    command.arg(subcommand).args(args);
    command
}

/// Runs `command`: its exit code, stdout and stderr.
async fn outcome(mut command: tokio::process::Command) -> (Option<i32>, String, String) {
    let output = command.output().await.unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

async fn fake_cobbler() -> String {
    let addr = serve(server::router(FakeCobbler::default())).await;
    format!("http://{addr}/")
}

fn transport(url: &str) -> HttpTransport {
    HttpTransport::new(url, HttpOptions::default()).unwrap()
}

#[tokio::test]
async fn values_and_faults_cross_http_verbatim() {
    let url = fake_cobbler().await;
    for path in ["", "RPC2", "cobbler_api"] {
        let t = transport(&format!("{url}{path}"));
        assert_eq!(
            t.call("version", vec![]).await.unwrap(),
            Value::Double(3.31)
        );
    }
    let t = transport(&url);
    let error = t
        .call(
            "login",
            vec![
                Value::String("cobbler".into()),
                Value::String("wrong".into()),
            ],
        )
        .await
        .unwrap_err();
    let fault = error.fault().expect("a fault");
    assert_eq!(fault.code, 1);
    assert_eq!(
        fault.string,
        "<class 'cobbler.cexceptions.CX'>:'login failed (cobbler)'"
    );
    assert_eq!(error.method(), "login");
}

#[tokio::test]
async fn an_unreachable_url_fails_fast_and_names_the_url() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let started = Instant::now();
    let error = transport(&url).call("ping", vec![]).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(error, CallError::Unreachable { .. }), "{error:?}");
    let text = error.to_string();
    assert!(
        text.starts_with(&format!("ping: cannot reach {url}: ")),
        "{text}"
    );
}

#[tokio::test]
async fn an_http_error_status_shows_the_method_the_status_and_the_body() {
    let addr = serve(Router::new().route(
        "/",
        post(|| async {
            (
                StatusCode::BAD_GATEWAY,
                "<html><body>proxy error: upstream down</body></html>",
            )
        }),
    ))
    .await;
    let error = transport(&format!("http://{addr}/"))
        .call("get_distros", vec![])
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(text.starts_with("get_distros: http://"), "{text}");
    assert!(text.contains("answered HTTP 502"), "{text}");
    assert!(text.contains("proxy error: upstream down"), "{text}");
}

#[tokio::test]
async fn an_html_page_or_malformed_xml_is_not_taken_for_a_value() {
    let addr = serve(
        Router::new()
            .route(
                "/html",
                post(|| async { "<!DOCTYPE html><html><title>Welcome to nginx!</title></html>" }),
            )
            .route(
                "/broken",
                post(|| async { "<?xml version='1.0'?><methodResponse><params><param>" }),
            ),
    )
    .await;
    for (path, needle) in [
        ("html", "Welcome to nginx!"),
        ("broken", "<methodResponse><params>"),
    ] {
        let error = transport(&format!("http://{addr}/{path}"))
            .call("get_systems", vec![])
            .await
            .unwrap_err();
        assert!(matches!(error, CallError::Malformed { .. }), "{error:?}");
        let text = error.to_string();
        assert!(text.starts_with("get_systems: "), "{text}");
        assert!(text.contains(needle), "{text}");
    }
}

#[tokio::test]
async fn a_url_that_is_not_http_is_refused_up_front() {
    let error = HttpTransport::new("ftp://example.org/", HttpOptions::default()).unwrap_err();
    assert!(
        error.contains("the scheme must be http or https"),
        "{error}"
    );
    assert!(HttpTransport::new("not a url", HttpOptions::default()).is_err());
}

#[tokio::test]
async fn the_run_start_check_fails_fast_on_a_wrong_url_or_password() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let good = Credentials::new("cobbler", "cobbler");

    let started = Instant::now();
    let error = connect(&dead, &good, PREFLIGHT_BUDGET, HttpOptions::default())
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        error.contains(&format!("the Cobbler at {dead} does not answer")),
        "{error}"
    );

    let url = fake_cobbler().await;
    let started = Instant::now();
    let error = connect(
        &url,
        &Credentials::new("cobbler", "wrong"),
        PREFLIGHT_BUDGET,
        HttpOptions::default(),
    )
    .await
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(error.contains("login failed (cobbler)"), "{error}");
    assert!(
        error.contains("check COBBLER_USER / COBBLER_PASSWORD"),
        "{error}"
    );

    connect(&url, &good, PREFLIGHT_BUDGET, HttpOptions::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_server_that_never_answers_is_cut_off_by_the_budget() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    // Accepts connections and never answers.
    tokio::spawn(async move {
        let mut held = Vec::new();
        loop {
            if let Ok((socket, _)) = listener.accept().await {
                held.push(socket);
            }
        }
    });
    let started = Instant::now();
    let error = connect(
        &url,
        &Credentials::new("cobbler", "cobbler"),
        Duration::from_millis(300),
        HttpOptions::default(),
    )
    .await
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        error.contains("did not answer ping and login within"),
        "{error}"
    );
}

/// `provspec sweep` (the library and the binary) against fake-cobbler and fake-ironic served
/// over HTTP in this process: items of a run chosen by hand (`ci42`), a run started now, a run
/// started three hours ago, and items without a run marker.
mod sweep {
    use std::collections::BTreeMap;
    use std::sync::Arc;
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use provspec::backend::{Backend, Connector, KindSpec};
    use provspec::backends::{Choice, Login, connect};
    use provspec::cobbler::Kind;
    use provspec::cobbler::fake::{FakeCobbler, server};
    use provspec::ironic::fake::{FakeIronic, FakeIronicConfig};
    use provspec::naming::{Namer, new_run_id, run_started_at};
    use provspec::sweep::{Outcome, Report, Selection, Skip, sweep};
    use serde_json::json;

    use super::serve;

    /// A run id as `naming::new_run_id` would have made it `hours` ago.
    fn run_id_started_hours_ago(hours: u64) -> String {
        let mut seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
            - hours * 3_600;
        let mut id = Vec::new();
        for _ in 0..6 {
            id.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[(seconds % 36) as usize]);
            seconds /= 36;
        }
        id.reverse();
        let id = format!("{}q7", String::from_utf8(id).unwrap());
        let started = run_started_at(&id).expect("the id carries its start time");
        assert!(started.elapsed().unwrap() > Duration::from_secs(hours * 3_600 - 60));
        id
    }

    /// The three runs: chosen by hand, started now, started three hours ago.
    fn runs() -> [String; 3] {
        ["ci42".to_owned(), new_run_id(), run_id_started_hours_ago(3)]
    }

    fn kind(backend: &dyn Backend, name: &str) -> &'static KindSpec {
        backend.catalogue().kind(name).unwrap()
    }

    fn pairs(attributes: &[(&str, &str)]) -> Vec<(String, String)> {
        attributes
            .iter()
            .map(|(a, v)| ((*a).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// The line of every entry, as `provspec sweep` prints them.
    fn lines(report: &Report) -> Vec<String> {
        report.entries.iter().map(ToString::to_string).collect()
    }

    fn removed_names(report: &Report) -> Vec<String> {
        report.removed().map(|item| item.name.clone()).collect()
    }

    async fn cobbler(fake: &FakeCobbler) -> Arc<dyn Connector> {
        let addr = serve(server::router(fake.clone())).await;
        connect(Choice {
            backend: "cobbler".into(),
            url: Some(format!("http://{addr}/")),
            login: Some(Login {
                user: "cobbler".to_owned(),
                password: "cobbler".to_owned(),
            }),
            ..Choice::default()
        })
        .await
        .unwrap()
    }

    /// A distro, a profile, a sub-profile with a system, and an image with a system, all named
    /// for `run`; their real names, children first as a sweep removes them.
    async fn cobbler_run(connector: &dyn Connector, run: &str) -> Vec<String> {
        let backend = connector.open();
        let backend = backend.as_ref();
        let namer = Namer::new(run, 1);
        let name = |alias: &str| namer.real_name(alias);
        let boot = connector.placeholders()[0].1.clone();
        let create = |kind_name: &'static str, alias: &'static str, attributes: Vec<_>| {
            let name = name(alias);
            async move {
                backend
                    .create(kind(backend, kind_name), &name, &attributes)
                    .await
                    .unwrap_or_else(|e| panic!("creating {kind_name} {name}: {e}"));
            }
        };
        let kernel = format!("{boot}/vmlinuz");
        let initrd = format!("{boot}/initrd.img");
        create(
            "distro",
            "d",
            pairs(&[("kernel", &kernel), ("initrd", &initrd)]),
        )
        .await;
        create("profile", "p", pairs(&[("distro", &name("d"))])).await;
        // The fake wants a distro on a sub-profile too (cobblerd takes the parent's).
        create(
            "profile",
            "sub",
            pairs(&[("parent", &name("p")), ("distro", &name("d"))]),
        )
        .await;
        create("system", "web", pairs(&[("profile", &name("sub"))])).await;
        create("image", "img", Vec::new()).await;
        create("system", "kiosk", pairs(&[("image", &name("img"))])).await;
        ["kiosk", "web", "sub", "p", "img", "d"].map(name).to_vec()
    }

    /// Items without a run marker: a distro, and one whose name holds `--` but no marker.
    async fn cobbler_unmarked(connector: &dyn Connector) {
        let backend = connector.open();
        let boot = connector.placeholders()[0].1.clone();
        let attributes = pairs(&[
            ("kernel", &format!("{boot}/vmlinuz")),
            ("initrd", &format!("{boot}/initrd.img")),
        ]);
        for name in ["golden", "rack--a"] {
            let distro = kind(backend.as_ref(), "distro");
            backend.create(distro, name, &attributes).await.unwrap();
        }
    }

    fn all_names(fake: &FakeCobbler) -> Vec<String> {
        let mut names: Vec<String> = fake.inventory().into_values().flatten().collect();
        names.sort();
        names
    }

    #[tokio::test]
    async fn a_run_is_swept_by_id_children_first_and_a_dry_run_removes_nothing() {
        let fake = FakeCobbler::default();
        let connector = cobbler(&fake).await;
        let [hand, fresh, old] = runs();
        let swept = cobbler_run(connector.as_ref(), &hand).await;
        cobbler_run(connector.as_ref(), &fresh).await;
        cobbler_run(connector.as_ref(), &old).await;
        cobbler_unmarked(connector.as_ref()).await;
        let before = all_names(&fake);
        let selection = Selection::Run(hand.clone());

        let mut printed = Vec::new();
        let report = sweep(connector.as_ref(), &selection, true, |e| {
            printed.push(e.to_string())
        })
        .await
        .unwrap();
        assert_eq!(all_names(&fake), before, "a dry run removed something");
        assert_eq!(printed, lines(&report));
        assert_eq!(
            printed,
            [
                "would remove system kiosk--ci42-1 (run ci42)",
                "would remove system web--ci42-1 (run ci42)",
                "would remove profile sub--ci42-1 (run ci42)",
                "would remove profile p--ci42-1 (run ci42)",
                "would remove image img--ci42-1 (run ci42)",
                "would remove distro d--ci42-1 (run ci42)",
            ]
        );
        assert!(report.is_complete());
        assert!(
            report
                .summary()
                .starts_with("dry run of run ci42 on http://127.0.0.1:"),
            "{}",
            report.summary()
        );
        assert!(
            report
                .summary()
                .ends_with(": 6 would be removed, 0 skipped; nothing was removed")
        );

        let report = sweep(connector.as_ref(), &selection, false, |_| {})
            .await
            .unwrap();
        assert_eq!(removed_names(&report), swept, "{:#?}", lines(&report));
        assert!(report.is_complete());
        assert!(
            report
                .summary()
                .ends_with(": 6 removed, 0 could not be removed, 0 skipped"),
            "{}",
            report.summary()
        );
        let left: Vec<String> = before
            .into_iter()
            .filter(|name| !swept.contains(name))
            .collect();
        assert_eq!(all_names(&fake), left);
        assert!(left.contains(&"golden".to_owned()) && left.contains(&"rack--a".to_owned()));
        assert_eq!(left.len(), 2 * 6 + 2);

        let again = sweep(connector.as_ref(), &selection, false, |_| {})
            .await
            .unwrap();
        assert!(again.entries.is_empty(), "{:#?}", lines(&again));
        assert!(
            again
                .summary()
                .starts_with("nothing of run ci42 on http://")
        );
        connector.close();
    }

    #[tokio::test]
    async fn older_than_sweeps_only_old_runs_and_lists_hand_made_ids() {
        let fake = FakeCobbler::default();
        let connector = cobbler(&fake).await;
        let [hand, fresh, old] = runs();
        let kept_hand = cobbler_run(connector.as_ref(), &hand).await;
        let kept_fresh = cobbler_run(connector.as_ref(), &fresh).await;
        let swept = cobbler_run(connector.as_ref(), &old).await;
        cobbler_unmarked(connector.as_ref()).await;

        let selection = Selection::OlderThan(Duration::from_secs(2 * 3_600));
        let report = sweep(connector.as_ref(), &selection, false, |_| {})
            .await
            .unwrap();
        assert_eq!(removed_names(&report), swept, "{:#?}", lines(&report));
        assert!(report.is_complete(), "{:#?}", lines(&report));
        let skipped: BTreeMap<String, Skip> = report
            .skipped()
            .map(|(item, skip)| (item.name.clone(), skip.clone()))
            .collect();
        assert_eq!(skipped.len(), 12, "{skipped:#?}");
        for name in &kept_hand {
            assert_eq!(skipped[name], Skip::NoStartTime);
        }
        for name in &kept_fresh {
            assert!(matches!(skipped[name], Skip::TooRecent { .. }), "{name}");
        }
        let lines = lines(&report);
        assert!(
            lines.contains(
                &"skipped system web--ci42-1 (run ci42): carries no start time, sweep it with --run-id ci42"
                    .to_owned()
            ),
            "{lines:#?}"
        );
        assert!(
            lines.iter().any(|l| l.starts_with(&format!(
                "skipped system web--{fresh}-1 (run {fresh}): started "
            )) && l.ends_with(" ago, not older than 2h")),
            "{lines:#?}"
        );
        let mut left = [
            kept_hand,
            kept_fresh,
            vec!["golden".into(), "rack--a".into()],
        ]
        .concat();
        left.sort();
        assert_eq!(all_names(&fake), left);
        assert!(
            report
                .summary()
                .ends_with(": 6 removed, 0 could not be removed, 12 skipped"),
            "{}",
            report.summary()
        );
        connector.close();
    }

    #[tokio::test]
    async fn what_an_item_without_a_marker_or_another_run_depends_on_is_kept() {
        let fake = FakeCobbler::default();
        let connector = cobbler(&fake).await;
        let [hand, fresh, _] = runs();
        cobbler_run(connector.as_ref(), &hand).await;
        let backend = connector.open();
        let system = kind(backend.as_ref(), "system");
        // Cobbler removes a profile or image with the systems on it: these must stay.
        let guest = pairs(&[("profile", "sub--ci42-1")]);
        backend.create(system, "guest", &guest).await.unwrap();
        let other = format!("other--{fresh}-1");
        let on_image = pairs(&[("image", "img--ci42-1")]);
        backend.create(system, &other, &on_image).await.unwrap();

        let report = sweep(connector.as_ref(), &Selection::Run(hand), false, |_| {})
            .await
            .unwrap();
        assert_eq!(
            lines(&report),
            [
                "removed system kiosk--ci42-1 (run ci42)".to_owned(),
                "removed system web--ci42-1 (run ci42)".to_owned(),
                "skipped profile sub--ci42-1 (run ci42): system guest depends on it and is not swept".to_owned(),
                "skipped profile p--ci42-1 (run ci42): profile sub--ci42-1 depends on it and is not swept".to_owned(),
                format!("skipped image img--ci42-1 (run ci42): system {other} depends on it and is not swept"),
                "skipped distro d--ci42-1 (run ci42): profile p--ci42-1, profile sub--ci42-1 depend on it and are not swept".to_owned(),
            ]
        );
        assert!(!report.is_complete());
        assert_eq!(fake.names(Kind::System), ["guest".to_owned(), other]);
        assert_eq!(fake.names(Kind::Profile).len(), 2);
        connector.close();
    }

    /// The backend's provision states and actions (Ironic has them).
    fn provisioning(backend: &dyn Backend) -> &dyn provspec::backend::Provisioning {
        backend
            .provisioning()
            .expect("the backend has provision states")
    }

    /// Waits until the node has settled in `expected`.
    async fn settle(backend: &dyn Backend, name: &str, expected: &str) {
        let node = kind(backend, "node");
        for _ in 0..400 {
            let state = provisioning(backend).state(node, name).await.unwrap();
            if state.name() == expected && !state.is_settling() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("node {name} never reached {expected}");
    }

    /// Nodes of `run`: one enrolled with a port (MAC address `mac`), one `active`, one
    /// `manageable` in maintenance; their real names, ports first.
    async fn ironic_run(connector: &dyn Connector, run: &str, mac: &str) -> Vec<String> {
        let backend = connector.open();
        let backend = backend.as_ref();
        let namer = Namer::new(run, 2);
        let name = |alias: &str| namer.real_name(alias);
        let node = kind(backend, "node");
        let defaults = pairs(&[("driver", "fake-hardware")]);
        for alias in ["enrolled", "deployed", "resting"] {
            backend.create(node, &name(alias), &defaults).await.unwrap();
        }
        let port = kind(backend, "port");
        let on_node = pairs(&[("node", &name("enrolled")), ("address", mac)]);
        backend.create(port, &name("nic"), &on_node).await.unwrap();
        for (action, state) in [
            ("manage", "manageable"),
            ("provide", "available"),
            ("deploy", "active"),
        ] {
            provisioning(backend)
                .act(node, &name("deployed"), action, &json!(null))
                .await
                .unwrap();
            settle(backend, &name("deployed"), state).await;
        }
        provisioning(backend)
            .act(node, &name("resting"), "manage", &json!(null))
            .await
            .unwrap();
        settle(backend, &name("resting"), "manageable").await;
        let reason = json!({"reason": "disk swap"});
        provisioning(backend)
            .act(node, &name("resting"), "maintenance", &reason)
            .await
            .unwrap();
        ["nic", "deployed", "enrolled", "resting"]
            .map(name)
            .to_vec()
    }

    /// fake-ironic served over HTTP in this process, and a connector to it.
    async fn ironic() -> (FakeIronic, Arc<dyn Connector>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let fake = FakeIronic::new(FakeIronicConfig {
            transition_delay: Duration::from_millis(10),
            base_url: format!("http://{addr}"),
            ..FakeIronicConfig::default()
        });
        let router = provspec::ironic::fake::server::router(fake.clone());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        let connector = connect(Choice {
            backend: "ironic".into(),
            url: Some(format!("http://{addr}")),
            ..Choice::default()
        })
        .await
        .unwrap();
        (fake, connector)
    }

    #[tokio::test]
    async fn ironic_nodes_are_swept_from_active_and_maintenance_ports_first() {
        let (fake, connector) = ironic().await;
        let [hand, fresh, old] = runs();
        let by_hand = ironic_run(connector.as_ref(), &hand, "52:54:00:00:00:01").await;
        let kept = ironic_run(connector.as_ref(), &fresh, "52:54:00:00:00:02").await;
        let aged = ironic_run(connector.as_ref(), &old, "52:54:00:00:00:03").await;
        let backend = connector.open();
        let node = kind(backend.as_ref(), "node");
        backend
            .create(node, "spare", &pairs(&[("driver", "fake-hardware")]))
            .await
            .unwrap();

        // A dry run by age lists the old run's items and removes nothing.
        let older = Selection::OlderThan(Duration::from_secs(2 * 3_600));
        let report = sweep(connector.as_ref(), &older, true, |_| {})
            .await
            .unwrap();
        assert_eq!(removed_names(&report), aged, "{:#?}", lines(&report));
        assert!(
            report
                .entries
                .iter()
                .any(|e| matches!(e.outcome, Outcome::WouldRemove))
        );
        assert_eq!(fake.node_names().len(), 10);
        assert_eq!(fake.port_count(), 3);

        let report = sweep(
            connector.as_ref(),
            &Selection::Run(hand.clone()),
            false,
            |_| {},
        )
        .await
        .unwrap();
        assert_eq!(removed_names(&report), by_hand, "{:#?}", lines(&report));
        assert!(report.is_complete());
        assert_eq!(
            lines(&report)[..2],
            [
                "removed port nic--ci42-2 (run ci42)".to_owned(),
                "removed node deployed--ci42-2 (run ci42)".to_owned(),
            ]
        );

        let report = sweep(connector.as_ref(), &older, false, |_| {})
            .await
            .unwrap();
        assert_eq!(removed_names(&report), aged, "{:#?}", lines(&report));
        assert_eq!(report.skipped().count(), kept.len());
        assert!(report.is_complete());

        let mut left = fake.node_names();
        left.sort();
        let mut expected: Vec<String> =
            kept.into_iter().filter(|n| !n.starts_with("nic")).collect();
        expected.push("spare".into());
        expected.sort();
        assert_eq!(left, expected);
        assert_eq!(fake.port_count(), 1);
    }

    /// The binary against a served fake: its lines, its summary and its exit status.
    #[tokio::test]
    async fn the_binary_prints_a_line_per_item_and_exits_by_what_it_could_do() {
        let fake = FakeCobbler::default();
        let connector = cobbler(&fake).await;
        let url = connector.endpoint();
        cobbler_run(connector.as_ref(), "ci42").await;
        cobbler_unmarked(connector.as_ref()).await;
        let provspec = |args: &[&str]| super::outcome(super::provspec_command("sweep", args));
        let server = ["--backend", "cobbler", "--url", url.as_str()];

        let (code, stdout, stderr) =
            provspec(&[&server[..], &["--run-id", "ci42", "--dry-run"]].concat()).await;
        assert_eq!(code, Some(0), "{stderr}");
        let out: Vec<&str> = stdout.lines().collect();
        assert_eq!(out.len(), 7, "{stdout}");
        assert_eq!(out[0], "would remove system kiosk--ci42-1 (run ci42)");
        assert!(
            out[6].ends_with(": 6 would be removed, 0 skipped; nothing was removed"),
            "{stdout}"
        );
        assert_eq!(fake.inventory().values().flatten().count(), 8);

        let (code, stdout, stderr) = provspec(&[&server[..], &["--run-id", "ci42"]].concat()).await;
        assert_eq!(code, Some(0), "{stderr}");
        assert!(
            stdout.starts_with("removed system kiosk--ci42-1 (run ci42)\n"),
            "{stdout}"
        );
        assert_eq!(all_names(&fake), ["golden", "rack--a"]);

        // Usage and connection errors: exit 2, one message, no password.
        let (code, _, stderr) = provspec(&server).await;
        assert_eq!(code, Some(2));
        assert!(
            stderr.contains("<--run-id <ID>|--older-than <DURATION>>"),
            "{stderr}"
        );
        let (code, _, stderr) = provspec(&["--run-id", "ci42", "--older-than", "2h"]).await;
        assert_eq!(code, Some(2));
        assert!(stderr.contains("cannot be used with"), "{stderr}");
        let (code, _, stderr) = provspec(&["--older-than", "2 hours"]).await;
        assert_eq!(code, Some(2));
        assert!(stderr.contains("is not a duration"), "{stderr}");
        let (code, _, stderr) = provspec(&["--backend", "fake-ironic", "--older-than", "2h"]).await;
        assert_eq!(code, Some(2));
        assert!(
            stderr.contains(
                "embedded fake: it lives and dies with its process, so there is nothing to sweep"
            ),
            "{stderr}"
        );
        let (code, _, stderr) = provspec(
            &[
                &server[..],
                &["--run-id", "ci42", "--password", "s3cr3t-pw"],
            ]
            .concat(),
        )
        .await;
        assert_eq!(code, Some(2));
        assert!(stderr.contains("login failed"), "{stderr}");
        assert!(!stderr.contains("s3cr3t-pw"), "{stderr}");
        connector.close();
    }

    #[tokio::test]
    async fn an_ironic_node_holding_a_port_without_a_marker_is_kept() {
        let (fake, connector) = ironic().await;
        ironic_run(connector.as_ref(), "ci42", "52:54:00:00:00:01").await;
        let backend = connector.open();
        let port = kind(backend.as_ref(), "port");
        let on_node = pairs(&[
            ("node", "enrolled--ci42-2"),
            ("address", "52:54:00:00:00:02"),
        ]);
        backend.create(port, "spare-nic", &on_node).await.unwrap();

        let selection = Selection::Run("ci42".into());
        let report = sweep(connector.as_ref(), &selection, false, |_| {})
            .await
            .unwrap();
        assert!(
            lines(&report).contains(
                &"skipped node enrolled--ci42-2 (run ci42): port spare-nic depends on it and is not swept"
                    .to_owned()
            ),
            "{:#?}",
            lines(&report)
        );
        assert_eq!(report.removed().count(), 3, "{:#?}", lines(&report));
        assert!(!report.is_complete());
        assert_eq!(fake.node_names(), ["enrolled--ci42-2"]);
        assert_eq!(fake.port_count(), 1);
    }
}

#[path = "http_transport/interruption.rs"]
mod interruption;

#[path = "http_transport/control.rs"]
mod control;

#[path = "http_transport/conformance.rs"]
mod conformance;
