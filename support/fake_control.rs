//! The control API of the fakes served over HTTP (`fake-cobbler`, `fake-ironic`), under
//! `/_provspec/`, as moto's server mode has one: whoever talks to the fake as a separate
//! server (a feature run, a shell script with `curl`, another test tool) adds server-side fault
//! rules and reads the calls the server received.
//!
//! | route | answer |
//! | --- | --- |
//! | `POST /_provspec/faults` | adds a [`FaultRule`] given as JSON; 201 with the plan |
//! | `GET /_provspec/faults` | 200 with the plan, `{"rules": [...]}` |
//! | `DELETE /_provspec/faults` | drops every rule; 200 with the empty plan |
//! | `GET /_provspec/calls` | 200 with the journal, a JSON array of [`Received`], oldest first |
//! | `DELETE /_provspec/calls` | empties the journal; 200 `[]` |
//! | `GET /_provspec/health` | 200 `{"status": "ok", "server": …, "rules": N, "calls": N}` |
//!
//! A rule that does not read gets 400 with what was wrong and what a rule looks like
//! ([`RULE_SHAPE`]); an unknown route 404, another method 405, each with a JSON `error`.
//!
//! Every other request passes through the middleware [`Control::wrap`] puts in front of the
//! fake: the request is named by its [`Family`] (an XML-RPC method, or `VERB /path`),
//! journaled with its arguments redacted ([`crate::calls::journal::redact`]), and the plan's
//! faults for that name ([`FaultPlan::take`]) are applied the way a failing server, or a
//! proxy in front of it, fails:
//!
//! - latency: waits, then the fake answers;
//! - refuse: the family's refusal (an XML-RPC fault, Ironic's 400 with its error body);
//! - http-status: that status with the rule's body, or the family's usual error body;
//! - stall: no answer until the client gives up (the call then ends), the server shuts down,
//!   or [`STALL_LIMIT`] passes (the connection is then closed);
//! - drop: the connection is closed without an answer;
//! - malformed: a reply that does not parse (garbage), one cut off halfway (truncated), or a
//!   proxy's HTML error page with HTTP 502 (html-page).
//!
//! Every fault but latency answers instead of the fake: the call is not carried out. The
//! control API itself is never journaled and never faulted.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::RequestExt as _;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::handler::Handler;
use axum::http::{Method, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, any, get};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::calls::faults::{FaultKind, FaultPlan, FaultRule, Malformed};
use crate::calls::journal::redact;

/// Where the control API lives on a fake.
pub const PREFIX: &str = "/_provspec";

/// The longest a stalled call is held before its connection is closed.
pub const STALL_LIMIT: Duration = Duration::from_secs(10 * 60);

/// How many calls the journal keeps; the oldest go first.
pub const JOURNAL_LIMIT: usize = 10_000;

/// What a fault rule looks like, as the 400 of a bad one says.
pub const RULE_SHAPE: &str = "a fault rule is a JSON object such as {\"call\": \"save_system\", \
\"times\": 1, \"kind\": \"http-status\", \"status\": 503}: \"call\" (optional; an XML-RPC method \
or \"VERB /path\", a path matching everything below it; every call when absent), \"times\" \
(optional, at least 1; every matching call when absent) and \"kind\", one of \"refuse\" (with \
\"message\"), \"http-status\" (with \"status\", 200 to 599, and an optional \"body\"), \"latency\" \
(with \"base_ms\" and an optional \"jitter_ms\"), \"stall\", \"drop\", \"malformed\" (with \"form\": \
\"garbage\", \"truncated\" or \"html-page\")";

/// The routes of the control API, as a 404 lists them.
const ROUTES: &str = "POST/GET/DELETE /_provspec/faults, GET/DELETE /_provspec/calls, \
GET /_provspec/health";

/// What the generic control code needs from a family of fakes: how its calls are named and
/// what its failures look like on the wire.
pub trait Family: Send + Sync + 'static {
    /// The server's name, for the health answer (`fake-cobbler`).
    fn server(&self) -> &'static str;

    /// The largest request body the fake reads; a request declaring a larger one is passed
    /// to the fake unread (it answers as it always does) and journaled without arguments.
    fn max_body(&self) -> usize;

    /// The name the journal and the fault rules know a request by (`save_system`,
    /// `PATCH /v1/nodes/n1`), and its arguments as JSON; the generic code redacts them.
    fn call(&self, method: &Method, path: &str, body: &[u8]) -> (String, Value);

    /// The answer refusing a call with `message`.
    fn refusal(&self, message: &str) -> Response;

    /// The answer with `status` when a rule gives no body: the status's reason, as text.
    fn error_status(&self, status: StatusCode) -> Response {
        let reason = crate::http::reason_phrase(status.as_u16());
        (status, [(header::CONTENT_TYPE, "text/plain")], reason).into_response()
    }

    /// A reply whose body does not parse.
    fn garbage(&self) -> Response;

    /// A reply cut off halfway.
    fn truncated(&self) -> Response;

    /// The answer to a body larger than [`Family::max_body`] that declared no length (or one
    /// that could not be read): axum's 413, as the fakes' handlers give it.
    fn too_large(&self) -> Response {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            "Failed to buffer the request body: length limit exceeded",
        )
            .into_response()
    }
}

/// One call the server received, as `GET /_provspec/calls` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Received {
    /// What was called: an XML-RPC method, or the HTTP verb and path (without the query).
    pub name: String,
    /// The arguments: XML-RPC's as a JSON array, or the JSON body (`null` without one; a body
    /// that does not parse is shown by its size only); passwords, tokens and secrets
    /// redacted.
    pub arguments: Value,
    /// The HTTP status answered; `null` when no complete answer went out (a dropped or
    /// stalled call, a client that gave up) or while the call is still being answered.
    pub status: Option<u16>,
    /// How long the server took, injected latency included, in milliseconds; `null` while
    /// the call is still being answered.
    pub duration_ms: Option<u64>,
    /// The injected fault, in words (`HTTP 503`, `dropped connection`), if any.
    pub injected: Option<String>,
}

/// Why the control API refused a request.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ControlError {
    /// The body of `POST /_provspec/faults` is not JSON.
    #[error("the body is not JSON ({0})")]
    NotJson(String),
    /// The body is JSON, but not an object.
    #[error("the body is a JSON {0}, not an object")]
    NotAnObject(&'static str),
    /// A field the rule's kind does not take (a typo would otherwise go unnoticed).
    #[error("unknown field {field:?} for kind {kind:?} (it takes: {takes})")]
    UnknownField {
        /// The field.
        field: String,
        /// The rule's kind.
        kind: String,
        /// The fields that kind takes.
        takes: String,
    },
    /// The object does not read as a rule (serde's words: a missing field, an unknown kind).
    #[error("{0}")]
    NotARule(String),
    /// `times` is 0.
    #[error("\"times\" must be at least 1 (leave it out for every matching call)")]
    NoTimes,
    /// An HTTP status outside 200 to 599.
    #[error("\"status\" must be an HTTP status from 200 to 599, not {0}")]
    Status(u16),
    /// Latency longer than [`STALL_LIMIT`].
    #[error(
        "{0} ms of latency is more than 10 minutes; use the kind \"stall\" for a call that is never answered"
    )]
    TooLong(u64),
    /// No such route under `/_provspec/`.
    #[error("no route {method} {path} in the control API (it has: {ROUTES})")]
    NoRoute {
        /// The method asked for.
        method: String,
        /// The path asked for.
        path: String,
    },
    /// A route asked with a method it does not take.
    #[error("{path} takes {allowed}, not {method}")]
    Method {
        /// The route.
        path: String,
        /// The methods it takes.
        allowed: &'static str,
        /// The method asked for.
        method: String,
    },
}

impl ControlError {
    fn status(&self) -> StatusCode {
        match self {
            Self::NoRoute { .. } => StatusCode::NOT_FOUND,
            Self::Method { .. } => StatusCode::METHOD_NOT_ALLOWED,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match &self {
            Self::NoRoute { .. } | Self::Method { .. } => json!({"error": self.to_string()}),
            _ => json!({"error": self.to_string(), "expected": RULE_SHAPE}),
        };
        json_response(status, &body)
    }
}

/// Reads a fault rule as `POST /_provspec/faults` takes it: a [`FaultRule`] as JSON, with
/// no field its kind does not take, `times` at least 1, a status from 200 to 599 and at most
/// [`STALL_LIMIT`] of latency.
pub fn parse_rule(body: &[u8]) -> Result<FaultRule, ControlError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| ControlError::NotJson(e.to_string()))?;
    let Value::Object(fields) = &value else {
        return Err(ControlError::NotAnObject(json_type(&value)));
    };
    // serde ignores fields it does not know: a typo ("time") would make a rule for every call.
    let kind = fields.get("kind").and_then(Value::as_str);
    if let Some((kind, own)) = kind.and_then(|k| Some((k, kind_fields(k)?))) {
        let takes: Vec<&str> = COMMON_FIELDS.iter().chain(own).copied().collect();
        if let Some(field) = fields.keys().find(|f| !takes.contains(&f.as_str())) {
            return Err(ControlError::UnknownField {
                field: field.clone(),
                kind: kind.to_owned(),
                takes: takes.join(", "),
            });
        }
    }
    let rule: FaultRule =
        serde_json::from_value(value).map_err(|e| ControlError::NotARule(e.to_string()))?;
    if rule.times == Some(0) {
        return Err(ControlError::NoTimes);
    }
    match &rule.fault {
        FaultKind::HttpStatus { status, .. } if !(200..=599).contains(status) => {
            Err(ControlError::Status(*status))
        }
        FaultKind::Latency { base_ms, jitter_ms }
            if base_ms.saturating_add(*jitter_ms) > STALL_LIMIT.as_millis() as u64 =>
        {
            Err(ControlError::TooLong(base_ms.saturating_add(*jitter_ms)))
        }
        _ => Ok(rule),
    }
}

/// The fields every rule takes.
const COMMON_FIELDS: [&str; 3] = ["call", "times", "kind"];

/// The fields a kind takes besides [`COMMON_FIELDS`]; `None` for an unknown kind.
fn kind_fields(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "refuse" => &["message"],
        "http-status" => &["status", "body"],
        "latency" => &["base_ms", "jitter_ms"],
        "stall" | "drop" => &[],
        "malformed" => &["form"],
        _ => return None,
    })
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn json_response(status: StatusCode, body: &impl Serialize) -> Response {
    let text = serde_json::to_string(body)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    (status, [(header::CONTENT_TYPE, "application/json")], text).into_response()
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

#[derive(Default)]
struct Journal {
    next_id: u64,
    calls: VecDeque<(u64, Received)>,
}

struct Shared {
    family: Box<dyn Family>,
    plan: Mutex<FaultPlan>,
    journal: Mutex<Journal>,
    stall_limit: Mutex<Duration>,
    released: watch::Sender<bool>,
}

/// One fake's server-side fault plan and journal, the control API over them, and the
/// middleware that applies them; cheap to clone (all clones share them).
#[derive(Clone)]
pub struct Control(Arc<Shared>);

impl fmt::Debug for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Control")
            .field("server", &self.0.family.server())
            .field("plan", &*lock(&self.0.plan))
            .field("calls", &lock(&self.0.journal).calls.len())
            .finish()
    }
}

impl Control {
    /// An empty plan and journal for a fake of `family`.
    pub fn new(family: impl Family) -> Self {
        Self(Arc::new(Shared {
            family: Box::new(family),
            plan: Mutex::default(),
            journal: Mutex::default(),
            stall_limit: Mutex::new(STALL_LIMIT),
            released: watch::Sender::new(false),
        }))
    }

    /// The server's name (`fake-cobbler`).
    pub fn server(&self) -> &'static str {
        self.0.family.server()
    }

    /// Adds a rule; returns the plan with it.
    pub fn add(&self, rule: FaultRule) -> FaultPlan {
        let mut plan = lock(&self.0.plan);
        plan.add(rule);
        plan.clone()
    }

    /// The rules not yet used up, oldest first.
    pub fn faults(&self) -> FaultPlan {
        lock(&self.0.plan).clone()
    }

    /// Drops every rule.
    pub fn clear_faults(&self) {
        *lock(&self.0.plan) = FaultPlan::default();
    }

    /// The calls received (at most [`JOURNAL_LIMIT`], the newest), oldest first.
    pub fn calls(&self) -> Vec<Received> {
        lock(&self.0.journal)
            .calls
            .iter()
            .map(|(_, call)| call.clone())
            .collect()
    }

    /// Empties the journal.
    pub fn clear_calls(&self) {
        lock(&self.0.journal).calls.clear();
    }

    /// Holds stalled calls at most `limit` (by default [`STALL_LIMIT`]).
    pub fn set_stall_limit(&self, limit: Duration) {
        *lock(&self.0.stall_limit) = limit;
    }

    /// Ends every stall and every injected latency now and from now on (a stalled call's
    /// connection is closed, a delayed one answered at once): the server is shutting down.
    pub fn release(&self) {
        self.0.released.send_replace(true);
    }

    /// `shutdown`, then [`Control::release`]: give this to axum's graceful shutdown, so
    /// a stalled call does not hold the server up.
    pub fn releasing(
        &self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> impl Future<Output = ()> + Send + 'static {
        let control = self.clone();
        async move {
            shutdown.await;
            control.release();
        }
    }

    /// `app` behind the fault and journal middleware, with the control API beside it under
    /// [`PREFIX`].
    pub fn wrap(&self, app: Router) -> Router {
        app.merge(self.routes())
            .layer(from_fn_with_state(self.clone(), middleware))
    }

    /// The control API alone.
    fn routes(&self) -> Router {
        let route = |path: &'static str, allowed: &'static str, methods: MethodRouter<Control>| {
            (
                path,
                methods.fallback(move |request: Request| async move {
                    ControlError::Method {
                        path: path.to_owned(),
                        allowed,
                        method: request.method().to_string(),
                    }
                }),
            )
        };
        let routes = [
            route(
                "/_provspec/faults",
                "POST, GET or DELETE",
                get(list_faults).post(add_fault).delete(clear_faults),
            ),
            route(
                "/_provspec/calls",
                "GET or DELETE",
                get(list_calls).delete(clear_calls),
            ),
            route("/_provspec/health", "GET", get(health)),
        ];
        routes
            .into_iter()
            .fold(Router::new(), |router, (path, methods)| {
                router.route(path, methods)
            })
            .route("/_provspec", any(no_route))
            .route("/_provspec/", any(no_route))
            .route("/_provspec/{*rest}", any(no_route))
            .with_state(self.clone())
    }

    /// Journals a call as it arrives; the returned entry completes it when dropped.
    fn begin(&self, name: String, arguments: Value, injected: Option<String>) -> Entry<'_> {
        let mut journal = lock(&self.0.journal);
        let id = journal.next_id;
        journal.next_id += 1;
        journal.calls.push_back((
            id,
            Received {
                name,
                arguments,
                status: None,
                duration_ms: None,
                injected,
            },
        ));
        while journal.calls.len() > JOURNAL_LIMIT {
            journal.calls.pop_front();
        }
        Entry {
            control: self,
            id,
            started: Instant::now(),
            status: None,
        }
    }

    /// Waits `duration`, or less if the server is shutting down.
    async fn wait(&self, duration: Duration) {
        let mut released = self.0.released.subscribe();
        tokio::select! {
            () = tokio::time::sleep(duration) => {}
            _ = released.wait_for(|released| *released) => {}
        }
    }

    /// Answers a request that is not for the control API: journaled, faulted, or passed on.
    async fn answer(&self, request: Request, next: Next) -> Response {
        let family = &self.0.family;
        let (parts, body) = request.into_parts();
        let max = family.max_body();
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        let (bytes, body) = if declared.is_some_and(|n| n > max as u64) {
            // Passed on unread: the fake refuses it as it always has.
            (Bytes::new(), body)
        } else {
            match axum::body::to_bytes(body, max).await {
                Ok(bytes) => (bytes.clone(), Body::from(bytes)),
                Err(_) => {
                    let (name, _) = family.call(&parts.method, parts.uri.path(), &[]);
                    let mut entry = self.begin(name, Value::Null, None);
                    let response = family.too_large();
                    entry.status = Some(response.status().as_u16());
                    return response;
                }
            }
        };
        let (name, mut arguments) = family.call(&parts.method, parts.uri.path(), &bytes);
        redact(&mut arguments);
        let (delay, failure) = lock(&self.0.plan).take(&name);
        let mut entry = self.begin(name, arguments, injected(delay, failure.as_ref()));
        if !delay.is_zero() {
            self.wait(delay).await;
        }
        let response = match failure {
            None | Some(FaultKind::Latency { .. }) => {
                next.run(Request::from_parts(parts, body)).await
            }
            Some(FaultKind::Refuse { message }) => family.refusal(&message),
            Some(FaultKind::HttpStatus { status, body }) => {
                let status =
                    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                if body.is_empty() {
                    family.error_status(status)
                } else {
                    (status, [(header::CONTENT_TYPE, content_type(&body))], body).into_response()
                }
            }
            Some(FaultKind::Stall) => {
                let limit = *lock(&self.0.stall_limit);
                self.wait(limit).await;
                return cut_connection().await;
            }
            Some(FaultKind::Drop) => return cut_connection().await,
            Some(FaultKind::Malformed { form }) => match form {
                Malformed::Garbage => family.garbage(),
                Malformed::Truncated => family.truncated(),
                Malformed::HtmlPage => (
                    StatusCode::BAD_GATEWAY,
                    [(header::CONTENT_TYPE, "text/html")],
                    crate::calls::faults::HTML_ERROR_PAGE,
                )
                    .into_response(),
            },
        };
        entry.status = Some(response.status().as_u16());
        response
    }
}

/// A call in the journal being answered; dropping it (answered, or abandoned because the
/// client left) records its status and duration.
struct Entry<'a> {
    control: &'a Control,
    id: u64,
    started: Instant,
    status: Option<u16>,
}

impl Drop for Entry<'_> {
    fn drop(&mut self) {
        let elapsed = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let mut journal = lock(&self.control.0.journal);
        if let Some((_, call)) = journal
            .calls
            .iter_mut()
            .rev()
            .find(|(id, _)| *id == self.id)
        {
            call.status = self.status;
            call.duration_ms = Some(elapsed);
        }
    }
}

/// The journal's words for what was injected.
fn injected(delay: Duration, failure: Option<&FaultKind>) -> Option<String> {
    let latency = (!delay.is_zero()).then(|| format!("{} ms of latency", delay.as_millis()));
    match (failure.map(FaultKind::describe), latency) {
        (Some(failure), Some(latency)) => Some(format!("{failure} after {latency}")),
        (failure, latency) => failure.or(latency),
    }
}

/// The content type of a body a rule gives: JSON, HTML (or XML), or text.
fn content_type(body: &str) -> &'static str {
    let start = body.trim_start();
    if serde_json::from_str::<Value>(body).is_ok() {
        "application/json"
    } else if start.starts_with("<?xml") {
        "text/xml"
    } else if start.starts_with('<') {
        "text/html"
    } else {
        "text/plain"
    }
}

/// A response whose body fails on its first read: hyper gives up on the connection with the
/// response head still unsent in its buffer, so the client sees the connection closed
/// before any answer ("connection closed before message completed").
///
/// The failing body is the one axum's public API makes without another crate: a body read
/// under a length limit it exceeds (2 bytes under a limit of 1, so that its size is not
/// known to be 0, which hyper would answer without reading it).
async fn cut_connection() -> Response {
    let over_limit = (|request: Request| async move { request.with_limited_body().into_body() })
        .layer(DefaultBodyLimit::max(1));
    let failing = Handler::<_, ()>::call(over_limit, Request::new(Body::from("xx")), ())
        .await
        .into_body();
    Response::new(failing)
}

/// The middleware: the control API goes straight through, every other request is answered
/// by [`Control::answer`].
async fn middleware(State(control): State<Control>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path == PREFIX || path.starts_with("/_provspec/") {
        return next.run(request).await;
    }
    control.answer(request, next).await
}

async fn list_faults(State(control): State<Control>) -> Response {
    json_response(StatusCode::OK, &control.faults())
}

async fn add_fault(State(control): State<Control>, body: Bytes) -> Response {
    match parse_rule(&body) {
        Ok(rule) => json_response(StatusCode::CREATED, &control.add(rule)),
        Err(e) => e.into_response(),
    }
}

async fn clear_faults(State(control): State<Control>) -> Response {
    control.clear_faults();
    json_response(StatusCode::OK, &control.faults())
}

async fn list_calls(State(control): State<Control>) -> Response {
    json_response(StatusCode::OK, &control.calls())
}

async fn clear_calls(State(control): State<Control>) -> Response {
    control.clear_calls();
    json_response(StatusCode::OK, &control.calls())
}

async fn health(State(control): State<Control>) -> Response {
    let body = json!({
        "status": "ok",
        "server": control.server(),
        "rules": control.faults().rules.len(),
        "calls": lock(&control.0.journal).calls.len(),
    });
    json_response(StatusCode::OK, &body)
}

async fn no_route(request: Request) -> ControlError {
    ControlError::NoRoute {
        method: request.method().to_string(),
        path: request.uri().path().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_as_the_control_api_takes_them() {
        let rule = parse_rule(
            br#"{"call": "save_system", "times": 1, "kind": "http-status", "status": 503}"#,
        )
        .unwrap();
        assert_eq!(rule.call.as_deref(), Some("save_system"));
        assert_eq!(rule.times, Some(1));
        let rule = parse_rule(br#"{"kind": "malformed", "form": "html-page"}"#).unwrap();
        assert_eq!(
            rule.fault,
            FaultKind::Malformed {
                form: Malformed::HtmlPage
            }
        );
    }

    #[test]
    fn bad_rules_say_what_is_wrong() {
        let error = |body: &str| parse_rule(body.as_bytes()).unwrap_err().to_string();
        assert!(
            error("{").starts_with("the body is not JSON ("),
            "{}",
            error("{")
        );
        assert_eq!(error("[1]"), "the body is a JSON array, not an object");
        assert_eq!(
            error(r#"{"kind": "drop", "time": 1}"#),
            "unknown field \"time\" for kind \"drop\" (it takes: call, times, kind)"
        );
        assert!(error(r#"{"kind": "explode"}"#).contains("unknown variant `explode`"));
        assert!(error(r#"{"kind": "refuse"}"#).contains("missing field `message`"));
        assert_eq!(
            error(r#"{"kind": "drop", "times": 0}"#),
            "\"times\" must be at least 1 (leave it out for every matching call)"
        );
        assert_eq!(
            error(r#"{"kind": "http-status", "status": 99}"#),
            "\"status\" must be an HTTP status from 200 to 599, not 99"
        );
        assert!(error(r#"{"kind": "latency", "base_ms": 600001}"#).starts_with("600001 ms"));
    }

    #[test]
    fn the_journal_says_what_was_injected() {
        assert_eq!(injected(Duration::ZERO, None), None);
        assert_eq!(
            injected(Duration::from_millis(20), None).as_deref(),
            Some("20 ms of latency")
        );
        assert_eq!(
            injected(Duration::from_millis(20), Some(&FaultKind::Drop)).as_deref(),
            Some("dropped connection after 20 ms of latency")
        );
        assert_eq!(content_type("{\"a\": 1}"), "application/json");
        assert_eq!(content_type("<html>"), "text/html");
        assert_eq!(content_type("busy"), "text/plain");
    }
}
