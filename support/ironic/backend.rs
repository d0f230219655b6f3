//! Ironic behind the backend seam: nodes and ports by name over the REST client, provision
//! actions, power, maintenance, and cleanup that works in any state.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use super::catalogue::CATALOGUE;
use super::error::Error as IronicError;
use super::node_actions;
use super::relations;
use super::rest::{BasicAuth, Reply, RestClient, segment};
use crate::backend::{
    Backend, Catalogue, Error, ItemState, KindSpec, PowerAction, Provisioning, Record,
};

/// How long cleanup waits for a running transition before it forces the removal.
const SETTLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How often cleanup polls while it waits.
const SETTLE_POLL: Duration = Duration::from_millis(100);
/// Provision states from which a node may be deleted without maintenance.
const DELETABLE: [&str; 4] = ["manageable", "enroll", "adopt failed", "available"];
/// Top-level fields that hold a boolean.
const BOOLEANS: [&str; 9] = [
    "automated_clean",
    "disable_power_off",
    "disable_ramdisk",
    "public",
    "is_smartnic",
    "maintenance",
    "protected",
    "pxe_enabled",
    "retired",
];
/// How often cleanup retries a call refused because the node is locked (409).
const LOCKED_RETRIES: u32 = 20;
/// Page size when listing.
const PAGE: usize = 500;

/// One scenario's Ironic: calls by name through one REST client.
#[derive(Clone, Debug)]
pub struct IronicBackend {
    rest: RestClient,
}

impl IronicBackend {
    /// A backend over `rest`.
    pub fn new(rest: RestClient) -> Self {
        Self { rest }
    }

    fn item_path(kind: &KindSpec, name: &str) -> String {
        let name = relations::api_name(kind.name, name);
        format!("/v1/{}/{}", kind.plural, segment(&name))
    }

    async fn call(
        &self,
        action: impl FnOnce() -> String,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Reply, IronicError> {
        self.rest
            .call(method, path, body)
            .await
            .map_err(|source| IronicError::Call {
                action: action(),
                source,
            })
    }

    /// An item's uuid, for the fields and paths that take no name (a port's `node_uuid`;
    /// deleting a port).
    async fn uuid(&self, kind: &KindSpec, name: &str) -> Result<String, IronicError> {
        let action = || format!("finding {kind} {name:?}");
        let reply = self
            .call(
                action,
                "GET",
                &format!("{}?fields=uuid", Self::item_path(kind, name)),
                None,
            )
            .await?;
        reply
            .body
            .get("uuid")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| IronicError::Unexpected {
                action: action(),
                detail: format!("the {kind} has no uuid: {}", reply.body),
            })
    }

    /// `(field path, JSON value)` pairs for `attributes`, with the items they name turned
    /// into uuids (a port's `node`, …: see [`relations`]) and lists into JSON arrays.
    async fn fields(
        &self,
        kind: &KindSpec,
        attributes: &[(String, String)],
    ) -> Result<Vec<(Vec<String>, Value)>, IronicError> {
        let mut fields = Vec::new();
        for (path, text) in attributes {
            if let Some((target, field)) = relations::by_uuid(kind.name, path) {
                let target = CATALOGUE
                    .kind(target)
                    .unwrap_or_else(|_| unreachable!("the Ironic catalogue has {target}s"));
                let mut uuids = Vec::new();
                for name in text.split_whitespace() {
                    uuids.push(Value::String(self.uuid(target, name).await?));
                }
                let value = if relations::is_list(kind.name, path) {
                    Value::Array(uuids)
                } else {
                    uuids.pop().unwrap_or(Value::Null)
                };
                fields.push((vec![field.to_owned()], value));
                continue;
            }
            if relations::is_list(kind.name, path) {
                fields.push((vec![path.clone()], relations::list_value(text)));
                continue;
            }
            let parts: Vec<String> = path.split('.').map(str::to_owned).collect();
            let value = typed(parts.len() == 1, &parts[0], text);
            fields.push((parts, value));
        }
        Ok(fields)
    }

    /// The name of the `kind` item with `uuid` (itself when it has none).
    async fn name_of(&self, kind: &str, uuid: &str) -> Result<Value, IronicError> {
        let reply = self
            .call(
                || format!("reading the name of {kind} {uuid}"),
                "GET",
                &format!("/v1/{kind}s/{}?fields=name", segment(uuid)),
                None,
            )
            .await?;
        Ok(reply
            .body
            .get("name")
            .filter(|n| n.is_string())
            .cloned()
            .unwrap_or_else(|| Value::String(uuid.to_owned())))
    }

    /// Adds to `record` the names of the items its uuid fields refer to.
    async fn name_references(&self, record: &mut Record) -> Result<(), IronicError> {
        for (field, target, attribute) in relations::named_fields(record.kind) {
            let named = match record.fields.get(field) {
                Some(Value::String(uuid)) => self.name_of(target, uuid).await?,
                Some(Value::Array(uuids)) => {
                    let mut names = Vec::new();
                    for uuid in uuids.iter().filter_map(Value::as_str) {
                        names.push(self.name_of(target, uuid).await?);
                    }
                    Value::Array(names)
                }
                _ => continue,
            };
            record.fields.insert(attribute.to_owned(), named);
        }
        Ok(())
    }

    /// Every item of `kind`, following `next` links.
    async fn list(&self, kind: &KindSpec) -> Result<Vec<Map<String, Value>>, IronicError> {
        let action = || format!("listing {}", kind.plural);
        // Allocations and deploy templates have no `/detail`.
        let mut path = match kind.name {
            "allocation" => format!("/v1/{}?limit={PAGE}", kind.plural),
            "deploy_template" | "runbook" => {
                format!("/v1/{}?detail=True&limit={PAGE}", kind.plural)
            }
            _ => format!("/v1/{}/detail?limit={PAGE}", kind.plural),
        };
        let mut items = Vec::new();
        loop {
            let reply = self.call(action, "GET", &path, None).await?;
            let page = reply
                .body
                .get(kind.plural)
                .and_then(Value::as_array)
                .ok_or_else(|| IronicError::Unexpected {
                    action: action(),
                    detail: format!("no {:?} list in the answer", kind.plural),
                })?;
            items.extend(page.iter().filter_map(|v| v.as_object().cloned()));
            match reply.body.get("next").and_then(Value::as_str) {
                Some(next) if !page.is_empty() => path = path_of(next),
                _ => return Ok(items),
            }
        }
    }

    /// Node uuids to names, for showing a port's node by name.
    async fn node_names(&self) -> Result<BTreeMap<String, String>, IronicError> {
        Ok(self
            .list(node_kind())
            .await?
            .into_iter()
            .filter_map(|node| {
                Some((
                    node.get("uuid")?.as_str()?.to_owned(),
                    node.get("name")?.as_str()?.to_owned(),
                ))
            })
            .collect())
    }

    async fn node_state(&self, name: &str) -> Result<Map<String, Value>, IronicError> {
        let reply = self
            .call(
                || format!("reading the state of node {name:?}"),
                "GET",
                // The node itself, not /states: its `reservation` says whether a conductor
                // still holds it after the state changed.
                &format!(
                    "/v1/nodes/{}?fields=provision_state,target_provision_state,last_error,power_state,target_power_state,reservation",
                    segment(name)
                ),
                None,
            )
            .await?;
        Ok(reply.body.as_object().cloned().unwrap_or_default())
    }

    /// Waits until no transition runs on the node (for cleanup); the last state seen.
    async fn settled_node(&self, name: &str) -> Result<Option<Map<String, Value>>, IronicError> {
        let started = Instant::now();
        loop {
            let reply = self
                .rest
                .get(&format!(
                    "/v1/nodes/{}?fields=provision_state,target_provision_state,maintenance,protected",
                    segment(name)
                ))
                .await;
            let node = match reply {
                Err(e) if e.status() == Some(404) => return Ok(None),
                Err(source) => {
                    return Err(IronicError::Call {
                        action: format!("reading node {name:?} to remove it"),
                        source,
                    });
                }
                Ok(reply) => reply.body.as_object().cloned().unwrap_or_default(),
            };
            // A failure state keeps its target (`clean failed` → manageable) but moves no more.
            let failed = text_of(&node, "provision_state").is_some_and(|s| s.ends_with("failed"));
            let settling = !failed
                && node
                    .get("target_provision_state")
                    .is_some_and(|t| !t.is_null());
            if !settling || started.elapsed() > SETTLE_TIMEOUT {
                return Ok(Some(node));
            }
            tokio::time::sleep(SETTLE_POLL).await;
        }
    }

    /// Sends `method path body` for cleanup, retrying while the node is locked by a running
    /// task (409) or the server's database is (500); a missing item (404) counts as done.
    async fn cleanup_call(
        &self,
        action: String,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(), IronicError> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            match self.rest.call(method, path, body).await {
                Ok(_) => return Ok(()),
                Err(e) if e.status() == Some(404) => return Ok(()),
                Err(e) if e.status() == Some(409) && attempts < LOCKED_RETRIES => {
                    tokio::time::sleep(SETTLE_POLL * attempts).await;
                }
                // An Ironic on sqlite answers concurrent writes with a 500 "database is
                // locked" now and then (seen removing portgroups while other scenarios
                // write): as transient as a conductor's lock.
                Err(e)
                    if e.status() == Some(500)
                        && e.to_string().contains("database is locked")
                        && attempts < LOCKED_RETRIES =>
                {
                    tokio::time::sleep(SETTLE_POLL * attempts).await;
                }
                Err(source) => return Err(IronicError::Call { action, source }),
            }
        }
    }

    /// Sends a JSON patch to the item.
    async fn patch(
        &self,
        kind: &KindSpec,
        name: &str,
        action: String,
        operations: Vec<Value>,
    ) -> Result<(), Error> {
        self.call(
            || action,
            "PATCH",
            &Self::item_path(kind, name),
            Some(&Value::Array(operations)),
        )
        .await
        .map(|_| ())
        .map_err(Error::server)
    }

    /// The path DELETE takes: nodes by name, ports only by uuid (Ironic 39 answers
    /// `Expected UUID for port_uuid` to a port's name).
    async fn delete_path(&self, kind: &KindSpec, name: &str) -> Result<String, IronicError> {
        if kind.name == "port" {
            let uuid = self.uuid(kind, name).await?;
            Ok(format!("/v1/ports/{uuid}"))
        } else {
            Ok(Self::item_path(kind, name))
        }
    }

    /// An allocation's state (`allocating`, `active`, `error`) and last error.
    async fn allocation_state(&self, name: &str) -> Result<ItemState, IronicError> {
        let reply = self
            .call(
                || format!("reading the state of allocation {name:?}"),
                "GET",
                &format!("/v1/allocations/{}?fields=state,last_error", segment(name)),
                None,
            )
            .await?;
        let state = reply.body.as_object().cloned().unwrap_or_default();
        let current = text_of(&state, "state");
        Ok(ItemState {
            busy: current.as_deref() == Some("allocating"),
            current,
            target: None,
            last_error: text_of(&state, "last_error"),
        })
    }

    fn record(&self, kind: &'static KindSpec, name: &str, body: Value) -> Record {
        let fields = match body {
            Value::Object(map) => map.into_iter().collect(),
            _ => BTreeMap::new(),
        };
        Record {
            kind: kind.name,
            name: name.to_owned(),
            fields,
        }
    }
}

/// `error` as part of `action`.
fn reword(error: IronicError, action: String) -> IronicError {
    match error {
        IronicError::Call { source, .. } => IronicError::Call { action, source },
        IronicError::Unexpected { detail, .. } => IronicError::Unexpected { action, detail },
    }
}

/// The node kind of the catalogue.
fn node_kind() -> &'static KindSpec {
    CATALOGUE
        .kind("node")
        .unwrap_or_else(|_| unreachable!("the Ironic catalogue has nodes"))
}

/// The API path and query of an absolute `next` link, from `/v1/` on (the base URL, which
/// may have a path of its own such as `/baremetal`, is added again by the exchange).
fn path_of(link: &str) -> String {
    match link.find("/v1/") {
        Some(start) => link[start..].to_owned(),
        None => link.to_owned(),
    }
}

/// The JSON a feature's text stands for: booleans for boolean fields, JSON for maps and
/// lists; below a map any JSON scalar (`4`, `true`), else text.
fn typed(top_level: bool, field: &str, text: &str) -> Value {
    if top_level {
        match text {
            "true" | "false" if BOOLEANS.contains(&field) => Value::Bool(text == "true"),
            _ if text.starts_with('{') || text.starts_with('[') => {
                serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
            }
            _ => Value::String(text.to_owned()),
        }
    } else {
        serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
    }
}

/// A JSON body with every `(path, value)` placed at its path.
fn nest(fields: Vec<(Vec<String>, Value)>) -> Map<String, Value> {
    let mut body = Map::new();
    for (path, value) in fields {
        let (last, parents) = path.split_last().expect("a path has at least one part");
        let mut target = &mut body;
        for part in parents {
            let entry = target
                .entry(part.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            target = entry.as_object_mut().expect("made an object above");
        }
        target.insert(last.clone(), value);
    }
    body
}

/// A JSON pointer for a field path (`properties.cpus` → `/properties/cpus`).
fn pointer(path: &[String]) -> String {
    path.iter()
        .map(|p| format!("/{}", p.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// True when every `(field, glob)` criterion matches the item's rendered field.
fn matches(item: &Map<String, Value>, criteria: &[(String, glob::Pattern)]) -> bool {
    criteria.iter().all(|(path, pattern)| {
        let mut parts = path.split('.');
        let mut value = parts.next().and_then(|p| item.get(p));
        for part in parts {
            value = value.and_then(|v| v.get(part));
        }
        value.is_some_and(|v| pattern.matches(&crate::backend::render(v)))
    })
}

/// The target Ironic's provision API takes for an action a feature names.
fn provision_target(action: &str) -> Option<&'static str> {
    Some(match action {
        "manage" => "manage",
        "provide" => "provide",
        "deploy" | "active" => "active",
        "undeploy" | "deleted" => "deleted",
        "clean" => "clean",
        "inspect" => "inspect",
        "abort" => "abort",
        "rebuild" => "rebuild",
        "rescue" => "rescue",
        "unrescue" => "unrescue",
        "adopt" => "adopt",
        _ => return None,
    })
}

/// Power targets for each action.
fn power_target(action: PowerAction) -> Option<&'static str> {
    match action {
        PowerAction::On => Some("power on"),
        PowerAction::Off => Some("power off"),
        PowerAction::Reboot => Some("rebooting"),
        PowerAction::Status => None,
    }
}

fn text_of(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(Value::as_str).map(str::to_owned)
}

#[async_trait::async_trait]
impl Backend for IronicBackend {
    fn catalogue(&self) -> &'static Catalogue {
        &CATALOGUE
    }

    fn endpoint(&self) -> String {
        self.rest.endpoint()
    }

    async fn create(
        &self,
        kind: &'static KindSpec,
        name: &str,
        attributes: &[(String, String)],
    ) -> Result<(), Error> {
        let api_name = relations::api_name(kind.name, name);
        let mut fields = vec![(vec!["name".to_owned()], Value::String(api_name))];
        let kept_in = relations::real_name_field(kind.name);
        if kept_in != ["name"] {
            let path = kept_in.iter().map(|p| (*p).to_owned()).collect();
            fields.push((path, Value::String(name.to_owned())));
        }
        fields.extend(self.fields(kind, attributes).await.map_err(Error::server)?);
        let body = Value::Object(nest(fields));
        self.call(
            || format!("creating {kind} {name:?}"),
            "POST",
            &format!("/v1/{}", kind.plural),
            Some(&body),
        )
        .await
        .map(|_| ())
        .map_err(Error::server)
    }

    async fn get(&self, kind: &'static KindSpec, name: &str) -> Result<Option<Record>, Error> {
        if !kind.name_is_valid(name) {
            // Ironic answers 400 "Expected UUID or name" for such a name: no item has it.
            return Ok(None);
        }
        let reply = match self.rest.get(&Self::item_path(kind, name)).await {
            Err(e) if e.status() == Some(404) => return Ok(None),
            other => other.map_err(|source| {
                Error::server(IronicError::Call {
                    action: format!("reading {kind} {name:?}"),
                    source,
                })
            })?,
        };
        let mut record = self.record(kind, name, reply.body);
        self.name_references(&mut record).await.map_err(|e| {
            Error::server(reword(
                e,
                format!("reading the items {kind} {name:?} names"),
            ))
        })?;
        Ok(Some(record))
    }

    async fn find(
        &self,
        kind: &'static KindSpec,
        criteria: &[(String, String)],
    ) -> Result<Vec<String>, Error> {
        let patterns = criteria
            .iter()
            .map(|(field, glob)| {
                glob::Pattern::new(glob)
                    .map(|p| (field.clone(), p))
                    .map_err(|e| Error::Invalid(format!("invalid pattern {glob:?}: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut items = self.list(kind).await.map_err(Error::server)?;
        if relations::by_uuid(kind.name, "node").is_some()
            && criteria.iter().any(|(f, _)| f == "node")
        {
            let names = self.node_names().await.map_err(Error::server)?;
            for item in &mut items {
                let node = text_of(item, "node_uuid").and_then(|uuid| names.get(&uuid).cloned());
                if let Some(node) = node {
                    item.insert("node".to_owned(), Value::String(node));
                }
            }
        }
        Ok(items
            .iter()
            .filter(|item| matches(item, &patterns))
            .filter_map(|item| text_of(item, "name"))
            .collect())
    }

    async fn modify(
        &self,
        kind: &'static KindSpec,
        name: &str,
        attributes: &[(String, String)],
    ) -> Result<(), Error> {
        let fields = self.fields(kind, attributes).await.map_err(Error::server)?;
        let patch: Vec<Value> = fields
            .into_iter()
            .map(|(path, value)| {
                let op = if path.len() == 1 { "replace" } else { "add" };
                json!({"op": op, "path": pointer(&path), "value": value})
            })
            .collect();
        self.patch(kind, name, format!("modifying {kind} {name:?}"), patch)
            .await
    }

    async fn unset(
        &self,
        kind: &'static KindSpec,
        name: &str,
        paths: &[String],
    ) -> Result<(), Error> {
        let patch: Vec<Value> = paths
            .iter()
            .map(|path| {
                // An attribute naming an item is a uuid field in the API (`portgroup_uuid`).
                let path = relations::by_uuid(kind.name, path).map_or(path.as_str(), |(_, f)| f);
                let parts: Vec<String> = path.split('.').map(str::to_owned).collect();
                json!({"op": "remove", "path": pointer(&parts)})
            })
            .collect();
        self.patch(
            kind,
            name,
            format!("removing {} of {kind} {name:?}", paths.join(", ")),
            patch,
        )
        .await
    }

    async fn remove(
        &self,
        kind: &'static KindSpec,
        name: &str,
        _recursive: bool,
    ) -> Result<(), Error> {
        let action = || format!("deleting {kind} {name:?}");
        let path = self
            .delete_path(kind, name)
            .await
            .map_err(|e| Error::server(reword(e, action())))?;
        self.call(action, "DELETE", &path, None)
            .await
            .map(|_| ())
            .map_err(Error::server)
    }

    async fn discard(&self, kind: &'static KindSpec, name: &str) -> Result<(), Error> {
        if !kind.name_is_valid(name) {
            // The server refused the name, so no such item was created.
            return Ok(());
        }
        let action = format!("removing {kind} {name:?}");
        if kind.name == "node" {
            let Some(node) = self.settled_node(name).await.map_err(Error::server)? else {
                return Ok(());
            };
            let node_path = Self::item_path(kind, name);
            if node.get("protected").and_then(Value::as_bool) == Some(true) {
                let unprotect = json!([{"op": "replace", "path": "/protected", "value": false}]);
                self.cleanup_call(
                    format!("{action}: unprotecting it first"),
                    "PATCH",
                    &node_path,
                    Some(&unprotect),
                )
                .await
                .map_err(Error::server)?;
            }
            let state = text_of(&node, "provision_state");
            let deletable = state.as_deref().is_none_or(|s| DELETABLE.contains(&s));
            let in_maintenance = node.get("maintenance").and_then(Value::as_bool) == Some(true);
            if !deletable && !in_maintenance {
                self.cleanup_call(
                    format!("{action}: putting it in maintenance first"),
                    "PUT",
                    &format!("{node_path}/maintenance"),
                    Some(&json!({"reason": "provspec cleanup"})),
                )
                .await
                .map_err(Error::server)?;
            }
        }
        let path = match self.delete_path(kind, name).await {
            Ok(path) => path,
            Err(e) if e.status() == Some(404) => return Ok(()),
            Err(e) => return Err(Error::server(reword(e, action))),
        };
        self.cleanup_call(action, "DELETE", &path, None)
            .await
            .map_err(Error::server)
    }

    async fn power(
        &self,
        kind: &'static KindSpec,
        name: &str,
        action: PowerAction,
    ) -> Result<(), Error> {
        let Some(target) = power_target(action).filter(|_| kind.name == "node") else {
            return Err(self.unsupported(format!("power {action} a {kind}")));
        };
        self.call(
            || format!("power {action} of {kind} {name:?}"),
            "PUT",
            &format!("/v1/nodes/{}/states/power", segment(name)),
            Some(&json!({"target": target})),
        )
        .await
        .map(|_| ())
        .map_err(Error::server)
    }

    async fn is_powered_on(
        &self,
        kind: &'static KindSpec,
        name: &str,
    ) -> Result<Option<bool>, Error> {
        if kind.name != "node" {
            return Err(self.unsupported(format!("read the power state of a {kind}")));
        }
        let state = self.node_state(name).await.map_err(Error::server)?;
        let settled = state.get("target_power_state").is_none_or(Value::is_null);
        Ok(settled.then(|| text_of(&state, "power_state").as_deref() == Some("power on")))
    }

    async fn list_marked(&self, marker: &str) -> Result<Vec<(&'static str, String)>, Error> {
        let mut found = Vec::new();
        for kind in CATALOGUE.kinds {
            let path = relations::real_name_field(kind.name);
            for item in self.list(kind).await.map_err(Error::server)? {
                let item = Value::Object(item);
                let name = path
                    .iter()
                    .try_fold(&item, |v, p| v.get(p))
                    .and_then(Value::as_str)
                    .filter(|n| n.contains(marker));
                if let Some(name) = name {
                    found.push((kind.name, name.to_owned()));
                }
            }
        }
        Ok(found)
    }

    async fn log_in(&self) -> Result<(), Error> {
        self.call(
            || "checking the credentials".to_owned(),
            "GET",
            "/v1/nodes?limit=1&fields=uuid",
            None,
        )
        .await
        .map(|_| ())
        .map_err(Error::server)
    }

    async fn try_credentials(&self, user: &str, password: &str) -> Result<(), Error> {
        IronicBackend::new(self.rest.with_auth(Some(BasicAuth::new(user, password))))
            .log_in()
            .await
    }

    fn provisioning(&self) -> Option<&dyn Provisioning> {
        Some(self)
    }
}

#[async_trait::async_trait]
impl Provisioning for IronicBackend {
    async fn state(&self, kind: &'static KindSpec, name: &str) -> Result<ItemState, Error> {
        if kind.name == "allocation" {
            return self.allocation_state(name).await.map_err(Error::server);
        }
        if kind.name != "node" {
            return Err(self.unsupported(format!("report the state of a {kind}")));
        }
        let state = self.node_state(name).await.map_err(Error::server)?;
        Ok(ItemState {
            current: text_of(&state, "provision_state"),
            target: text_of(&state, "target_provision_state"),
            last_error: text_of(&state, "last_error"),
            busy: state.get("reservation").is_some_and(|r| !r.is_null()),
        })
    }

    async fn act(
        &self,
        kind: &'static KindSpec,
        name: &str,
        action: &str,
        arguments: &Value,
    ) -> Result<(), Error> {
        if kind.name != "node" {
            return Err(self.unsupported(format!("{action} a {kind}")));
        }
        let (method, path, body) = match node_actions::request(name, action, arguments) {
            Some(request) => request,
            None => {
                let Some(target) = provision_target(action) else {
                    return Err(self.unsupported(format!("{action} a {kind}")));
                };
                let mut body = arguments.as_object().cloned().unwrap_or_default();
                body.insert("target".to_owned(), Value::String(target.to_owned()));
                (
                    "PUT",
                    format!("/v1/nodes/{}/states/provision", segment(name)),
                    Some(Value::Object(body)),
                )
            }
        };
        self.call(
            || format!("{action} of {kind} {name:?}"),
            method,
            &path,
            body.as_ref(),
        )
        .await
        .map(|_| ())
        .map_err(Error::server)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_nest_into_a_body_with_typed_values() {
        let fields = vec![
            (vec!["name".into()], json!("n1")),
            (
                vec!["properties".into(), "cpus".into()],
                typed(false, "cpus", "4"),
            ),
            (
                vec!["properties".into(), "arch".into()],
                typed(false, "arch", "x86_64"),
            ),
            (
                vec!["maintenance".into()],
                typed(true, "maintenance", "true"),
            ),
            (
                vec!["description".into()],
                typed(true, "description", "true"),
            ),
        ];
        assert_eq!(
            Value::Object(nest(fields)),
            json!({"name": "n1", "properties": {"cpus": 4, "arch": "x86_64"}, "maintenance": true, "description": "true"})
        );
        assert_eq!(pointer(&["extra".into(), "a/b~c".into()]), "/extra/a~1b~0c");
    }

    #[test]
    fn next_links_become_paths_and_criteria_match_rendered_fields() {
        assert_eq!(
            path_of("http://127.0.0.1:6385/v1/nodes?limit=1&marker=abc"),
            "/v1/nodes?limit=1&marker=abc"
        );
        assert_eq!(
            path_of("https://cloud.example.org/baremetal/v1/ports/detail?limit=2&marker=x"),
            "/v1/ports/detail?limit=2&marker=x"
        );
        let item = json!({"name": "web-1--x-1", "properties": {"cpus": 4}});
        let item = item.as_object().unwrap();
        let criteria =
            |field: &str, glob: &str| vec![(field.to_owned(), glob::Pattern::new(glob).unwrap())];
        assert!(matches(item, &criteria("name", "web-*")));
        assert!(matches(item, &criteria("properties.cpus", "4")));
        assert!(!matches(item, &criteria("properties.cpus", "8")));
        assert!(!matches(item, &criteria("nope", "*")));
    }

    mod cleanup {
        use std::sync::Arc;
        use std::time::Duration;

        use super::*;
        use crate::ironic::fake::{FakeIronic, FakeIronicConfig};
        use crate::ironic::rest::MICROVERSION;

        /// A backend on a fake whose transitions take `delay`.
        fn backend(delay: Duration) -> (IronicBackend, FakeIronic) {
            let fake = FakeIronic::new(FakeIronicConfig {
                transition_delay: delay,
                ..FakeIronicConfig::default()
            });
            let rest = RestClient::new(Arc::new(fake.clone()), MICROVERSION, None);
            (IronicBackend::new(rest), fake)
        }

        fn node() -> &'static KindSpec {
            node_kind()
        }

        /// The attributes the World would send: the kind's defaults.
        fn defaults() -> Vec<(String, String)> {
            node()
                .defaults
                .iter()
                .map(|(a, v)| ((*a).to_owned(), (*v).to_owned()))
                .collect()
        }

        fn port() -> &'static KindSpec {
            CATALOGUE.kind("port").unwrap()
        }

        async fn settle(backend: &IronicBackend, name: &str, expected: &str) {
            for _ in 0..200 {
                let state = backend.state(node(), name).await.unwrap();
                if state.name() == expected && (!state.is_settling() || state.has_failed()) {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            panic!("node {name} never reached {expected}");
        }

        async fn drive(backend: &IronicBackend, name: &str, steps: &[(&str, &str)]) {
            for (action, state) in steps {
                backend
                    .act(node(), name, action, &Value::Null)
                    .await
                    .unwrap();
                settle(backend, name, state).await;
            }
        }

        #[tokio::test]
        async fn discard_removes_a_node_and_its_ports_from_any_state() {
            let (backend, fake) = backend(Duration::from_millis(20));
            let to_active = [
                ("manage", "manageable"),
                ("provide", "available"),
                ("deploy", "active"),
            ];
            // enroll, with a port
            backend
                .create(node(), "enrolled", &defaults())
                .await
                .unwrap();
            let on_node = [
                ("node".to_owned(), "enrolled".to_owned()),
                ("address".to_owned(), "52:54:00:00:aa:01".to_owned()),
            ];
            backend.create(port(), "p1", &on_node).await.unwrap();
            // active, and protected
            backend.create(node(), "active", &defaults()).await.unwrap();
            drive(&backend, "active", &to_active).await;
            let protect = [("protected".to_owned(), "true".to_owned())];
            backend.modify(node(), "active", &protect).await.unwrap();
            // clean failed (keeps its target)
            backend.create(node(), "failed", &defaults()).await.unwrap();
            drive(&backend, "failed", &[("manage", "manageable")]).await;
            let steps =
                json!({"clean_steps": [{"interface": "raid", "step": "delete_configuration"}]});
            backend
                .act(node(), "failed", "clean", &steps)
                .await
                .unwrap();
            settle(&backend, "failed", "clean failed").await;
            // mid-transition: deploying
            backend.create(node(), "moving", &defaults()).await.unwrap();
            drive(&backend, "moving", &to_active[..2]).await;
            backend
                .act(node(), "moving", "deploy", &Value::Null)
                .await
                .unwrap();
            assert!(backend.state(node(), "moving").await.unwrap().is_settling());

            for name in ["moving", "failed", "active", "enrolled"] {
                backend.discard(node(), name).await.unwrap();
            }
            // Already gone, a name the server refuses, a port gone with its node: all fine.
            backend.discard(node(), "enrolled").await.unwrap();
            backend.discard(node(), "bad name").await.unwrap();
            backend.discard(port(), "p1").await.unwrap();
            assert!(fake.is_empty(), "left: {:?}", fake.node_names());
        }

        #[tokio::test]
        async fn a_port_is_deleted_by_uuid() {
            let (backend, fake) = backend(Duration::ZERO);
            backend.create(node(), "n1", &defaults()).await.unwrap();
            let on_node = [
                ("node".to_owned(), "n1".to_owned()),
                ("address".to_owned(), "52:54:00:00:aa:02".to_owned()),
            ];
            backend.create(port(), "p1", &on_node).await.unwrap();
            let record = backend.get(port(), "p1").await.unwrap().unwrap();
            assert_eq!(record.text("node").as_deref(), Some("n1"));
            backend.remove(port(), "p1", true).await.unwrap();
            assert_eq!(fake.port_count(), 0);
            let error = backend.remove(port(), "p1", true).await.unwrap_err();
            assert!(
                error.to_string().contains("Port p1 could not be found."),
                "{error}"
            );
        }

        #[tokio::test]
        async fn a_deploy_template_is_found_by_its_run_name_and_swept() {
            let (backend, fake) = backend(Duration::ZERO);
            let kind = CATALOGUE.kind("deploy_template").unwrap();
            let steps = r#"[{"interface": "bios", "step": "x", "args": {}, "priority": 1}]"#;
            let attributes = [("steps".to_owned(), steps.to_owned())];
            backend
                .create(kind, "t1--ab12-3", &attributes)
                .await
                .unwrap();
            let record = backend.get(kind, "t1--ab12-3").await.unwrap().unwrap();
            assert_eq!(record.text("name").as_deref(), Some("CUSTOM_T1__AB12_3"));
            let marked = backend.list_marked("--ab12-").await.unwrap();
            assert_eq!(marked, [("deploy_template", "t1--ab12-3".to_owned())]);
            backend.discard(kind, "t1--ab12-3").await.unwrap();
            assert!(fake.is_empty());
        }

        #[tokio::test]
        async fn a_port_joins_a_portgroup_by_name_and_leaves_it() {
            let (backend, _fake) = backend(Duration::ZERO);
            backend.create(node(), "n1", &defaults()).await.unwrap();
            let group = CATALOGUE.kind("portgroup").unwrap();
            let on_node = [("node".to_owned(), "n1".to_owned())];
            backend.create(group, "bond0", &on_node).await.unwrap();
            let in_group = [
                ("node".to_owned(), "n1".to_owned()),
                ("address".to_owned(), "52:54:00:00:aa:03".to_owned()),
                ("portgroup".to_owned(), "bond0".to_owned()),
            ];
            backend.create(port(), "p1", &in_group).await.unwrap();
            let record = backend.get(port(), "p1").await.unwrap().unwrap();
            assert_eq!(record.text("portgroup").as_deref(), Some("bond0"));
            backend
                .unset(port(), "p1", &["portgroup".to_owned()])
                .await
                .unwrap();
            let record = backend.get(port(), "p1").await.unwrap().unwrap();
            assert_eq!(record.text("portgroup_uuid").as_deref(), Some(""));
        }
    }
}
