//! The control API of fake-cobbler and fake-ironic (`/_provspec/`), served over HTTP in this
//! process and, once, as the `fake-cobbler` binary: server-side fault rules reach provspec's
//! own clients as a failing server's answers, count down, and the journal lists what the
//! server received, without secrets and without the control API's own requests.

use std::time::Duration;

use provspec::cobbler::fake::{FakeCobbler, server as cobbler};
use provspec::cobbler::protocol::{HttpOptions, HttpTransport, Transport, Value};
use provspec::fake_control::{Control, RULE_SHAPE, Received};
use provspec::ironic::fake::{FakeIronic, FakeIronicConfig, server as ironic};
use provspec::ironic::http::HttpExchange;
use provspec::ironic::rest::{ApiError, BasicAuth, MICROVERSION, RestClient};
use serde_json::{Value as Json, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A fake served over HTTP in this process as its `serve` serves it (graceful shutdown
/// releasing stalls), with a handle on its control.
struct Served {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    base: String,
    control: Control,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Served {
    async fn start(build: impl FnOnce(&str, &Control) -> axum::Router, control: Control) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let router = build(&base, &control);
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown = control.releasing(async move {
            let _ = stopped.await;
        });
        let task = tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(shutdown)
                .await
        });
        Self {
            base,
            control,
            stop: Some(stop),
            task,
        }
    }

    async fn cobbler() -> Self {
        Self::start(
            |_, control| cobbler::router_with(FakeCobbler::default(), control),
            cobbler::control(),
        )
        .await
    }

    /// fake-ironic asking for http_basic credentials (`admin:s3cret-pw`).
    async fn ironic() -> Self {
        Self::start(
            |base, control| {
                let fake = FakeIronic::new(FakeIronicConfig {
                    users: Some(vec![("admin".into(), "s3cret-pw".into())]),
                    transition_delay: Duration::from_millis(10),
                    base_url: base.to_owned(),
                });
                ironic::router_with(fake, control)
            },
            ironic::control(),
        )
        .await
    }

    /// The XML-RPC URL of fake-cobbler.
    fn url(&self) -> String {
        format!("{}/", self.base)
    }

    fn transport(&self, request_timeout: Duration) -> HttpTransport {
        let options = HttpOptions {
            request_timeout,
            ..HttpOptions::default()
        };
        HttpTransport::new(&self.url(), options).unwrap()
    }

    fn rest(&self, request_timeout: Duration) -> RestClient {
        let options = HttpOptions {
            request_timeout,
            ..HttpOptions::default()
        };
        let exchange = HttpExchange::new(&self.base, options).unwrap();
        let auth = BasicAuth::new("admin", "s3cret-pw");
        RestClient::new(std::sync::Arc::new(exchange), MICROVERSION, Some(auth))
    }

    /// `method /_provspec/<path>` with `body`: the status and the answer as JSON.
    async fn control(&self, method: &str, path: &str, body: Option<&str>) -> (u16, Json) {
        control_request(&self.base, method, path, body).await
    }

    /// Adds a rule; it must be taken (201).
    async fn inject(&self, rule: Json) {
        let (status, plan) = self
            .control("POST", "faults", Some(&rule.to_string()))
            .await;
        assert_eq!(status, 201, "{plan}");
    }

    async fn calls(&self) -> Vec<Received> {
        let (status, calls) = self.control("GET", "calls", None).await;
        assert_eq!(status, 200, "{calls}");
        serde_json::from_value(calls).unwrap()
    }

    /// The journal once no call is being answered any more (a call a client gave up on ends
    /// when the server notices the closed connection).
    async fn settled_calls(&self) -> Vec<Received> {
        for _ in 0..500 {
            let calls = self.calls().await;
            if calls.iter().all(|c| c.duration_ms.is_some()) {
                return calls;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("a call is still being answered: {:#?}", self.calls().await);
    }

    /// Shuts the server down; it must stop within 5 s.
    async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        tokio::time::timeout(Duration::from_secs(5), &mut self.task)
            .await
            .expect("the server stops at once")
            .unwrap()
            .unwrap();
    }
}

/// `method BASE/_provspec/<path>` with plain reqwest: the status and the answer as JSON.
async fn control_request(base: &str, method: &str, path: &str, body: Option<&str>) -> (u16, Json) {
    let client = reqwest::Client::new();
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = client.request(method, format!("{base}/_provspec/{path}"));
    if let Some(body) = body {
        request = request.body(body.to_owned());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text:?}"));
    (status, json)
}

fn names(calls: &[Received]) -> Vec<&str> {
    calls.iter().map(|c| c.name.as_str()).collect()
}

fn statuses(calls: &[Received]) -> Vec<Option<u16>> {
    calls.iter().map(|c| c.status).collect()
}

const LONG: Duration = Duration::from_secs(15);

#[tokio::test]
async fn cobbler_refusals_count_down_then_calls_go_through() {
    let served = Served::cobbler().await;
    let (status, plan) = served
        .control(
            "POST",
            "faults",
            Some(r#"{"call": "ping", "times": 2, "kind": "refuse", "message": "disk full"}"#),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(
        plan,
        json!({"rules": [{"call": "ping", "times": 2, "kind": "refuse", "message": "disk full"}]})
    );
    let t = served.transport(LONG);
    assert_eq!(
        t.call("version", vec![]).await.unwrap(),
        Value::Double(3.31)
    );
    for _ in 0..2 {
        let error = t.call("ping", vec![]).await.unwrap_err();
        assert_eq!(
            error.to_string(),
            "ping: fault 1: <class 'cobbler.cexceptions.CX'>:'disk full'"
        );
    }
    assert_eq!(t.call("ping", vec![]).await.unwrap(), Value::Boolean(true));
    assert_eq!(
        served.control("GET", "faults", None).await,
        (200, json!({"rules": []}))
    );
    let calls = served.calls().await;
    assert_eq!(names(&calls), ["version", "ping", "ping", "ping"]);
    assert_eq!(statuses(&calls), [Some(200); 4]);
    let injected: Vec<Option<&str>> = calls.iter().map(|c| c.injected.as_deref()).collect();
    assert_eq!(
        injected,
        [
            None,
            Some("refused with \"disk full\""),
            Some("refused with \"disk full\""),
            None
        ]
    );
    served.stop().await;
}

#[tokio::test]
async fn cobbler_every_fault_kind_reaches_the_client_as_a_failing_server_would_answer() {
    let served = Served::cobbler().await;
    let url = served.url();
    let t = served.transport(LONG);
    let cases: [(Json, String); 6] = [
        (
            json!({"kind": "http-status", "status": 503}),
            format!("ping: {url} answered HTTP 503; the body starts: \"Service Unavailable\""),
        ),
        (
            json!({"kind": "http-status", "status": 500, "body": "<html>oops</html>"}),
            format!("ping: {url} answered HTTP 500; the body starts: \"<html>oops</html>\""),
        ),
        (
            json!({"kind": "drop"}),
            format!(
                "ping: cannot reach {url}: error sending request for url ({url}): client error (SendRequest): connection closed before message completed"
            ),
        ),
        (
            json!({"kind": "malformed", "form": "garbage"}),
            format!(
                "ping: {url} sent a response that is not XML-RPC (neither a methodResponse nor a fault); the body starts: \"<?xml version='1.0'?>\\n<methodResponse><params><param><value><strukt><member><name>name</name></member></strukt></value></param></params></methodResponse>\\n\""
            ),
        ),
        (
            json!({"kind": "malformed", "form": "truncated"}),
            format!(
                "ping: {url} sent a response that is not XML-RPC (neither a methodResponse nor a fault); the body starts: \"<?xml version='1.0'?>\\n<methodResponse>\\n<params>\\n<param>\\n<value><bool\""
            ),
        ),
        (
            json!({"kind": "malformed", "form": "html-page"}),
            format!(
                "ping: {url} answered HTTP 502; the body starts: \"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>\""
            ),
        ),
    ];
    for (fault, expected) in &cases {
        let mut rule = fault.clone();
        rule["call"] = json!("ping");
        rule["times"] = json!(1);
        served.inject(rule).await;
        let error = t.call("ping", vec![]).await.unwrap_err();
        assert_eq!(&error.to_string(), expected);
        // Used up: the next call goes through.
        assert_eq!(t.call("ping", vec![]).await.unwrap(), Value::Boolean(true));
    }
    let calls = served.calls().await;
    assert_eq!(calls.len(), 12);
    assert!(calls.iter().all(|c| c.name == "ping"));
    let faulted: Vec<(Option<u16>, Option<&str>)> = calls
        .iter()
        .step_by(2)
        .map(|c| (c.status, c.injected.as_deref()))
        .collect();
    assert_eq!(
        faulted,
        [
            (Some(503), Some("HTTP 503")),
            (Some(500), Some("HTTP 500")),
            (None, Some("dropped connection")),
            (Some(200), Some("malformed reply")),
            (Some(200), Some("a truncated reply")),
            (Some(502), Some("an HTML error page")),
        ]
    );
    assert!(
        calls
            .iter()
            .skip(1)
            .step_by(2)
            .all(|c| c.status == Some(200) && c.injected.is_none())
    );
    served.stop().await;
}

#[tokio::test]
async fn cobbler_latency_delays_the_answer_and_a_rule_without_times_stays() {
    let served = Served::cobbler().await;
    served
        .inject(json!({"call": "ping", "kind": "latency", "base_ms": 150}))
        .await;
    let t = served.transport(LONG);
    for _ in 0..2 {
        assert_eq!(t.call("ping", vec![]).await.unwrap(), Value::Boolean(true));
    }
    assert_eq!(
        t.call("version", vec![]).await.unwrap(),
        Value::Double(3.31)
    );
    let calls = served.calls().await;
    assert_eq!(names(&calls), ["ping", "ping", "version"]);
    for call in &calls[..2] {
        assert_eq!(call.injected.as_deref(), Some("150 ms of latency"));
        assert!(call.duration_ms.unwrap() >= 150, "{call:?}");
        assert_eq!(call.status, Some(200));
    }
    assert_eq!(calls[2].injected, None);
    let (_, plan) = served.control("GET", "faults", None).await;
    assert_eq!(plan["rules"].as_array().unwrap().len(), 1, "{plan}");
    assert_eq!(
        served.control("DELETE", "faults", None).await,
        (200, json!({"rules": []}))
    );
    served.stop().await;
}

#[tokio::test]
async fn a_stall_lasts_until_the_client_gives_up_the_limit_passes_or_the_server_stops() {
    let served = Served::cobbler().await;
    let url = served.url();

    // The client gives up after its call timeout; the server sees it leave.
    served
        .inject(json!({"call": "ping", "times": 1, "kind": "stall"}))
        .await;
    let error = served
        .transport(Duration::from_millis(300))
        .call("ping", vec![])
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "ping: cannot reach {url}: error sending request for url ({url}): operation timed out (timed out)"
        )
    );
    let calls = served.settled_calls().await;
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].status, None);
    assert_eq!(
        calls[0].injected.as_deref(),
        Some("slower than the call timeout")
    );
    assert!(calls[0].duration_ms.unwrap() >= 300, "{calls:?}");
    let t = served.transport(LONG);
    assert_eq!(t.call("ping", vec![]).await.unwrap(), Value::Boolean(true));

    // Past the server's limit the connection is closed.
    served.control.set_stall_limit(Duration::from_millis(200));
    served
        .inject(json!({"call": "ping", "times": 1, "kind": "stall"}))
        .await;
    let error = t.call("ping", vec![]).await.unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("connection closed before message completed"),
        "{error}"
    );

    // Stopping the server ends a stall at once.
    served
        .control
        .set_stall_limit(provspec::fake_control::STALL_LIMIT);
    served.inject(json!({"kind": "stall"})).await;
    let stalled = tokio::spawn(async move { t.call("ping", vec![]).await });
    for _ in 0..500 {
        if served.calls().await.len() == 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(served.calls().await.len(), 4, "the stalled call arrived");
    served.stop().await;
    let error = stalled.await.unwrap().unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("connection closed before message completed"),
        "{error}"
    );
}

#[tokio::test]
async fn the_cobbler_journal_shows_no_password_no_token_and_no_control_call() {
    let served = Served::cobbler().await;
    let t = served.transport(LONG);
    let token = t
        .call(
            "login",
            vec![
                Value::String("cobbler".into()),
                Value::String("cobbler".into()),
            ],
        )
        .await
        .unwrap();
    let Value::String(token) = token else {
        panic!("{token:?}")
    };
    assert_eq!(
        t.call("token_check", vec![Value::String(token.clone())])
            .await
            .unwrap(),
        Value::Boolean(true)
    );
    let wrong = Value::String("s3cret-pw".into());
    let error = t
        .call("login", vec![Value::String("cobbler".into()), wrong])
        .await
        .unwrap_err();
    assert!(error.to_string().contains("login failed"), "{error}");
    served.control("GET", "health", None).await;
    served.control("GET", "faults", None).await;

    let (_, raw) = served.control("GET", "calls", None).await;
    let text = raw.to_string();
    assert!(!text.contains("s3cret-pw"), "{text}");
    assert!(!text.contains(&token), "{text}");
    let calls: Vec<Received> = serde_json::from_value(raw).unwrap();
    assert_eq!(names(&calls), ["login", "token_check", "login"]);
    assert_eq!(calls[0].arguments, json!(["cobbler", "[redacted]"]));
    assert_eq!(calls[1].arguments, json!(["[token]"]));
    assert_eq!(calls[2].arguments, json!(["cobbler", "[redacted]"]));

    assert_eq!(
        served.control("DELETE", "calls", None).await,
        (200, json!([]))
    );
    assert!(served.calls().await.is_empty());
    served.stop().await;
}

#[tokio::test]
async fn bad_control_requests_are_refused_with_what_is_expected() {
    let served = Served::cobbler().await;
    let post = |body: &'static str| served.control("POST", "faults", Some(body));
    let refused = [
        (post("{").await, "the body is not JSON ("),
        (
            post(r#"{"kind": "explode"}"#).await,
            "unknown variant `explode`, expected one of `refuse`, `http-status`, `latency`, `stall`, `drop`, `malformed`",
        ),
        (
            post(r#"{"call": "ping", "kind": "refuse"}"#).await,
            "missing field `message`",
        ),
        (
            post(r#"{"call": "ping", "time": 1, "kind": "drop"}"#).await,
            "unknown field \"time\" for kind \"drop\" (it takes: call, times, kind)",
        ),
        (
            post(r#"{"times": 0, "kind": "drop"}"#).await,
            "\"times\" must be at least 1",
        ),
        (
            post(r#"{"kind": "http-status", "status": 42}"#).await,
            "\"status\" must be an HTTP status from 200 to 599, not 42",
        ),
        (
            post(r#"{"kind": "malformed", "form": "mangled"}"#).await,
            "unknown variant `mangled`, expected one of `garbage`, `html-page`, `truncated`",
        ),
    ];
    for ((status, answer), needle) in refused {
        assert_eq!(status, 400, "{answer}");
        let error = answer["error"].as_str().unwrap();
        assert!(error.contains(needle), "{error}");
        assert_eq!(answer["expected"], RULE_SHAPE);
    }
    assert!(RULE_SHAPE.contains("\"refuse\" (with \"message\")"));

    let (status, answer) = served.control("PUT", "faults", Some("{}")).await;
    assert_eq!(status, 405);
    assert_eq!(
        answer,
        json!({"error": "/_provspec/faults takes POST, GET or DELETE, not PUT"})
    );
    let (status, answer) = served.control("GET", "nothing/here", None).await;
    assert_eq!(status, 404);
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .starts_with("no route GET /_provspec/nothing/here in the control API (it has: "),
        "{answer}"
    );

    // Nothing was added, nothing was journaled.
    assert_eq!(
        served.control("GET", "health", None).await,
        (
            200,
            json!({"status": "ok", "server": "fake-cobbler", "rules": 0, "calls": 0})
        )
    );
    served.stop().await;
}

/// `POST /v1/nodes` of a node named `name` with a BMC password.
async fn create_node(rest: &RestClient, name: &str) -> Result<u16, ApiError> {
    let body = json!({"name": name, "driver": "fake-hardware",
                      "driver_info": {"ipmi_password": "bmc-s3cret"}});
    rest.call("POST", "/v1/nodes", Some(&body))
        .await
        .map(|reply| reply.status)
}

#[tokio::test]
async fn ironic_every_fault_kind_reaches_the_client_as_a_failing_server_would_answer() {
    let served = Served::ironic().await;
    let base = &served.base;
    let rest = served.rest(LONG);
    let cases: [(Json, &str); 7] = [
        (
            json!({"kind": "refuse", "message": "the conductor is busy"}),
            "POST /v1/nodes: HTTP 400: the conductor is busy (request req-",
        ),
        (
            json!({"kind": "http-status", "status": 503}),
            "POST /v1/nodes: HTTP 503: Service Unavailable (request req-",
        ),
        (
            json!({"kind": "http-status", "status": 409, "body": "<html>busy</html>"}),
            "POST /v1/nodes: HTTP 409: an error status without an Ironic error body; the body starts: \"<html>busy</html>\"",
        ),
        (
            json!({"kind": "drop"}),
            "POST /v1/nodes: cannot reach BASE/v1/nodes: error sending request for url (BASE/v1/nodes): client error (SendRequest): connection closed before message completed",
        ),
        (
            json!({"kind": "malformed", "form": "garbage"}),
            "POST /v1/nodes: HTTP 200: the body is not JSON; the body starts: \"{\\\"nodes\\\": [{\\\"uuid\\\": \\\"1be26c0b\\\",, }\"",
        ),
        (
            json!({"kind": "malformed", "form": "truncated"}),
            "POST /v1/nodes: HTTP 200: the body is not JSON; the body starts: \"{\\\"uuid\\\": \\\"1be26c0b-03f2-4d2e-ae87-c02d7f33c123\\\", \\\"name\\\": \\\"n\"",
        ),
        (
            json!({"kind": "malformed", "form": "html-page"}),
            "POST /v1/nodes: HTTP 502: an error status without an Ironic error body; the body starts: \"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>\"",
        ),
    ];
    for (fault, expected) in &cases {
        let mut rule = fault.clone();
        rule["call"] = json!("POST /v1/nodes");
        rule["times"] = json!(1);
        served.inject(rule).await;
        let error = create_node(&rest, "n1").await.unwrap_err();
        let expected = expected.replace("BASE", base);
        assert!(
            error.to_string().starts_with(&expected),
            "{error}\nexpected: {expected}"
        );
    }
    // Every rule is used up: the node is created, once.
    assert_eq!(create_node(&rest, "n1").await.unwrap(), 201);
    assert!(rest.get("/v1/nodes/n1").await.is_ok());

    let calls = served.calls().await;
    assert_eq!(
        names(&calls),
        [["POST /v1/nodes"; 8].as_slice(), &["GET /v1/nodes/n1"]].concat()
    );
    assert_eq!(
        statuses(&calls),
        [
            Some(400),
            Some(503),
            Some(409),
            None,
            Some(200),
            Some(200),
            Some(502),
            Some(201),
            Some(200)
        ]
    );
    assert_eq!(
        calls[0].injected.as_deref(),
        Some("refused with \"the conductor is busy\"")
    );
    served.stop().await;
}

#[tokio::test]
async fn ironic_rules_match_a_path_and_below_and_the_journal_hides_credentials() {
    let served = Served::ironic().await;
    let rest = served.rest(LONG);
    assert_eq!(create_node(&rest, "n1").await.unwrap(), 201);
    served
        .inject(
            json!({"call": "PATCH /v1/nodes", "times": 1, "kind": "http-status", "status": 500}),
        )
        .await;
    let patch = json!([{"op": "add", "path": "/description", "value": "rack 4"}]);
    let error = rest
        .call("PATCH", "/v1/nodes/n1", Some(&patch))
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("PATCH /v1/nodes/n1: HTTP 500: Internal Server Error"),
        "{error}"
    );
    rest.call("PATCH", "/v1/nodes/n1", Some(&patch))
        .await
        .unwrap();
    rest.get("/v1/nodes?fields=name,description").await.unwrap();

    // A stall the client gives up on.
    served
        .inject(json!({"call": "GET /v1/nodes/n1", "times": 1, "kind": "stall"}))
        .await;
    let error = served
        .rest(Duration::from_millis(300))
        .get("/v1/nodes/n1")
        .await
        .unwrap_err();
    assert!(error.to_string().ends_with("(timed out)"), "{error}");
    assert!(matches!(error, ApiError::Unreachable { .. }), "{error}");

    let calls = served.settled_calls().await;
    assert_eq!(
        names(&calls),
        [
            "POST /v1/nodes",
            "PATCH /v1/nodes/n1",
            "PATCH /v1/nodes/n1",
            "GET /v1/nodes",
            "GET /v1/nodes/n1"
        ]
    );
    assert_eq!(
        statuses(&calls),
        [Some(201), Some(500), Some(200), Some(200), None]
    );
    assert_eq!(
        calls[0].arguments["driver_info"]["ipmi_password"],
        "[redacted]"
    );
    assert_eq!(calls[1].arguments, patch);
    assert_eq!(calls[3].arguments, Json::Null);
    let text = serde_json::to_string(&calls).unwrap();
    for secret in ["bmc-s3cret", "s3cret-pw", "YWRtaW46czNjcmV0LXB3", "Basic"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    served.stop().await;
}

#[tokio::test]
async fn fake_ironic_serves_the_control_api_beside_every_path() {
    let served = Served::ironic().await;
    assert_eq!(
        served.control("GET", "health", None).await,
        (
            200,
            json!({"status": "ok", "server": "fake-ironic", "rules": 0, "calls": 0})
        )
    );
    // Ironic's own answers are unchanged: no credentials, 401 in its own shape.
    let anonymous = RestClient::new(
        std::sync::Arc::new(HttpExchange::new(&served.base, HttpOptions::default()).unwrap()),
        MICROVERSION,
        None,
    );
    let error = anonymous.get("/v1/nodes").await.unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert_eq!(error.message(), Some("Authorization required"));
    let calls = served.calls().await;
    assert_eq!(names(&calls), ["GET /v1/nodes"]);
    assert_eq!(statuses(&calls), [Some(401)]);
    served.stop().await;
}

/// A child process, killed (by its pid) and reaped when dropped: a failed assertion must not
/// leave it running.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The `fake-cobbler` binary scripted with plain reqwest, as another tool would script it.
#[tokio::test]
async fn the_fake_cobbler_binary_is_scripted_over_http() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let mut child = Running(
        Command::new(env!("CARGO_BIN_EXE_fake-cobbler"))
            .args(["--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("fake-cobbler starts"),
    );
    let mut first = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {first:?}"))
        .to_owned();
    let base = url.trim_end_matches('/');

    let (status, plan) = control_request(
        base,
        "POST",
        "faults",
        Some(r#"{"call": "ping", "times": 1, "kind": "refuse", "message": "scripted"}"#),
    )
    .await;
    assert_eq!(status, 201, "{plan}");
    let ping =
        "<?xml version=\"1.0\"?><methodCall><methodName>ping</methodName><params/></methodCall>";
    let client = reqwest::Client::new();
    let mut answers = Vec::new();
    for _ in 0..2 {
        let response = client.post(&url).body(ping).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200);
        answers.push(response.text().await.unwrap());
    }
    assert!(
        answers[0].contains("<fault>")
            && answers[0].contains("&lt;class 'cobbler.cexceptions.CX'&gt;:'scripted'"),
        "{}",
        answers[0]
    );
    assert!(
        answers[1].contains("<boolean>1</boolean>"),
        "{}",
        answers[1]
    );
    let (status, calls) = control_request(base, "GET", "calls", None).await;
    assert_eq!(status, 200);
    let calls: Vec<Received> = serde_json::from_value(calls).unwrap();
    assert_eq!(names(&calls), ["ping", "ping"]);
    assert_eq!(
        calls[0].injected.as_deref(),
        Some("refused with \"scripted\"")
    );
    assert_eq!(calls[0].arguments, json!([]));

    // SAFETY: SIGTERM to the pid of the child this test started and still owns.
    unsafe { libc::kill(child.0.id() as libc::pid_t, libc::SIGTERM) };
    let mut exited = None;
    for _ in 0..500 {
        exited = child.0.try_wait().unwrap();
        if exited.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let status = exited.expect("fake-cobbler exits on SIGTERM");
    assert!(status.success(), "{status}");
}
