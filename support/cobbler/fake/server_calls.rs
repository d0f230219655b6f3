//! Server-wide calls that read or touch no single item's fields directly: settings,
//! signatures and the `get_valid_*` lists, `get_random_mac`, `get_status` and the install log
//! `run_install_triggers` writes, `get_blended_data`, the repo configuration of a profile or
//! system, `disable_netboot`, `clear_system_logs`, `find_system_by_dns_name`,
//! `get_config_data`, `has_item`, `get_events`, `check_access`.
//!
//! Followed from cobblerd 3.3.10's `remote.py`, `utils.py`, `configgen.py` and
//! `actions/status.py`; answers as recorded in `../probe13` (FACTS.md §4). Repos are not a
//! kind of the fake yet: a profile or system that names repos gets `not_faked` where the
//! answer depends on them.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use indexmap::IndexMap;

use super::args::Args;
use super::blender::{blend, blend_with, supported_boot_loaders};
use super::install_log::InstallEntry;
use super::not_faked::not_faked;
use super::options::NO_VALUE;
use super::python::{cx, exception, none_has_no, py_repr, value_error};
use super::verbs::{Verb, unknown_collection};

use super::state::State;
use super::store::{epoch_seconds, field};
use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Fault, Value, ValueExt, from_json};

/// The architectures `get_valid_archs` lists (cobblerd's `Archs` enum, sorted).
const ARCHS: [&str; 16] = [
    "ARM64", "aarch64", "amd64", "arm", "armhfp", "i386", "i586", "ia64", "ppc", "ppc64",
    "ppc64el", "ppc64le", "s390", "s390x", "x86", "x86_64",
];

struct Signatures {
    value: Value,
    orders: Vec<Vec<String>>,
}

fn signatures() -> &'static Signatures {
    static SIGNATURES: OnceLock<Signatures> = OnceLock::new();
    SIGNATURES.get_or_init(|| {
        let json: serde_json::Value =
            serde_json::from_str(include_str!("recorded/signatures.json"))
                .expect("recorded/signatures.json is valid JSON");
        let orders = json["key_orders"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|list| {
                list.as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|k| k.as_str().map(str::to_owned))
                    .collect()
            })
            .collect();
        Signatures {
            value: from_json(&json["signatures"]),
            orders,
        }
    })
}

fn breeds() -> BTreeMap<String, Value> {
    signatures()
        .value
        .as_struct()
        .and_then(|s| s.get("breeds"))
        .and_then(ValueExt::as_struct)
        .cloned()
        .unwrap_or_default()
}

fn strings<I: IntoIterator<Item = String>>(items: I) -> Value {
    Value::Array(items.into_iter().map(Value::String).collect())
}

/// True when a dict inside `item` holds a bare key (cobblerd's None, `~` here).
fn holds_none(item: &Value) -> bool {
    item.as_struct().is_some_and(|fields| {
        fields.values().any(|value| {
            value
                .as_struct()
                .is_some_and(|dict| dict.values().any(|v| v.as_str() == Some(NO_VALUE)))
        })
    })
}

/// An argument as Python's `%s` prints it.
fn text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Nil) => "None".into(),
        Some(other) => other.render(),
    }
}

impl State {
    /// `modify_setting(name, value, token)`: cobblerd with `allow_dynamic_settings: false`
    /// answers 1 to everything, without checking the token.
    pub fn modify_setting(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        Args::new(method, values, &["setting_name", "value", "token"], 3)?;
        if self.store.settings().flag("allow_dynamic_settings") != Some(false) {
            return Err(not_faked("modify_setting with allow_dynamic_settings on"));
        }
        Ok(Value::Integer(1))
    }

    /// `get_signatures`, `get_valid_breeds`, `get_valid_os_versions[_for_breed]`,
    /// `get_valid_archs`.
    pub fn signature_call(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        match method {
            "get_signatures" => {
                Args::new(method, values, &["token"], 0)?;
                for order in &signatures().orders {
                    self.store.remember_order(order.clone());
                }
                Ok(signatures().value.clone())
            }
            "get_valid_breeds" => {
                Args::new(method, values, &["token"], 0)?;
                Ok(strings(breeds().into_keys()))
            }
            "get_valid_os_versions" => {
                Args::new(method, values, &["token"], 0)?;
                let mut all: Vec<String> = breeds()
                    .values()
                    .filter_map(ValueExt::as_struct)
                    .flat_map(|versions| versions.keys().cloned())
                    .collect();
                all.sort();
                all.dedup();
                Ok(strings(all))
            }
            "get_valid_os_versions_for_breed" => {
                let args = Args::new(method, values, &["breed", "token"], 1)?;
                let breed = args.get(0).map(ValueExt::render).unwrap_or_default();
                let versions = breeds()
                    .get(&breed)
                    .and_then(ValueExt::as_struct)
                    .map(|v| v.keys().cloned().collect::<Vec<_>>())
                    .unwrap_or_default();
                Ok(strings(versions))
            }
            _ => {
                Args::new(method, values, &["token"], 0)?;
                Ok(strings(ARCHS.iter().map(|a| (*a).to_owned())))
            }
        }
    }

    /// `get_valid_{distro,image,profile,system}_boot_loaders(name, token=None)`.
    pub fn valid_boot_loaders(
        &self,
        kind: Kind,
        method: &str,
        values: &[Value],
    ) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["name", "token"], 1)?;
        let loaders = |list: &[&str]| strings(list.iter().map(|l| (*l).to_owned()));
        let name = match args.get(0) {
            None | Some(Value::Nil) => return Ok(loaders(&["grub", "pxe", "ipxe"])),
            Some(name) => name.render(),
        };
        let Some(item) = self.store.get(kind, &name) else {
            return Ok(Value::String(format!("# object not found: {name}")));
        };
        let arch_of = |kind: Kind, name: &str| {
            self.store
                .get(kind, name)
                .map(|i| field(i, "arch").to_owned())
                .unwrap_or_default()
        };
        match kind {
            Kind::Distro | Kind::Image => Ok(loaders(supported_boot_loaders(field(item, "arch")))),
            Kind::Profile => {
                let distro = blend(&self.store, kind, &name)
                    .and_then(|b| b.get("distro").map(ValueExt::render))
                    .unwrap_or_default();
                Ok(loaders(supported_boot_loaders(&arch_of(
                    Kind::Distro,
                    &distro,
                ))))
            }
            _ => {
                let profile = field(item, "profile");
                if profile.is_empty() {
                    let image = field(item, "image");
                    return Ok(loaders(supported_boot_loaders(&arch_of(
                        Kind::Image,
                        image,
                    ))));
                }
                let blended =
                    blend_with(&self.store, Kind::Profile, profile, false).unwrap_or_default();
                Ok(blended
                    .get("boot_loaders")
                    .cloned()
                    .unwrap_or(Value::Array(Vec::new())))
            }
        }
    }

    /// `get_random_mac(virt_type='xenpv', token=None)`: a MAC no system has.
    pub fn random_mac(&self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["virt_type", "token"], 0)?;
        let virt = args.get(0).map_or("xenpv".to_owned(), ValueExt::render);
        let (prefix, top) = if virt.starts_with("vmware") {
            ("00:50:56", 0x3f)
        } else if ["xen", "qemu", "kvm"].iter().any(|p| virt.starts_with(p)) {
            ("00:16:3e", 0x7f)
        } else {
            return Err(cx("virt mac assignment not yet supported"));
        };
        let used: Vec<String> = self
            .store
            .items(Kind::System)
            .filter_map(|(_, s)| s.get("interfaces").and_then(ValueExt::as_struct))
            .flat_map(|ifs| ifs.values())
            .filter_map(|i| i.as_struct().and_then(|f| f.get("mac_address")))
            .map(ValueExt::render)
            .collect();
        loop {
            let mac = format!(
                "{prefix}:{:02x}:{:02x}:{:02x}",
                rand::random::<u8>() % (top + 1),
                rand::random::<u8>(),
                rand::random::<u8>()
            );
            if !used.contains(&mac) {
                return Ok(Value::String(mac));
            }
        }
    }

    /// `run_install_triggers(mode, objtype, name, ip, token=None)`: the install log's line
    /// from the pre and post triggers (cobblerd's `pre_log`/`post_log` modules).
    pub fn run_install_triggers(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(
            method,
            values,
            &["mode", "objtype", "name", "ip", "token"],
            4,
        )?;
        let mode = args.get(0).and_then(ValueExt::as_str).unwrap_or("");
        let objtype = args.get(1).and_then(ValueExt::as_str).unwrap_or("");
        if !matches!(mode, "pre" | "post" | "firstboot") || !matches!(objtype, "system" | "profile")
        {
            return Ok(Value::Boolean(false));
        }
        if mode == "firstboot" {
            return Ok(Value::Boolean(true));
        }
        let name = text(args.get(2));
        let ip = text(args.get(3));
        let kind = if objtype == "system" {
            Kind::System
        } else {
            Kind::Profile
        };
        let ip_ok = ip == "?" || ip.parse::<std::net::IpAddr>().is_ok();
        if self.store.get(kind, &name).is_none() || !ip_ok {
            let module = if mode == "pre" { "pre_log" } else { "post_log" };
            return Err(not_faked(&format!(
                "the failure of the install trigger {module} (a missing {objtype} or a bad address)"
            )));
        }
        self.install_log.push(InstallEntry {
            objtype: objtype.to_owned(),
            name,
            ip,
            start: mode == "pre",
            time: epoch_seconds(),
        });
        Ok(Value::Boolean(true))
    }

    /// `get_status(mode='normal', token)`: the install log summed up by address.
    pub fn status(&self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["mode", "token"], 0)?;
        self.tokens.user_of(args.get(1))?;
        let mode = args.get(0).and_then(ValueExt::as_str).unwrap_or("normal");
        // ip → [most recent start, most recent stop, target, starts seen, stops seen, state]
        let mut ips: IndexMap<String, (f64, f64, String, i32, i32)> = IndexMap::new();
        for entry in &self.install_log {
            let slot = ips
                .entry(entry.ip.clone())
                .or_insert((-1.0, -1.0, "?".into(), 0, 0));
            let target = format!("{}:{}", entry.objtype, entry.name);
            if entry.start && slot.0 < entry.time {
                slot.0 = entry.time;
                slot.2 = target;
                slot.3 += 1;
            } else if !entry.start && slot.1 < entry.time {
                slot.1 = entry.time;
                slot.2 = target;
                slot.4 += 1;
            }
        }
        let tnow = epoch_seconds() as i64;
        let state = |start: f64, stop: f64| {
            let (start, stop) = (start as i64, stop as i64);
            if stop > start {
                "finished".to_owned()
            } else {
                let delta = tnow - start;
                if delta / 60 > 100 {
                    "unknown/stalled".to_owned()
                } else {
                    format!("installing ({}m {}s)", delta / 60, delta % 60)
                }
            }
        };
        if mode == "text" {
            let mut out = format!(
                "{:<15}|{:<20}|{:<17}|{:<17}",
                "ip", "target", "start", "state"
            );
            let mut sorted: Vec<_> = ips.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            for (ip, (start, stop, target, _, _)) in sorted {
                let when = if *start > -1.0 {
                    ctime(*start)
                } else {
                    "Unknown".into()
                };
                out.push_str(&format!(
                    "\n{ip:<15}|{target:<20}|{when:<17}|{:<17}",
                    state(*start, *stop)
                ));
            }
            return Ok(Value::String(out));
        }
        let number = |t: f64| {
            if t == -1.0 {
                Value::Integer(-1)
            } else {
                Value::Double(t)
            }
        };
        Ok(Value::Struct(
            ips.into_iter()
                .map(|(ip, (start, stop, target, seen_start, seen_stop))| {
                    let row = vec![
                        number(start),
                        number(stop),
                        Value::String(target),
                        Value::Integer(seen_start),
                        Value::Integer(seen_stop),
                        Value::String(state(start, stop)),
                    ];
                    (ip, Value::Array(row))
                })
                .collect(),
        ))
    }

    /// `get_blended_data(profile=None, system=None)`.
    pub fn blended_data(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["profile", "system"], 0)?;
        let given = |i: usize| match args.get(i) {
            None | Some(Value::Nil) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(v) => Some(v.render()),
        };
        let (kind, name) = match (given(0), given(1)) {
            (Some(profile), _) => (Kind::Profile, profile),
            (None, Some(system)) => (Kind::System, system),
            (None, None) => return Err(cx("internal error, no system or profile specified")),
        };
        let Some(item) = self.store.get(kind, &name) else {
            return Err(cx(format!("{} not found: {name}", kind.name())));
        };
        if kind == Kind::System && field(item, "profile").is_empty() {
            return Err(not_faked("get_blended_data of an image-based system"));
        }
        let blended = blend(&self.store, kind, &name).unwrap_or_default();
        self.store.remember_order(blended.keys().cloned().collect());
        Ok(Value::Struct(blended.into_iter().collect()))
    }

    /// `get_repo_config_for_profile(name)` / `_for_system(name)`.
    pub fn repo_config(&self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let kind = if method.ends_with("_system") {
            Kind::System
        } else {
            Kind::Profile
        };
        let args = Args::new(method, values, &["name"], 1)?;
        let name = text(args.get(0));
        if self.store.get(kind, &name).is_none() {
            return Ok(Value::String(format!("# object not found: {name}")));
        }
        let blended = blend_with(&self.store, kind, &name, false).unwrap_or_default();
        let has_repos = blended
            .get("repos")
            .and_then(ValueExt::as_array)
            .is_some_and(|r| !r.is_empty());
        if has_repos {
            return Err(not_faked("the repo configuration of items with repos"));
        }
        Ok(Value::String(String::new()))
    }

    /// `get_repos_compatible_with_profile(profile=None, token=None)`: the repos whose arch
    /// suits the profile's distro (`noarch`, `src` and empty for all; `i386`/`x86`/`i686` for
    /// i386 and x86, `x86_64` for x86_64, otherwise the same arch); none is `[]`, any is
    /// cobblerd's marshalling fault.
    pub fn repos_compatible(&self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["profile", "token"], 0)?;
        let name = text(args.get(0));
        let Some(profile) = self.store.get(Kind::Profile, &name) else {
            return Ok(Value::Array(Vec::new()));
        };
        let distro = super::parents::root(&self.store, Kind::Profile, profile);
        let distro_arch = self
            .store
            .get(Kind::Distro, super::store::field(distro, "distro"))
            .map(|d| super::store::field(d, "arch").to_owned())
            .unwrap_or_default();
        let compatible = |arch: &str| match arch {
            "" | "noarch" | "src" => true,
            "i386" | "x86" | "i686" => matches!(distro_arch.as_str(), "i386" | "x86"),
            "x86_64" => distro_arch == "x86_64",
            other => other == distro_arch,
        };
        let found: Vec<Value> = self
            .store
            .items(Kind::Repo)
            .filter(|(_, repo)| compatible(super::store::field(repo, "arch")))
            .filter_map(|(name, _)| self.store.served(Kind::Repo, name))
            .map(Value::Struct)
            .collect();
        // cobblerd 3.3.10 answers the repos' dicts without turning their None values (a bare
        // key of `environment`, `yumopts` …, kept as `~` here) into `~`, and XML-RPC cannot
        // send None: such a repo makes the call fail.
        if found.iter().any(holds_none) {
            return Err(exception(
                "TypeError",
                "cannot marshal None unless allow_none is enabled",
            ));
        }
        Ok(Value::Array(found))
    }

    /// `disable_netboot(name, token=None)` (cobblerd's `pxe_just_once` is on).
    pub fn disable_netboot(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["name", "token"], 1)?;
        let name = text(args.get(0));
        let Some(mut system) = self.store.get(Kind::System, &name).cloned() else {
            return Ok(Value::Boolean(false));
        };
        system.insert("netboot_enabled".into(), Value::Boolean(false));
        self.store.replace(Kind::System, &name, system);
        Ok(Value::Boolean(true))
    }

    /// `clear_system_logs(handle, token)`: the item first, then the token.
    pub fn clear_system_logs(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["object_id", "token"], 2)?;
        let handle = args.get(0).map(ValueExt::render).unwrap_or_default();
        if handle.starts_with("___NEW___") {
            if self.store.pending(&handle).is_none() {
                return Err(exception("KeyError", py_repr(&handle)));
            }
            self.tokens.user_of(args.get(1))?;
            return Ok(Value::Boolean(true));
        }
        let Some((what, name)) = handle.split_once("::") else {
            return Err(value_error(
                "not enough values to unpack (expected 2, got 1)",
            ));
        };
        // cobblerd truncates the files of /var/log/cobbler/anamon/<name>/, of whatever kind the
        // item is; the fake keeps no anamon logs.
        let Some(kind) = Kind::ALL.into_iter().find(|k| k.name() == what) else {
            return Err(unknown_collection(Verb::Get, what));
        };
        if self.store.get(kind, name).is_none() {
            return Err(none_has_no("name"));
        }
        self.tokens.user_of(args.get(1))?;
        Ok(Value::Boolean(true))
    }

    /// `find_system_by_dns_name(dns_name)`: the system as rendered, `{}` when none.
    pub fn find_system_by_dns_name(
        &mut self,
        method: &str,
        values: &[Value],
    ) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["dns_name"], 1)?;
        let dns = text(args.get(0));
        let found = self
            .store
            .items(Kind::System)
            .find(|(_, s)| {
                s.get("interfaces")
                    .and_then(ValueExt::as_struct)
                    .is_some_and(|ifs| {
                        ifs.values().any(|i| {
                            i.as_struct()
                                .and_then(|f| f.get("dns_name"))
                                .is_some_and(|d| d.render() == dns)
                        })
                    })
            })
            .map(|(name, _)| name.to_owned());
        match found {
            None => Ok(Value::Struct(Default::default())),
            Some(name) => self.as_rendered(
                Kind::System,
                "get_system_as_rendered",
                &[Value::String(name)],
            ),
        }
    }

    /// `get_config_data(hostname)`: koan's JSON for the system with that hostname.
    pub fn config_data(&self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["hostname"], 1)?;
        let hostname = text(args.get(0));
        let Some((name, _)) = self
            .store
            .items(Kind::System)
            .find(|(_, s)| field(s, "hostname") == hostname)
        else {
            return Err(value_error("The specified hostname did not exist!"));
        };
        let blended = blend_with(&self.store, Kind::System, name, false).unwrap_or_default();
        let nonempty = |key: &str| match blended.get(key) {
            Some(Value::Array(a)) => !a.is_empty(),
            _ => false,
        };
        if nonempty("mgmt_classes") || nonempty("repos") {
            return Err(not_faked(
                "get_config_data of a system with management classes or repos",
            ));
        }
        let enabled = blended
            .get("repos_enabled")
            .and_then(ValueExt::as_bool)
            .unwrap_or(false);
        Ok(Value::String(format!(
            "{{\n    \"files\": {{}},\n    \"packages\": {{}},\n    \"repo_data\": \"\",\n    \"repos_enabled\": {enabled}\n}}"
        )))
    }

    /// `has_item(what, name, token=None)`.
    pub fn has_item(&self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["what", "name", "token"], 2)?;
        let what = text(args.get(0));
        let Some(kind) = Kind::ALL.into_iter().find(|k| k.name() == what) else {
            return Err(cx(format!(
                "internal error, collection name \"{what}\" not supported"
            )));
        };
        let name = text(args.get(1));
        Ok(Value::Boolean(self.store.get(kind, &name).is_some()))
    }

    /// `check_access(token, resource, arg1=None, arg2=None)`: 1 for a valid token.
    pub fn check_access(&self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["token", "resource", "arg1", "arg2"], 2)?;
        self.tokens.user_of(args.get(0))?;
        Ok(Value::Integer(1))
    }
}

/// Python's `time.ctime(t)` (UTC here; cobblerd uses its local time).
fn ctime(t: f64) -> String {
    let secs = t as i64;
    let days = secs.div_euclid(86_400);
    let rest = secs.rem_euclid(86_400);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let (y, m, d) = super::tasks::civil_from_days(days);
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m - 1) as usize];
    format!(
        "{weekday} {month} {d:>2} {:02}:{:02}:{:02} {y}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}
