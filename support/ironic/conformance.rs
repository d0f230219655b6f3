//! `provspec conformance --backend ironic`: the project's differential probe
//! (`conformance.probe` beside this file) sent to an Ironic and to the embedded fake (served
//! over HTTP on a free port), request by request. Each answer is compared as status, the `X-OpenStack-Ironic-API-*` headers, whether a
//! `Content-Type` came, `Location`, and the JSON body (an `error_message` holding JSON is read a
//! second time). JSON objects are unordered (RFC 8259), so their keys are compared sorted.
//!
//! Probe lines are `METHOD PATH [JSON body]`. After a `202` to `/v1/nodes/<node>/states/…` the
//! speaker waits (at most 30 s) until that node has settled (no target state, or a `… failed`
//! state, and no conductor lock), so the next line sees the end state on both sides.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::exchange::{Exchange, RawRequest};
use super::fake::{FakeIronic, FakeIronicConfig};
use super::http::HttpExchange;
use super::rest::BasicAuth;
use crate::conformance::{Comparison, Normaliser, Probe, Speaker, Tree, compare};
use crate::http::HttpOptions;
use crate::naming::Namer;

/// The probes shipped with provspec, as (file, text), run in this order.
pub const PROBES: &[(&str, &str)] = &[
    (
        "support/ironic/conformance.probe",
        include_str!("conformance.probe"),
    ),
    (
        "support/ironic/conformance-nodes.probe",
        include_str!("conformance-nodes.probe"),
    ),
    (
        "support/ironic/conformance-portgroups.probe",
        include_str!("conformance-portgroups.probe"),
    ),
    (
        "support/ironic/conformance-allocations.probe",
        include_str!("conformance-allocations.probe"),
    ),
    (
        "support/ironic/conformance-chassis.probe",
        include_str!("conformance-chassis.probe"),
    ),
    (
        "support/ironic/conformance-deploy-templates.probe",
        include_str!("conformance-deploy-templates.probe"),
    ),
    (
        "support/ironic/conformance-runbooks.probe",
        include_str!("conformance-runbooks.probe"),
    ),
    (
        "support/ironic/conformance-components.probe",
        include_str!("conformance-components.probe"),
    ),
];

/// The microversion every probe request sends unless it sets its own header.
const MICROVERSION: &str = "1.115";

/// How long a node may take to settle after an asynchronous action.
const SETTLE_WITHIN: Duration = Duration::from_secs(30);

/// One Ironic (real over HTTP, or the embedded fake) spoken to with raw requests.
pub struct RestSpeaker {
    exchange: Arc<dyn Exchange>,
    auth: Option<String>,
    placeholders: BTreeMap<String, String>,
}

impl RestSpeaker {
    /// A speaker through `exchange`, logging in with `auth` (http_basic) when given.
    pub fn new(
        exchange: Arc<dyn Exchange>,
        auth: Option<&BasicAuth>,
        placeholders: BTreeMap<String, String>,
    ) -> Self {
        Self {
            exchange,
            auth: auth.map(BasicAuth::header),
            placeholders,
        }
    }

    async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
        version: Option<&str>,
    ) -> Tree {
        let request = RawRequest::json(method, path, version, self.auth.clone(), body);
        let response = match self.exchange.exchange(request).await {
            Ok(response) => response,
            Err(e) => return Tree::Unreadable(e.to_string()),
        };
        let mut heads: Vec<(String, Tree)> = response
            .headers
            .iter()
            .filter(|(name, _)| {
                name.to_ascii_lowercase()
                    .starts_with("x-openstack-ironic-api-")
            })
            .map(|(name, value)| (name.to_ascii_lowercase(), Tree::Str(value.clone())))
            .collect();
        heads.push((
            "content-type present".to_owned(),
            Tree::Bool(response.header("content-type").is_some()),
        ));
        if let Some(location) = response.header("location") {
            heads.push(("location".to_owned(), Tree::Str(location.to_owned())));
        }
        Tree::Map(vec![
            ("status".to_owned(), Tree::Int(i64::from(response.status))),
            ("headers".to_owned(), Tree::Map(heads)),
            ("body".to_owned(), body_tree(&response.body)),
        ])
    }

    /// Waits until the node at `node_path` has settled; its last answer.
    async fn settle(&self, node_path: &str) -> Option<Tree> {
        let deadline = Instant::now() + SETTLE_WITHIN;
        loop {
            let answer = self
                .request("GET", node_path, None, Some(MICROVERSION))
                .await;
            let node = answer.get("body");
            let text = |key: &str| node.and_then(|n| n.get(key)).and_then(Tree::as_str);
            let empty = |key: &str| matches!(node.and_then(|n| n.get(key)), None | Some(Tree::Nil));
            let settled = (text("provision_state").is_some_and(|s| s.ends_with("failed"))
                || (empty("target_provision_state") && empty("target_power_state")))
                && empty("reservation");
            if settled || node.is_none() {
                return None;
            }
            if Instant::now() >= deadline {
                return Some(answer);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

#[async_trait::async_trait]
impl Speaker for RestSpeaker {
    async fn send(&self, call: &str) -> Result<Tree, String> {
        let mut parts = call.splitn(3, char::is_whitespace);
        let method = parts.next().unwrap_or("").to_ascii_uppercase();
        let path = parts
            .next()
            .ok_or_else(|| format!("`{call}`: expected METHOD PATH [JSON body]"))?;
        let rest = parts.next().map(str::trim).unwrap_or("");
        // `version=X` (or `version=none`) before the body sets the microversion header.
        let (version, rest) = match rest.strip_prefix("version=") {
            Some(tail) => {
                let (value, body) = tail.split_once(char::is_whitespace).unwrap_or((tail, ""));
                ((value != "none").then_some(value), body.trim())
            }
            None => (Some(MICROVERSION), rest),
        };
        let body: Option<serde_json::Value> = if rest.is_empty() {
            None
        } else {
            Some(
                serde_json::from_str(rest)
                    .map_err(|e| format!("the body of {method} {path} is not JSON: {e}"))?,
            )
        };
        let answer = self.request(&method, path, body.as_ref(), version).await;
        if method == "PUT"
            && matches!(answer.get("status"), Some(Tree::Int(202)))
            && let Some((node, _)) = path.split_once("/states/")
            && let Some(unsettled) = self.settle(node).await
        {
            return Ok(Tree::Map(vec![
                ("answer".to_owned(), answer),
                (
                    format!("not settled after {} s", SETTLE_WITHIN.as_secs()),
                    unsettled,
                ),
            ]));
        }
        Ok(answer)
    }

    fn placeholders(&self) -> &BTreeMap<String, String> {
        &self.placeholders
    }
}

/// A JSON body as a tree (an `error_message` holding JSON read again), its text when it is
/// not JSON, nil when empty.
fn body_tree(body: &[u8]) -> Tree {
    let text = String::from_utf8_lossy(body);
    if text.trim().is_empty() {
        return Tree::Nil;
    }
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(mut json) => {
            if let Some(message) = json.get("error_message").and_then(|m| m.as_str())
                && let Ok(inner) = serde_json::from_str::<serde_json::Value>(message)
            {
                json["error_message"] = inner;
            }
            json_tree(&json)
        }
        Err(_) => Tree::Str(text.into_owned()),
    }
}

fn json_tree(json: &serde_json::Value) -> Tree {
    match json {
        serde_json::Value::Null => Tree::Nil,
        serde_json::Value::Bool(b) => Tree::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Tree::Int(i),
            None => Tree::Float(n.as_f64().unwrap_or_default()),
        },
        serde_json::Value::String(s) => Tree::Str(s.clone()),
        serde_json::Value::Array(items) => Tree::List(items.iter().map(json_tree).collect()),
        serde_json::Value::Object(members) => Tree::Map(
            members
                .iter()
                .map(|(k, v)| (k.clone(), json_tree(v)))
                .collect(),
        ),
    }
}

/// Ironic's values that differ by nature between two servers: uuids, request ids, times, the
/// base URL; object keys sorted; a driver's `enabled_*_interfaces` sorted (Ironic lists a
/// Python set, in an order that changes from one server process to the next).
pub struct IronicNormaliser;

impl Normaliser for IronicNormaliser {
    fn normalise(&self, _call: &str, answer: Tree) -> Tree {
        answer.map_nodes(&mut |key, node| match node {
            Tree::List(mut items)
                if key.is_some_and(|k| k.starts_with("enabled_") && k.ends_with("_interfaces")) =>
            {
                items.sort_by_key(|item| item.to_string());
                Tree::List(items)
            }
            Tree::Str(text) => Tree::Str(mask_text(&text)),
            Tree::Map(mut members) => {
                members.sort_by(|a, b| a.0.cmp(&b.0));
                Tree::Map(members)
            }
            other => other,
        })
    }
}

/// Masks request ids, uuids, ISO times and `scheme://host:port` in `text`.
fn mask_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if let Some(len) = uuid_at(rest) {
            let request_id = out.ends_with("req-");
            if request_id {
                out.truncate(out.len() - 4);
                out.push_str("<request-id>");
            } else {
                out.push_str("<uuid>");
            }
            i += len;
        } else if let Some(len) = time_at(rest) {
            out.push_str("<time>");
            i += len;
        } else if let Some(len) = base_at(rest) {
            out.push_str("<base>");
            i += len;
        } else {
            let c = rest.chars().next().unwrap_or_default();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The length of a uuid (8-4-4-4-12 hex) at the start of `text`.
fn uuid_at(text: &str) -> Option<usize> {
    let groups = [8, 4, 4, 4, 12];
    let mut at = 0;
    for (index, len) in groups.iter().enumerate() {
        let part = text.get(at..at + len)?;
        if !part.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        at += len;
        if index < groups.len() - 1 {
            if text.get(at..at + 1)? != "-" {
                return None;
            }
            at += 1;
        }
    }
    Some(at)
}

/// The length of an ISO time (`2026-11-30T10:03:14.021+00:00`) at the start of `text`.
fn time_at(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range.clone())
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    let ok = digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
        && matches!(b.get(10), Some(b'T' | b' '))
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19);
    if !ok {
        return None;
    }
    let mut at = 19;
    if b.get(at) == Some(&b'.') {
        at += 1;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
    }
    match b.get(at) {
        Some(b'Z') => at += 1,
        Some(b'+' | b'-') if digits(at + 1..at + 3) => {
            at += 3;
            if b.get(at) == Some(&b':') {
                at += 1;
            }
            if digits(at..at + 2) {
                at += 2;
            }
        }
        _ => {}
    }
    Some(at)
}

/// The length of `http://host:port` (or https) at the start of `text`.
fn base_at(text: &str) -> Option<usize> {
    let scheme = if text.starts_with("http://") {
        7
    } else if text.starts_with("https://") {
        8
    } else {
        return None;
    };
    let host = text[scheme..]
        .find(|c: char| c == '/' || c.is_whitespace() || c == '"' || c == '\'')
        .unwrap_or(text.len() - scheme);
    (host > 0).then_some(scheme + host)
}

/// Runs `probes` against the Ironic at `url` (http_basic with `auth`, noauth without) and
/// against a fresh embedded fake with the same login; every name carries `run_id`'s marker.
pub async fn run(
    url: &str,
    auth: Option<&BasicAuth>,
    http: HttpOptions,
    probes: &[Probe],
    run_id: &str,
) -> Result<Vec<Comparison>, String> {
    // The fake is served over HTTP on a free port, so its server layer is compared too.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("cannot serve the embedded fake: {e}"))?;
    let fake_url = format!(
        "http://{}",
        listener
            .local_addr()
            .map_err(|e| format!("cannot serve the embedded fake: {e}"))?
    );
    let fake = FakeIronic::new(FakeIronicConfig {
        users: auth.map(|a| vec![(a.user.clone(), a.password().to_owned())]),
        base_url: fake_url.clone(),
        ..FakeIronicConfig::default()
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(super::fake::server::serve(listener, fake, async {
        let _ = stopped.await;
    }));
    let fake = HttpExchange::new(&fake_url, http)?;
    let real = HttpExchange::new(url, http)?;
    // MACs of this run, the same on both sides: 02 (locally administered) and four random bytes.
    let random: [u8; 4] = rand::random();
    let mut placeholders = BTreeMap::new();
    for n in 1..=4u8 {
        let mac = format!(
            "02:{:02x}:{:02x}:{:02x}:{:02x}:{n:02x}",
            random[0], random[1], random[2], random[3]
        );
        placeholders.insert(format!("MAC{n}_UPPER"), mac.to_uppercase());
        placeholders.insert(format!("mac{n}"), mac);
    }
    let fake = RestSpeaker::new(Arc::new(fake), auth, placeholders.clone());
    let server = RestSpeaker::new(Arc::new(real), auth, placeholders);
    let namer = Namer::new(run_id, 1);
    // The fake is stopped below whatever the probes did.
    let compared = async {
        let mut all = Vec::new();
        for probe in probes {
            all.extend(
                compare(probe, &fake, &server, &IronicNormaliser, &namer)
                    .await
                    .map_err(|e| e.to_string())?,
            );
        }
        Ok(all)
    }
    .await;
    let _ = stop.send(());
    let _ = served.await;
    compared
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_times_request_ids_and_bases_are_masked() {
        let text = "req-0b2c3d4e-0000-4000-8000-0123456789ab at 2026-11-30T10:03:14.021+00:00 \
                    for 9b1c8f6e-3d2a-4e5f-8a7b-0c1d2e3f4a5b via http://127.0.0.1:6385/v1/nodes";
        assert_eq!(
            mask_text(text),
            "<request-id> at <time> for <uuid> via <base>/v1/nodes"
        );
        assert_eq!(mask_text("2026-11-30 10:03:14"), "<time>");
    }

    #[test]
    fn error_messages_holding_json_are_read_again() {
        let body = br#"{"error_message": "{\"faultstring\": \"Node x could not be found.\"}"}"#;
        assert_eq!(
            body_tree(body).to_string(),
            "{\"error_message\": {\"faultstring\": \"Node x could not be found.\"}}"
        );
    }

    #[test]
    fn the_shipped_probes_parse() {
        for (name, text) in PROBES {
            let probe = Probe::parse(name, text).expect("parses");
            assert!(probe.steps.len() > 15, "{name}: {}", probe.steps.len());
        }
    }
}
