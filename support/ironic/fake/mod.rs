//! A faithful fake OpenStack Ironic 39 (REST + JSON), in process or over HTTP
//! (`fake-ironic`): nodes, ports, provision and power states with asynchronous
//! transitions, microversions, the three error shapes and `http_basic` auth, answering
//! the bytes the real server answers (see `/work/shared/real-ironic/FINDINGS.md`).
//!
//! Transitions settle lazily: every request first applies the steps whose deadline passed,
//! so there are no background tasks.

pub mod allocations;
pub mod auth;
pub mod chassis;
pub mod deploy_templates;
pub mod errors;
pub mod ids;
pub mod json;
pub mod limits;
pub mod list;
pub mod nodes;
pub mod patch;
pub mod portgroups;
pub mod ports;
mod redfish_power;
mod routes;
pub mod runbooks;
pub mod server;
pub mod states;
pub mod step_rules;
pub mod trait_names;
pub mod version;
pub mod views;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use super::exchange::{Exchange, ExchangeError, RawRequest, RawResponse};
use allocations::Allocation;
use chassis::Chassis;
use deploy_templates::DeployTemplate;
use nodes::Node;
use portgroups::Portgroup;
use ports::Port;
use runbooks::Runbook;
use states::Now;

/// What [`Exchange::endpoint`] says for the embedded fake.
pub const ENDPOINT: &str = "the embedded fake Ironic";

/// How the fake server behaves.
#[derive(Clone, PartialEq, Eq)]
pub struct FakeIronicConfig {
    /// `Some`: `http_basic` with these user:password pairs; `None`: `noauth`.
    pub users: Option<Vec<(String, String)>>,
    /// How long an asynchronous action takes to settle.
    pub transition_delay: Duration,
    /// The base URL of links and `Location` headers, without a trailing slash.
    pub base_url: String,
}

impl std::fmt::Debug for FakeIronicConfig {
    /// Shows the users, never their passwords.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let users: Option<Vec<&str>> = self
            .users
            .as_ref()
            .map(|users| users.iter().map(|(user, _)| user.as_str()).collect());
        f.debug_struct("FakeIronicConfig")
            .field("users", &users)
            .field("transition_delay", &self.transition_delay)
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl Default for FakeIronicConfig {
    fn default() -> Self {
        FakeIronicConfig {
            users: None,
            transition_delay: Duration::from_millis(100),
            base_url: "http://127.0.0.1:6385".to_owned(),
        }
    }
}

/// The stored world of one fake server.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) nodes: Vec<Node>,
    pub(crate) ports: Vec<Port>,
    pub(crate) portgroups: Vec<Portgroup>,
    pub(crate) allocations: Vec<Allocation>,
    pub(crate) chassis: Vec<Chassis>,
    pub(crate) deploy_templates: Vec<DeployTemplate>,
    pub(crate) runbooks: Vec<Runbook>,
    pub(crate) next_id: u64,
    /// The portgroups' own ids (the real server names one in an error).
    pub(crate) portgroup_ids: u64,
    pub(crate) started: Option<SystemTime>,
}

impl State {
    fn advance(&mut self, now: Instant) {
        for node in &mut self.nodes {
            states::advance(node, now);
        }
    }
}

/// A fake Ironic 39. Clones share one server.
#[derive(Clone, Debug)]
pub struct FakeIronic {
    config: Arc<FakeIronicConfig>,
    state: Arc<Mutex<State>>,
}

impl Default for FakeIronic {
    fn default() -> Self {
        FakeIronic::new(FakeIronicConfig::default())
    }
}

impl FakeIronic {
    /// A fresh, empty server.
    pub fn new(mut config: FakeIronicConfig) -> FakeIronic {
        while config.base_url.ends_with('/') {
            config.base_url.pop();
        }
        let state = State {
            started: Some(SystemTime::now()),
            ..State::default()
        };
        FakeIronic {
            config: Arc::new(config),
            state: Arc::new(Mutex::new(state)),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &FakeIronicConfig {
        &self.config
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// [`FakeIronic::handle`], except that a power action on a node whose power interface is
    /// `redfish` is also carried out on its BMC (a refusal shows in the node's `last_error`, as
    /// on the real server).
    pub async fn handle_async(&self, request: &RawRequest) -> RawResponse {
        let Some(power) = redfish_power::RedfishPower::of(self, request) else {
            return self.handle(request);
        };
        let response = self.handle(request);
        if response.status == 202
            && let Err(last_error) = power.run().await
        {
            power.fail(self, last_error);
        }
        response
    }

    /// Answers one request, as the real server would.
    pub fn handle(&self, request: &RawRequest) -> RawResponse {
        let now = Now {
            instant: Instant::now(),
            wall: SystemTime::now(),
        };
        let request_id = format!("req-{}", ids::uuid4());
        let mut state = self.lock();
        state.advance(now.instant);
        let path = request.path.split(['?', '#']).next().unwrap_or("");
        let public = matches!(path, "" | "/" | "/v1" | "/v1/");
        if let Some(users) = &self.config.users
            && !public
            && let Err(e) = auth::check(users, request.header("Authorization"))
        {
            return respond(e.status, e.body, e.headers, &request_id);
        }
        if let Err(e) = limits::check(request) {
            return respond(e.status, e.body, e.headers, &request_id);
        }
        let range = || {
            vec![
                (
                    "X-OpenStack-Ironic-API-Minimum-Version".to_owned(),
                    format!("1.{}", version::MIN),
                ),
                (
                    "X-OpenStack-Ironic-API-Maximum-Version".to_owned(),
                    format!("1.{}", version::MAX),
                ),
            ]
        };
        let at_root = matches!(path, "" | "/");
        let v = match version::negotiate(request.header(version::HEADER), at_root) {
            Ok(v) => v,
            Err((kind, e)) => {
                let headers = match kind {
                    version::Negotiated::OutOfRange => range(),
                    _ => Vec::new(),
                };
                return respond(e.status, e.body, headers, &request_id);
            }
        };
        let mut headers = range();
        headers.push((version::HEADER.to_owned(), format!("1.{v}")));
        let ctx = routes::Ctx {
            request,
            version: v,
            now,
            base: &self.config.base_url,
            delay: self.config.transition_delay,
        };
        match routes::route(&mut state, &ctx) {
            Ok(reply) => {
                if let Some(location) = reply.location {
                    headers.push(("Location".to_owned(), location));
                }
                respond(reply.status, reply.body, headers, &request_id)
            }
            Err(e) => {
                if e.bare {
                    headers.clear();
                }
                headers.extend(e.headers);
                respond(e.status, e.body, headers, &request_id)
            }
        }
    }

    /// What the server answers a JSON body larger than any limit of [`limits`] (the HTTP
    /// front end reads no more than [`limits::MAX_PROVISION_BODY`]): 413.
    pub fn too_large(&self) -> RawResponse {
        let e = limits::too_large();
        respond(
            e.status,
            e.body,
            e.headers,
            &format!("req-{}", ids::uuid4()),
        )
    }

    /// The names of the stored nodes (unnamed nodes left out), in creation order.
    pub fn node_names(&self) -> Vec<String> {
        self.lock()
            .nodes
            .iter()
            .filter_map(|n| n.name().map(str::to_owned))
            .collect()
    }

    /// How many ports are stored.
    pub fn port_count(&self) -> usize {
        self.lock().ports.len()
    }

    /// Whether nothing is stored (no node, port, portgroup, allocation, chassis, template or
    /// runbook).
    pub fn is_empty(&self) -> bool {
        let state = self.lock();
        state.nodes.is_empty()
            && state.ports.is_empty()
            && state.portgroups.is_empty()
            && state.allocations.is_empty()
            && state.chassis.is_empty()
            && state.deploy_templates.is_empty()
            && state.runbooks.is_empty()
    }
}

fn respond(
    status: u16,
    body: String,
    mut headers: Vec<(String, String)>,
    request_id: &str,
) -> RawResponse {
    if !body.is_empty() {
        headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
    }
    headers.push(("x-openstack-request-id".to_owned(), request_id.to_owned()));
    headers.push(("openstack-request-id".to_owned(), request_id.to_owned()));
    headers.push(("Server".to_owned(), "ironic_api".to_owned()));
    RawResponse {
        status,
        headers,
        body: body.into_bytes(),
    }
}

#[async_trait::async_trait]
impl Exchange for FakeIronic {
    async fn exchange(&self, request: RawRequest) -> Result<RawResponse, ExchangeError> {
        Ok(self.handle_async(&request).await)
    }

    fn endpoint(&self) -> String {
        ENDPOINT.to_owned()
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_resources;
