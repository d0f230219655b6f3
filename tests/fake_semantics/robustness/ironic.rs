//! Random HTTP requests at the fake Ironic through its in-process entry point: paths from real
//! route pieces and junk, microversion and auth headers, JSON and other bodies, patches, and
//! provision and power verbs in any order on the nodes it made.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use provspec::ironic::exchange::{RawRequest, RawResponse};
use provspec::ironic::fake::json::{self, Json};
use provspec::ironic::fake::{FakeIronic, FakeIronicConfig};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use super::{Journal, clip, seed};
use provspec::world::error::panic_text;

/// Requests thrown at each fake Ironic.
const REQUESTS: usize = 1500;

const METHODS: &[&str] = &[
    "GET", "GET", "GET", "POST", "POST", "PATCH", "PATCH", "PUT", "PUT", "DELETE", "DELETE",
    "HEAD", "OPTIONS", "get", "", "BREW", "ÉTÉ",
];

const SEGMENTS: &[&str] = &[
    "v1",
    "nodes",
    "ports",
    "detail",
    "states",
    "provision",
    "power",
    "maintenance",
    "drivers",
    "conductors",
    "fake-hardware",
    "ironic-local",
    "chassis",
    "portgroups",
    "allocations",
    "allocation",
    "traits",
    "CUSTOM_GPU",
    "validate",
    "properties",
    "vendor_passthru",
    "",
    ".",
    "..",
    "%",
    "%zz",
    "%2F",
    "%C3%A9",
    "%FF",
    "%+1",
    "é",
    "~",
    "{11111111-2222-3333-4444-555555555555}",
    "urn:uuid:11111111-2222-3333-4444-555555555555",
    "11111111222233334444555555555555",
];

const QUERY_KEYS: &[&str] = &[
    "limit",
    "marker",
    "fields",
    "sort_key",
    "sort_dir",
    "detail",
    "provision_state",
    "maintenance",
    "associated",
    "driver",
    "node",
    "node_uuid",
    "address",
    "description_contains",
    "conductor",
    "fault",
    "retired",
    "instance_name",
    "portgroup",
    "resource_class",
    "state",
    "junk",
    "",
];

const QUERY_VALUES: &[&str] = &[
    "0",
    "1",
    "2",
    "-1",
    "1000",
    "1001",
    "99999999999999999999999",
    "abc",
    "",
    "name",
    "uuid,name",
    "name,,",
    "links",
    "bogus",
    "asc",
    "desc",
    "True",
    "yes",
    "maybe",
    "enroll",
    "available",
    "id",
    "provision_state",
    "power_state",
    "52:54:00:aa:bb:cc",
    "%",
    "a%2Cb",
];

const VERSIONS: &[&str] = &[
    "1.1",
    "1.5",
    "1.8",
    "1.27",
    "1.38",
    "1.49",
    "1.88",
    "1.115",
    "latest",
    "LATEST",
    "1.0",
    "1.116",
    "2.1",
    "0.1",
    "1.",
    ".1",
    "1",
    "1.1.1",
    "1.99999999999999999999999",
    "99999999999999999999.1",
    "abc",
    "",
    " 1.38 ",
    "1.-1",
    "+1.1",
    "١.١",
];

const PROVISION_TARGETS: &[&str] = &[
    "manage", "provide", "active", "deleted", "undeploy", "rebuild", "clean", "inspect", "abort",
    "adopt", "rescue", "unrescue", "service", "unhold", "deploy", "", "ACTIVE",
];

const POWER_TARGETS: &[&str] = &[
    "power on",
    "power off",
    "rebooting",
    "soft power off",
    "soft rebooting",
    "on",
    "",
];

const NODE_FIELDS: &[&str] = &[
    "name",
    "driver",
    "properties",
    "extra",
    "instance_info",
    "driver_info",
    "instance_uuid",
    "maintenance",
    "protected",
    "description",
    "resource_class",
    "owner",
    "deploy_interface",
    "power_interface",
    "provision_state",
    "uuid",
    "chassis_uuid",
    "junk",
];

struct IronicFuzz {
    rng: StdRng,
    fake: FakeIronic,
    auth: Option<String>,
    uuids: Vec<String>,
    names: Vec<String>,
    macs: Vec<String>,
    journal: Journal,
}

impl IronicFuzz {
    fn new(seed: u64, config: FakeIronicConfig, auth: Option<String>) -> Self {
        Self {
            rng: StdRng::seed_from_u64(seed),
            fake: FakeIronic::new(config),
            auth,
            uuids: Vec::new(),
            names: Vec::new(),
            macs: Vec::new(),
            journal: Journal::new("Ironic", seed),
        }
    }

    fn send(&mut self, request: RawRequest) {
        self.journal.record(clip(format!("{request:?}")));
        let fake = &self.fake;
        let answer = catch_unwind(AssertUnwindSafe(|| fake.handle(&request)));
        let response = match answer {
            Ok(response) => response,
            Err(payload) => self
                .journal
                .fail(&format!("panicked: {}", panic_text(payload.as_ref()))),
        };
        self.check(&response);
        self.learn(&response);
    }

    fn check(&self, response: &RawResponse) {
        if !(100..600).contains(&response.status) {
            self.journal
                .fail(&format!("answered status {}", response.status));
        }
        if response.body.is_empty() {
            if !matches!(response.status, 202 | 204) {
                self.journal
                    .fail(&format!("answered {} with an empty body", response.status));
            }
            return;
        }
        let text = match std::str::from_utf8(&response.body) {
            Ok(text) => text,
            Err(e) => self
                .journal
                .fail(&format!("answered a body that is not UTF-8: {e}")),
        };
        if let Err(e) = json::parse(text) {
            self.journal.fail(&format!(
                "answered {} with a body that is not JSON ({e}): {}",
                response.status,
                clip(text.to_owned())
            ));
        }
    }

    /// Keeps the uuids, names and MACs the fake answered, to aim later requests at them.
    fn learn(&mut self, response: &RawResponse) {
        if response.status != 201 {
            return;
        }
        let Some(doc) = std::str::from_utf8(&response.body)
            .ok()
            .and_then(|text| json::parse(text).ok())
        else {
            return;
        };
        if let Some(uuid) = doc.get("uuid").and_then(Json::as_str) {
            self.uuids.push(uuid.to_owned());
        }
        if let Some(name) = doc.get("name").and_then(Json::as_str) {
            self.names.push(name.to_owned());
        }
        if let Some(mac) = doc.get("address").and_then(Json::as_str) {
            self.macs.push(mac.to_owned());
        }
    }

    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items.choose(&mut self.rng).copied().unwrap_or("")
    }

    fn ident(&mut self) -> String {
        match self.rng.random_range(0..10) {
            0..=4 if !self.uuids.is_empty() => {
                let uuid = self
                    .uuids
                    .choose(&mut self.rng)
                    .cloned()
                    .unwrap_or_default();
                if self.rng.random_range(0..5) == 0 {
                    uuid.to_ascii_uppercase()
                } else {
                    uuid
                }
            }
            5..=6 if !self.names.is_empty() => self
                .names
                .choose(&mut self.rng)
                .cloned()
                .unwrap_or_default(),
            7 => format!("n{}", self.rng.random_range(0..6)),
            _ => self.pick(SEGMENTS).to_owned(),
        }
    }

    fn mac(&mut self) -> String {
        match self.rng.random_range(0..6) {
            0 if !self.macs.is_empty() => {
                self.macs.choose(&mut self.rng).cloned().unwrap_or_default()
            }
            1 => "not-a-mac".to_owned(),
            2 => vec!["aa"; 20].join(":"),
            _ => format!("52:54:00:00:00:{:02X}", self.rng.random_range(0..16)),
        }
    }

    fn path(&mut self) -> String {
        let ident = self.ident();
        let mut path = match self.rng.random_range(0..14) {
            0 => "/".to_owned(),
            1 => "/v1".to_owned(),
            2 => "/v1/nodes".to_owned(),
            3 => "/v1/nodes/detail".to_owned(),
            4 => format!("/v1/nodes/{ident}"),
            5 => format!("/v1/nodes/{ident}/states"),
            6 => format!("/v1/nodes/{ident}/states/provision"),
            7 => format!("/v1/nodes/{ident}/states/power"),
            8 => format!("/v1/nodes/{ident}/maintenance"),
            9 => format!("/v1/nodes/{ident}/ports"),
            10 => "/v1/ports".to_owned(),
            11 => format!("/v1/ports/{ident}"),
            _ => {
                let len = self.rng.random_range(0..7);
                let segments: Vec<String> = (0..len)
                    .map(|_| {
                        if self.rng.random_range(0..4) == 0 {
                            self.ident()
                        } else {
                            self.pick(SEGMENTS).to_owned()
                        }
                    })
                    .collect();
                let mut path = segments.join("/");
                if self.rng.random() {
                    path.insert(0, '/');
                }
                path
            }
        };
        if self.rng.random_range(0..3) == 0 {
            let len = self.rng.random_range(0..4);
            let pairs: Vec<String> = (0..len)
                .map(|_| {
                    let key = self.pick(QUERY_KEYS);
                    let value = match self.rng.random_range(0..4) {
                        0 => self.ident(),
                        _ => self.pick(QUERY_VALUES).to_owned(),
                    };
                    match self.rng.random_range(0..8) {
                        0 => key.to_owned(),
                        _ => format!("{key}={value}"),
                    }
                })
                .collect();
            path.push('?');
            path.push_str(&pairs.join("&"));
        }
        if self.rng.random_range(0..30) == 0 {
            path.push_str("#frag?x=1");
        }
        path
    }

    fn json_value(&mut self, depth: u32) -> Json {
        match self.rng.random_range(0..if depth >= 3 { 7 } else { 9 }) {
            0 => Json::Null,
            1 => Json::Bool(self.rng.random()),
            2 => Json::Int(
                *[0, 1, -1, i128::MAX, i128::MIN, 1 << 70]
                    .choose(&mut self.rng)
                    .unwrap_or(&0),
            ),
            3 => Json::Float(
                *[0.5, f64::NAN, f64::INFINITY, -1e300]
                    .choose(&mut self.rng)
                    .unwrap_or(&0.0),
            ),
            4 => Json::str(self.ident()),
            5 => Json::str(self.pick(QUERY_VALUES)),
            6 => Json::str(self.pick(PROVISION_TARGETS)),
            7 => {
                let len = self.rng.random_range(0..4);
                Json::Array((0..len).map(|_| self.json_value(depth + 1)).collect())
            }
            _ => {
                let len = self.rng.random_range(0..4);
                Json::Object(
                    (0..len)
                        .map(|_| {
                            (
                                self.pick(NODE_FIELDS).to_owned(),
                                self.json_value(depth + 1),
                            )
                        })
                        .collect(),
                )
            }
        }
    }

    fn patch_path(&mut self) -> String {
        let field = self.pick(NODE_FIELDS);
        match self.rng.random_range(0..12) {
            0 => "/".to_owned(),
            1 => "/a//b".to_owned(),
            2 => "properties".to_owned(),
            3 => format!("/{field}/~1x~0"),
            4 => format!("/{field}/{}", self.rng.random_range(0..3)),
            5 => format!("/{field}/cpus/0/-"),
            6 | 7 => format!("/extra/{}", self.pick(&["a", "b", "-", "0"])),
            8 => format!(
                "/extra/a/{}",
                self.pick(&["0", "-", "1", "x", "99999999999999999999"])
            ),
            9 => format!("/properties/{}", self.pick(&["cpus", "memory_mb", "a"])),
            _ => format!("/{field}"),
        }
    }

    /// Nests `/extra/deep` of a node ever deeper, a patch at a time, past what the fake keeps.
    fn deepen(&mut self) {
        let node = self.node();
        let mut path = "/extra/deep".to_owned();
        for _ in 0..4 {
            let value = format!("{}1{}", "[".repeat(200), "]".repeat(200));
            let body = format!("[{{\"op\": \"add\", \"path\": \"{path}\", \"value\": {value}}}]");
            let mut headers = self.headers();
            headers.retain(|(name, _)| name != "Content-Type");
            headers.push(("Content-Type".to_owned(), "text/plain".to_owned()));
            self.send(RawRequest {
                method: "PATCH".to_owned(),
                path: format!("/v1/nodes/{node}"),
                headers,
                body: body.into_bytes(),
            });
            path.push_str(&"/0".repeat(200));
        }
    }

    fn patch_ops(&mut self) -> Json {
        let len = self.rng.random_range(0..4);
        Json::Array(
            (0..len)
                .map(|_| {
                    let op = self.pick(&["add", "add", "replace", "remove", "move", ""]);
                    let mut members = vec![
                        ("op".to_owned(), Json::str(op)),
                        ("path".to_owned(), Json::str(self.patch_path())),
                    ];
                    if self.rng.random_range(0..4) > 0 {
                        members.push(("value".to_owned(), self.json_value(1)));
                    }
                    Json::Object(members)
                })
                .collect(),
        )
    }

    fn body(&mut self, path: &str, method: &str) -> Vec<u8> {
        let json = match self.rng.random_range(0..12) {
            0 => return Vec::new(),
            1 => {
                return self
                    .pick(&[
                        "not json", "{", "[", "\"", "1e999", "-", "[1,]", "{\"a\":}", "NaN",
                        "\u{0}",
                    ])
                    .as_bytes()
                    .to_vec();
            }
            2 => return vec![b'{', 0xff, 0xfe, b'}'],
            3 => {
                let depth = *[50, 500, 5_000, 100_000]
                    .choose(&mut self.rng)
                    .unwrap_or(&50);
                let open = if self.rng.random() { "[" } else { "{\"a\":" };
                let close = if open == "[" { "]" } else { "}" };
                return format!("{}1{}", open.repeat(depth), close.repeat(depth)).into_bytes();
            }
            4 | 5 if method == "PATCH" => self.patch_ops(),
            _ if path.ends_with("/provision") => {
                let mut members =
                    vec![("target".to_owned(), Json::str(self.pick(PROVISION_TARGETS)))];
                if self.rng.random() {
                    let steps = Json::Array(vec![Json::Object(vec![
                        (
                            "interface".to_owned(),
                            Json::str(self.pick(&["bios", "deploy", ""])),
                        ),
                        (
                            "step".to_owned(),
                            Json::str(self.pick(&["factory_reset", "erase_devices"])),
                        ),
                    ])]);
                    members.push(("clean_steps".to_owned(), steps));
                }
                Json::Object(members)
            }
            _ if path.ends_with("/power") => Json::Object(vec![(
                "target".to_owned(),
                Json::str(self.pick(POWER_TARGETS)),
            )]),
            _ if path.ends_with("/maintenance") => {
                Json::Object(vec![("reason".to_owned(), self.json_value(2))])
            }
            _ if path.starts_with("/v1/ports") => {
                let mut members = vec![("address".to_owned(), Json::str(self.mac()))];
                if self.rng.random_range(0..5) > 0 {
                    members.push(("node_uuid".to_owned(), Json::str(self.ident())));
                }
                if self.rng.random_range(0..4) == 0 {
                    members.push(("name".to_owned(), Json::str(self.ident())));
                }
                Json::Object(members)
            }
            6..=9 => {
                let mut members = vec![("driver".to_owned(), Json::str("fake-hardware"))];
                if self.rng.random_range(0..4) > 0 {
                    members.push(("name".to_owned(), Json::str(self.ident())));
                }
                let extra = self.rng.random_range(0..3);
                for _ in 0..extra {
                    let field = self.pick(NODE_FIELDS).to_owned();
                    let value = self.json_value(1);
                    members.push((field, value));
                }
                Json::Object(members)
            }
            _ => self.json_value(0),
        };
        json.dumps().into_bytes()
    }

    /// The version, auth and content-type headers: mostly ones the server accepts.
    fn headers(&mut self) -> Vec<(String, String)> {
        let mut headers = Vec::new();
        let version = match self.rng.random_range(0..20) {
            0 => None,
            1..=3 => Some(self.pick(VERSIONS).to_owned()),
            4 => Some("latest".to_owned()),
            _ => Some(format!("1.{}", self.rng.random_range(1..=115))),
        };
        if let Some(version) = version {
            headers.push(("X-OpenStack-Ironic-API-Version".to_owned(), version));
        }
        match (&self.auth, self.rng.random_range(0..20)) {
            (_, 0) => {
                let junk = self.pick(&[
                    "Basic !!!",
                    "Basic",
                    "Bearer x",
                    "",
                    "Basic Og==",
                    "Basic YTpi",
                ]);
                headers.push(("Authorization".to_owned(), junk.to_owned()));
            }
            (Some(good), 1..) => headers.push(("Authorization".to_owned(), good.clone())),
            _ => {}
        }
        let content_type = match self.rng.random_range(0..10) {
            0 => None,
            1 => Some("text/plain"),
            2 => Some("application/JSON"),
            _ => Some("application/json"),
        };
        if let Some(content_type) = content_type {
            headers.push(("Content-Type".to_owned(), content_type.to_owned()));
        }
        headers
    }

    /// A node, by uuid or name, that most likely exists.
    fn node(&mut self) -> String {
        if self.rng.random_range(0..8) == 0 || self.uuids.is_empty() {
            return self.ident();
        }
        let pool = if self.rng.random() && !self.names.is_empty() {
            &self.names
        } else {
            &self.uuids
        };
        pool.choose(&mut self.rng).cloned().unwrap_or_default()
    }

    /// One request: mostly a meaningful call on existing nodes and ports, sometimes junk.
    fn request(&mut self) -> (String, String, Vec<u8>) {
        let node = self.node();
        let json = |value: Json| value.dumps().into_bytes();
        match self.rng.random_range(0..20) {
            0..=3 => {
                let mut members = vec![("driver".to_owned(), Json::str("fake-hardware"))];
                if self.rng.random_range(0..4) > 0 {
                    members.push((
                        "name".to_owned(),
                        Json::str(format!("n{}", self.rng.random_range(0..12))),
                    ));
                }
                for _ in 0..self.rng.random_range(0..3) {
                    let field = self.pick(NODE_FIELDS).to_owned();
                    let value = self.json_value(1);
                    members.push((field, value));
                }
                (
                    "POST".into(),
                    "/v1/nodes".into(),
                    json(Json::Object(members)),
                )
            }
            4 => {
                let members = vec![
                    ("address".to_owned(), Json::str(self.mac())),
                    ("node_uuid".to_owned(), Json::str(self.node())),
                ];
                (
                    "POST".into(),
                    "/v1/ports".into(),
                    json(Json::Object(members)),
                )
            }
            5..=8 => {
                let target = self.pick(PROVISION_TARGETS);
                let mut members = vec![("target".to_owned(), Json::str(target))];
                if target == "clean" || self.rng.random_range(0..6) == 0 {
                    let steps = Json::Array(vec![Json::Object(vec![
                        (
                            "interface".to_owned(),
                            Json::str(self.pick(&["bios", "deploy", ""])),
                        ),
                        (
                            "step".to_owned(),
                            Json::str(self.pick(&["factory_reset", "erase_devices"])),
                        ),
                    ])]);
                    members.push(("clean_steps".to_owned(), steps));
                }
                let path = format!("/v1/nodes/{node}/states/provision");
                ("PUT".into(), path, json(Json::Object(members)))
            }
            9 => {
                let target = Json::str(self.pick(POWER_TARGETS));
                let path = format!("/v1/nodes/{node}/states/power");
                (
                    "PUT".into(),
                    path,
                    json(Json::Object(vec![("target".to_owned(), target)])),
                )
            }
            10 => {
                let method = if self.rng.random() { "PUT" } else { "DELETE" };
                let reason = self.json_value(2);
                let path = format!("/v1/nodes/{node}/maintenance");
                (
                    method.into(),
                    path,
                    json(Json::Object(vec![("reason".to_owned(), reason)])),
                )
            }
            11..=12 => {
                let body = if self.rng.random_range(0..5) == 0 {
                    self.body("", "PATCH")
                } else {
                    json(self.patch_ops())
                };
                let path = if self.rng.random_range(0..4) == 0 {
                    format!("/v1/ports/{}", self.ident())
                } else {
                    format!("/v1/nodes/{node}")
                };
                ("PATCH".into(), path, body)
            }
            13 => {
                let method = self.pick(&["GET", "DELETE"]).to_owned();
                (method, format!("/v1/nodes/{node}"), Vec::new())
            }
            14 => {
                let path = self.path();
                ("GET".into(), path, Vec::new())
            }
            _ => {
                let method = self.pick(METHODS).to_owned();
                let path = self.path();
                let body = if self.rng.random_range(0..6) == 0 {
                    Vec::new()
                } else {
                    self.body(&path, &method)
                };
                (method, path, body)
            }
        }
    }

    fn random_request(&mut self) {
        let headers = self.headers();
        let (method, path, body) = self.request();
        self.send(RawRequest {
            method,
            path,
            headers,
            body,
        });
    }

    fn run(&mut self, requests: usize) {
        while self.journal.calls.len() < requests {
            if self.rng.random_range(0..300) == 0 {
                self.deepen();
            } else {
                self.random_request();
            }
        }
    }
}

#[test]
fn random_requests_never_crash_the_fake_ironic() {
    let seed = seed();
    let quick = FakeIronicConfig {
        transition_delay: Duration::ZERO,
        ..FakeIronicConfig::default()
    };
    IronicFuzz::new(seed, quick, None).run(REQUESTS);
    let guarded = FakeIronicConfig {
        users: Some(vec![("admin".to_owned(), "secret".to_owned())]),
        transition_delay: Duration::from_millis(1),
        ..FakeIronicConfig::default()
    };
    // "admin:secret" in base64.
    let auth = Some("Basic YWRtaW46c2VjcmV0".to_owned());
    IronicFuzz::new(seed ^ 1, guarded, auth).run(REQUESTS);
}
