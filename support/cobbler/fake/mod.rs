//! An in-process Cobbler 3.3 that answers the same methods, with the same arguments, results
//! and fault strings as a real cobblerd 3.3.10 for every call provspec makes.
//!
//! Where the real server is odd (silent overwrite on `save_*` without editmode `new`, rename onto
//! an existing name, `"~"` for a missing item), the fake is odd the same way: a feature that
//! passes here must pass there. The behaviour it copies is recorded in
//! `../shared/real-cobbler/FINDINGS.md` and in `recorded/`.

mod args;
mod blender;
mod check;
mod cheetah;
mod events;
mod fence_agent;
mod fields;
mod files;
mod install_log;
mod interfaces;
mod methods;
mod not_faked;
mod options;
mod parents;
mod power_conf;
mod pxe_file;
mod python;
mod rare_calls;
mod recorded;
mod redfish_power;
mod resolved_value;
mod search;
pub mod server;
mod server_calls;
mod sessions;
mod settings;
mod signatures;
mod state;
mod store;
mod tasks;
mod templates;
mod tokens;
mod uid;
mod verbs;
pub(crate) mod wire;
mod xapi;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use args::Args;
use state::State;
use store::Store;
use tokens::TokenStore;
use verbs::item_method_names;

use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{CallError, Fault, Transport, Value};

pub use files::stock_file_names;
pub use settings::Settings;

/// A random secret of the shape cobblerd writes to web.ss.
pub fn random_secret() -> String {
    tokens::random_token()
}

/// How the embedded fake names itself in messages (its [`Transport::endpoint`]).
pub const ENDPOINT: &str = "the embedded fake Cobbler";

/// The version real Cobbler 3.3.10 reports from `version()`.
pub const VERSION: f64 = 3.31;

/// The methods [`FakeCobbler::dispatch`] answers besides the item verbs.
const SERVER_METHODS: [&str; 75] = [
    "ping",
    "version",
    "extended_version",
    "login",
    "logout",
    "token_check",
    "get_user_from_token",
    "check",
    "get_settings",
    "last_modified_time",
    "power_system",
    "xapi_object_edit",
    "new_subprofile",
    "find_items_paged",
    "sync",
    "sync_dhcp",
    "background_sync",
    "background_syncsystems",
    "background_power_system",
    "get_task_status",
    "get_event_log",
    "get_events",
    "background_import",
    "background_reposync",
    "background_buildiso",
    "background_hardlink",
    "background_replicate",
    "background_aclsetup",
    "background_validate_autoinstall_files",
    "read_autoinstall_template",
    "write_autoinstall_template",
    "remove_autoinstall_template",
    "read_autoinstall_snippet",
    "write_autoinstall_snippet",
    "remove_autoinstall_snippet",
    "get_autoinstall_templates",
    "get_autoinstall_snippets",
    "is_autoinstall_in_use",
    "generate_autoinstall",
    "generate_profile_autoinstall",
    "generate_system_autoinstall",
    "generate_script",
    "get_template_file_for_profile",
    "get_template_file_for_system",
    "modify_setting",
    "get_signatures",
    "get_valid_breeds",
    "get_valid_os_versions",
    "get_valid_os_versions_for_breed",
    "get_valid_archs",
    "get_valid_distro_boot_loaders",
    "get_valid_image_boot_loaders",
    "get_valid_profile_boot_loaders",
    "get_valid_system_boot_loaders",
    "get_random_mac",
    "get_status",
    "get_blended_data",
    "get_repo_config_for_profile",
    "get_repo_config_for_system",
    "get_repos_compatible_with_profile",
    "disable_netboot",
    "clear_system_logs",
    "run_install_triggers",
    "find_system_by_dns_name",
    "get_config_data",
    "has_item",
    "check_access",
    "get_item_resolved_value",
    "xmlrpc_hacks",
    "get_authn_module_name",
    "check_access_no_fail",
    "dump_vars",
    "register_new_system",
    "upload_log_data",
    "auto_add_repos",
];

/// How deep the fake lets arrays and structs nest in an argument. Real cobblerd takes any
/// depth (its XML parser does not recurse); the fake's value handling does, so it answers
/// [`too_deep`] instead of risking its stack. Over HTTP, dxr cannot read 42 levels or more.
pub const MAX_NESTING: usize = 32;

/// The fault for an argument nested deeper than [`MAX_NESTING`] (the fake's own answer).
fn too_deep() -> Fault {
    python::value_error(format!(
        "the fake Cobbler takes arrays and structs nested at most {MAX_NESTING} levels deep"
    ))
}

/// The deepest nesting of arrays and structs in `values` (a plain value is 0), found without
/// recursion.
fn nesting(values: &[Value]) -> usize {
    let mut deepest = 0;
    let mut stack: Vec<(&Value, usize)> = values.iter().map(|v| (v, 0)).collect();
    while let Some((value, depth)) = stack.pop() {
        match value {
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            Value::Struct(members) => stack.extend(members.values().map(|v| (v, depth + 1))),
            _ => {}
        }
        deepest = deepest.max(match value {
            Value::Array(_) | Value::Struct(_) => depth + 1,
            _ => depth,
        });
    }
    deepest
}

/// How a fake server is set up.
#[derive(Clone, Debug)]
pub struct FakeConfig {
    /// Accepted logins as (user, password).
    pub users: Vec<(String, String)>,
    /// Token lifetime (`auth_token_expiration`); expiry takes effect at the next `token_check`.
    pub token_lifetime: Option<Duration>,
    /// The secret cobblerd writes to `/var/lib/cobbler/web.ss`: `login("", secret)` succeeds
    /// with it, which is how the stock `cobbler` command line logs in as root.
    pub shared_secret: Option<String>,
    /// The server's settings (`get_settings`; what items inherit and templates see).
    pub settings: Settings,
}

impl Default for FakeConfig {
    /// The shipped default: user `cobbler`, password `cobbler`, tokens that do not expire, the
    /// recorded server's settings.
    fn default() -> Self {
        Self {
            users: vec![("cobbler".into(), "cobbler".into())],
            token_lifetime: None,
            shared_secret: None,
            settings: Settings::default(),
        }
    }
}

/// A fake Cobbler server. Cheap to clone; clones share one server.
#[derive(Clone)]
pub struct FakeCobbler {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for FakeCobbler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeCobbler")
            .field("items", &self.lock().store.len())
            .finish_non_exhaustive()
    }
}

impl Default for FakeCobbler {
    fn default() -> Self {
        Self::new(FakeConfig::default())
    }
}

impl FakeCobbler {
    /// An empty server.
    pub fn new(config: FakeConfig) -> Self {
        Self {
            state: Arc::new(Mutex::new(State {
                users: config.users,
                shared_secret: config.shared_secret,
                tokens: TokenStore::new(config.token_lifetime),
                store: Store::with_settings(config.settings),
                dummy_power_on: false,
                events: Default::default(),
                files: Default::default(),
                install_log: Vec::new(),
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves consistent data (every change is one insert).
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// [`FakeCobbler::dispatch`], except that a power action on a system whose power type is
    /// `redfish` talks to its BMC, and one whose fence agent is installed here runs it as
    /// cobblerd does (without holding the fake's lock).
    pub async fn dispatch_async(&self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        if method == "power_system" && nesting(values) <= MAX_NESTING {
            let request = self.lock().power_request(method, values).ok();
            if let Some((operation, system)) = request {
                if let Some(power) = redfish_power::RedfishPower::of(&operation, &system) {
                    return power.run().await;
                }
                if let Some(agent) = fence_agent::FenceAgent::of(&operation, &system) {
                    return agent.run().await;
                }
            }
        }
        self.dispatch(method, values)
    }

    /// Answers one XML-RPC call as cobblerd would.
    pub fn dispatch(&self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        if nesting(values) > MAX_NESTING {
            return Err(too_deep());
        }
        if let Some(fault) = signatures::forbidden(method) {
            return Err(fault);
        }
        if let Some(signature) = signatures::signature(method) {
            signature.check(method, values.len())?;
        }
        let mut state = self.lock();
        let answered = state
            .session_call(method, values)
            .or_else(|| state.autoinstall_call(method, values))
            .or_else(|| state.rare_call(method, values));
        if let Some(answer) = answered {
            return answer;
        }
        match method {
            "find_items_paged" => state.find_items_paged(method, values),
            "sync" => state.sync(method, values),
            "sync_dhcp" => state.sync_dhcp(method, values),
            "get_task_status" => state.task_status(method, values),
            "get_event_log" => state.event_log(method, values),
            m if tasks::BACKGROUND.iter().any(|(b, _)| *b == m) => state.background(method, values),
            m if m.ends_with("_as_rendered")
                && let Some(kind) = m
                    .strip_prefix("get_")
                    .and_then(|rest| rest.strip_suffix("_as_rendered"))
                    .and_then(|k| Kind::ALL.into_iter().find(|kind| kind.name() == k)) =>
            {
                state.as_rendered(kind, method, values)
            }
            "modify_setting" => state.modify_setting(method, values),
            "get_signatures"
            | "get_valid_breeds"
            | "get_valid_os_versions"
            | "get_valid_os_versions_for_breed"
            | "get_valid_archs" => state.signature_call(method, values),
            m if m.starts_with("get_valid_")
                && let Some(kind) = m
                    .strip_prefix("get_valid_")
                    .and_then(|rest| rest.strip_suffix("_boot_loaders"))
                    .and_then(|k| Kind::ALL.into_iter().find(|kind| kind.name() == k)) =>
            {
                state.valid_boot_loaders(kind, method, values)
            }
            "get_random_mac" => state.random_mac(method, values),
            "get_status" => state.status(method, values),
            "get_blended_data" => state.blended_data(method, values),
            "get_repo_config_for_profile" | "get_repo_config_for_system" => {
                state.repo_config(method, values)
            }
            "get_repos_compatible_with_profile" => state.repos_compatible(method, values),
            "disable_netboot" => state.disable_netboot(method, values),
            "clear_system_logs" => state.clear_system_logs(method, values),
            "run_install_triggers" => state.run_install_triggers(method, values),
            "find_system_by_dns_name" => state.find_system_by_dns_name(method, values),
            "get_config_data" => state.config_data(method, values),
            "has_item" => state.has_item(method, values),
            "get_item_resolved_value" => state.item_resolved_value(method, values),
            "check_access" => state.check_access(method, values),
            "get_events" => state.events(method, values),
            "get_settings" => {
                Args::new(method, values, &["token"], 0)?;
                Ok(state.store.settings().to_value())
            }
            "power_system" => state.power_system(method, values),
            "xapi_object_edit" => state.xapi_object_edit(method, values),
            "new_subprofile" => state.new_subprofile(method, values),
            _ => state.item_call_or_unknown(method, values),
        }
    }

    /// Every method name [`FakeCobbler::dispatch`] answers (any other of the real server's
    /// methods faults `not_faked`, any other name is cobblerd's "unknown remote method"): the
    /// server and session calls, then the item verbs for every kind and their generic forms.
    pub fn method_names() -> Vec<String> {
        let mut names: Vec<String> = SERVER_METHODS.iter().map(|m| (*m).to_owned()).collect();
        names.extend(item_method_names());
        names
    }

    /// Every public method of the real cobblerd 3.3.10 (`cobbler/remote.py`), sorted.
    pub fn remote_method_names() -> Vec<String> {
        signatures::remote_methods().map(str::to_owned).collect()
    }

    /// Runs `write` with the key orders of dicts given as text (see [`wire::response`]).
    pub(crate) fn with_dict_orders<T>(&self, write: impl FnOnce(&wire::DictOrders) -> T) -> T {
        write(self.lock().store.dict_orders())
    }

    /// Forgets every token, as a restart of cobblerd does.
    pub fn expire_all_tokens(&self) {
        self.lock().tokens.clear();
    }

    /// Names of the saved items of `kind`, in the server's order.
    pub fn names(&self, kind: Kind) -> Vec<String> {
        self.lock()
            .store
            .items(kind)
            .map(|(name, _)| name.to_owned())
            .collect()
    }

    /// Every saved item's name, by kind (kinds with none are left out).
    pub fn inventory(&self) -> BTreeMap<Kind, Vec<String>> {
        Kind::ALL
            .into_iter()
            .map(|k| (k, self.names(k)))
            .filter(|(_, names)| !names.is_empty())
            .collect()
    }

    /// True when no item is saved.
    pub fn is_empty(&self) -> bool {
        self.lock().store.is_empty()
    }
}

fn extended_version() -> Value {
    let text = |s: &str| Value::String(s.to_owned());
    Value::Struct(BTreeMap::from([
        ("gitdate".to_owned(), text("Fri Sep 18 16:47:20 2026 +0200")),
        ("gitstamp".to_owned(), text("34bc059")),
        ("builddate".to_owned(), text("Fri Sep 18 14:52:11 2026")),
        ("version".to_owned(), text("3.3.10")),
        (
            "version_tuple".to_owned(),
            Value::Array(vec![
                Value::Integer(3),
                Value::Integer(3),
                Value::Integer(10),
            ]),
        ),
    ]))
}

#[async_trait::async_trait]
impl Transport for FakeCobbler {
    async fn call(&self, method: &str, args: Vec<Value>) -> Result<Value, CallError> {
        self.dispatch_async(method, &args)
            .await
            .map_err(|fault| CallError::Fault {
                method: method.to_owned(),
                fault,
            })
    }

    fn endpoint(&self) -> String {
        ENDPOINT.to_owned()
    }
}
