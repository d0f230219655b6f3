//! Cobbler's inheritance engine (`utils.blender`): an item's data merged with its parents' and
//! the settings, as `get_<kind>_as_rendered` answers it (and templates see it).
//!
//! Followed from cobblerd 3.3.10's `utils.py` (`blender`, `__consolidate`, `flatten`,
//! `dict_to_string`) and `items/item.py` (`_resolve`): the tree is walked from the settings down
//! to the item; a node's `<<inherit>>` value is resolved (parent, else the setting of that name
//! or `default_` name) only where no upper node gave the key; dicts merge, lists extend
//! (duplicates dropped), other values are replaced (except `distro`); `!key` removes a key.
//! Then each interface's fields as `field_iface`, `repo_data`, `http_server`, the flattened
//! strings koan wants, and the `*_name` keys. The result keeps the real server's key order.

use indexmap::IndexMap;

use super::args::Args;
use super::options::dict_to_string;
use super::pxe_file::netboot_pxe_file;
use super::python::exception;
use super::recorded::{self, Item};
use super::settings::Settings;
use super::state::State;
use super::store::{Store, field};
use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Fault, Value, ValueExt};

/// The magic value of a field that takes its parent's.
const INHERIT: &str = "<<inherit>>";

/// Dicts `flatten` turns into `key=value ` text.
const FLATTENED_DICTS: [&str; 8] = [
    "environment",
    "kernel_options",
    "kernel_options_post",
    "yumopts",
    "autoinstall_meta",
    "template_files",
    "boot_files",
    "fetchable_files",
];

/// Dicts where a `!key` entry removes `key` (and itself).
const REMOVABLE_DICTS: [&str; 6] = [
    "kernel_options",
    "kernel_options_post",
    "autoinstall_meta",
    "template_files",
    "boot_files",
    "fetchable_files",
];

/// One item of the tree, by kind and its stored fields.
struct Node<'a> {
    kind: Kind,
    item: &'a Item,
}

/// The blended data of `kind`/`name`, keys in the real server's order; `None` when there is
/// no such item.
pub fn blend(store: &Store, kind: Kind, name: &str) -> Option<IndexMap<String, Value>> {
    blend_with(store, kind, name, true)
}

/// [`blend`] with cobblerd's `remove_dicts` flag: without it (what templates see) the dicts
/// and lists stay as they are instead of becoming `key=value` text.
pub fn blend_with(
    store: &Store,
    kind: Kind,
    name: &str,
    remove_dicts: bool,
) -> Option<IndexMap<String, Value>> {
    let orders = store.dict_orders();
    let tree = tree(store, kind, name)?;
    let root = tree[0].item;
    let mut results = store.settings().ordered().clone();
    for (depth, node) in tree.iter().enumerate().rev() {
        consolidate(store, &tree[depth..], node, &mut results);
    }
    if kind == Kind::System
        && let Some(interfaces) = root.get("interfaces").and_then(ValueExt::as_struct)
    {
        for iface in given_order(store, interfaces) {
            if let Some(fields) = interfaces.get(&iface).and_then(ValueExt::as_struct) {
                for (key, value) in fields {
                    results.insert(format!("{key}_{iface}"), value.clone());
                }
            }
        }
    }
    if matches!(kind, Kind::Profile | Kind::System) {
        results.insert("repo_data".to_owned(), Value::Array(Vec::new()));
    }
    let server = results
        .get("server")
        .map(ValueExt::render)
        .unwrap_or_default();
    let http_server = match results.get("http_port").map(ValueExt::render) {
        Some(port) if port != "80" => format!("{server}:{port}"),
        _ => server,
    };
    results.insert("http_server".to_owned(), Value::String(http_server));
    let mut parameters = match results.get("mgmt_parameters") {
        Some(Value::Struct(members)) => members.clone(),
        _ => Default::default(),
    };
    if let Some(Value::Struct(meta)) = results.get("autoinstall_meta") {
        parameters.extend(meta.clone());
    }
    results.insert("mgmt_parameters".to_owned(), Value::Struct(parameters));
    if remove_dicts {
        remove_dicts_and_lists(&mut results, orders);
    }
    for (key, value) in item_names(&results) {
        results.insert(key.to_owned(), value);
    }
    Some(results)
}

/// cobblerd's `remove_dicts`: the dicts koan reads as `key=value` text, the lists as words.
fn remove_dicts_and_lists(results: &mut IndexMap<String, Value>, orders: &super::wire::DictOrders) {
    for key in FLATTENED_DICTS.iter() {
        if let Some(value @ Value::Struct(_)) = results.get(*key) {
            let text = dict_to_string(value, orders);
            results.insert((*key).to_owned(), Value::String(text));
        }
    }
    for key in ["repos", "rpm_list"].iter() {
        if let Some(Value::Array(items)) = results.get(*key) {
            let text = items
                .iter()
                .map(ValueExt::render)
                .collect::<Vec<_>>()
                .join(" ");
            results.insert((*key).to_owned(), Value::String(text));
        }
    }
}

/// The `*_name` keys templates use: the system's, profile's, distro's or image's names.
fn item_names(results: &IndexMap<String, Value>) -> Vec<(&'static str, Value)> {
    let text = |key: &str| {
        results
            .get(key)
            .cloned()
            .unwrap_or(Value::String(String::new()))
    };
    if results.contains_key("interfaces") {
        let mut names = vec![
            ("system_name", text("name")),
            ("profile_name", text("profile")),
        ];
        if results.contains_key("distro") {
            names.push(("distro_name", text("distro")));
        } else if results.contains_key("image") {
            names.push(("distro_name", Value::String("N/A".into())));
            names.push(("image_name", text("image")));
        }
        names
    } else if results.contains_key("distro") {
        vec![
            ("profile_name", text("name")),
            ("distro_name", text("distro")),
        ]
    } else if results.contains_key("kernel") {
        vec![("distro_name", text("name"))]
    } else if results.contains_key("file") {
        vec![
            ("distro_name", Value::String("N/A".into())),
            ("image_name", text("name")),
        ]
    } else {
        Vec::new()
    }
}

/// The item and its logical parents, topmost last.
fn tree<'a>(store: &'a Store, kind: Kind, name: &str) -> Option<Vec<Node<'a>>> {
    let root = store.get(kind, name)?;
    let mut tree = vec![Node { kind, item: root }];
    while let Some(parent) = logical_parent(store, tree.last()?) {
        if tree.len() > 64 {
            break;
        }
        tree.push(parent);
    }
    Some(tree)
}

/// Dicts whose resolved value merges the parent's (or the setting's) with the item's own
/// (cobblerd's `_resolve_dict`).
const MERGED_DICTS: [&str; 6] = [
    "autoinstall_meta",
    "boot_files",
    "fetchable_files",
    "kernel_options",
    "kernel_options_post",
    "mgmt_parameters",
];

/// `get_<kind>(name, False, True)`: the item's dict with every inherited value resolved and
/// the merged dicts merged (cobblerd's `to_dict(resolved=True)`), legacy keys included.
pub fn resolved(store: &Store, kind: Kind, name: &str) -> Option<Item> {
    let chain = tree(store, kind, name)?;
    // Rebuilt from the object, not the cached dict: a copy's source has all its keys here.
    let mut item = store.get(kind, name)?.clone();
    super::store::add_legacy_keys(kind, &mut item);
    let keys: Vec<String> = item.keys().cloned().collect();
    for key in keys {
        let value = item.get(&key).cloned().unwrap_or(Value::Nil);
        let source = match key.as_str() {
            "kickstart" => "autoinstall",
            "ks_meta" => "autoinstall_meta",
            other => other,
        };
        // Enum fields are written by their value, `<<inherit>>` included, even when resolved.
        if matches!(source, "virt_type" | "virt_disk_driver") {
            continue;
        }
        let resolved = if MERGED_DICTS.contains(&source) {
            merged_dict(store.settings(), &chain, source)
        } else if value.as_str() == Some(INHERIT) || source != key {
            resolve(store, &chain, source)
        } else {
            continue;
        };
        item.insert(key, resolved);
    }
    Some(item)
}

/// The value of `key` for `kind`/`name`, its inheritance resolved as the item's property
/// getter resolves it (merged dicts merged, enums too); `None` when there is no such item or
/// the kind has no such field.
pub fn resolved_field(store: &Store, kind: Kind, name: &str, key: &str) -> Option<Value> {
    let chain = tree(store, kind, name)?;
    let value = chain.first()?.item.get(key)?;
    Some(if MERGED_DICTS.contains(&key) {
        merged_dict(store.settings(), &chain, key)
    } else if value.as_str() == Some(INHERIT) {
        resolve(store, &chain, key)
    } else {
        value.clone()
    })
}

/// The key orders of the merged dicts of `kind`/`name` as cobblerd builds them (the parent's
/// keys first, then the item's own new ones, each dict in the order it was given), for the
/// store to remember: the fake's maps sort their keys.
pub fn merged_orders(store: &Store, kind: Kind, name: &str) -> Vec<Vec<String>> {
    let Some(chain) = tree(store, kind, name) else {
        return Vec::new();
    };
    MERGED_DICTS
        .iter()
        .map(|key| merged_order(store, &chain, key))
        .collect()
}

fn merged_order(store: &Store, chain: &[Node<'_>], key: &str) -> Vec<String> {
    let mut order = match chain.get(1) {
        Some(parent) if parent.item.contains_key(key) => merged_order(store, &chain[1..], key),
        _ => store
            .settings()
            .get(key)
            .and_then(ValueExt::as_struct)
            .map(|dict| given_order(store, dict))
            .unwrap_or_default(),
    };
    if let Some(Value::Struct(own)) = chain.first().and_then(|n| n.item.get(key)) {
        for k in given_order(store, own) {
            if !order.contains(&k) {
                order.push(k);
            }
        }
    }
    let removed: Vec<String> = order
        .iter()
        .filter_map(|k| k.strip_prefix('!').map(str::to_owned))
        .collect();
    order.retain(|k| !removed.contains(k) && !k.starts_with('!'));
    order
}

/// The keys of `dict` in the order they were given (sorted when none was remembered).
fn given_order(store: &Store, dict: &std::collections::BTreeMap<String, Value>) -> Vec<String> {
    let sorted: Vec<String> = dict.keys().cloned().collect();
    store.dict_orders().get(&sorted).cloned().unwrap_or(sorted)
}

/// The parent's merged dict (or the setting of that name), with the first node's own entries
/// over it, `!key` entries removing keys.
fn merged_dict(settings: &Settings, chain: &[Node<'_>], key: &str) -> Value {
    let mut merged = match chain.get(1) {
        Some(_) if chain[1].item.contains_key(key) => match merged_dict(settings, &chain[1..], key)
        {
            Value::Struct(members) => members,
            _ => Default::default(),
        },
        _ => settings
            .get(key)
            .and_then(ValueExt::as_struct)
            .cloned()
            .unwrap_or_default(),
    };
    if let Some(Value::Struct(own)) = chain.first().and_then(|n| n.item.get(key)) {
        merged.extend(own.clone());
    }
    let removed: Vec<String> = merged
        .keys()
        .filter_map(|k| k.strip_prefix('!').map(str::to_owned))
        .collect();
    for name in removed {
        merged.remove(&name);
        merged.remove(&format!("!{name}"));
    }
    Value::Struct(merged)
}

/// `get_<kind>(name, True)`: the dicts koan reads as text flattened (cobblerd's `flatten`).
pub fn flattened(mut item: Item, orders: &super::wire::DictOrders) -> Item {
    for key in FLATTENED_DICTS {
        if let Some(value @ Value::Struct(_)) = item.get(key) {
            let text = dict_to_string(value, orders);
            item.insert(key.to_owned(), Value::String(text));
        }
    }
    for key in ["repos", "rpm_list"] {
        if let Some(Value::Array(items)) = item.get(key) {
            let text = items
                .iter()
                .map(ValueExt::render)
                .collect::<Vec<_>>()
                .join(" ");
            item.insert(key.to_owned(), Value::String(text));
        }
    }
    item
}

/// A system's profile (or image), a profile's parent profile (or distro); none for a distro
/// or an image.
fn logical_parent<'a>(store: &'a Store, node: &Node<'a>) -> Option<Node<'a>> {
    let (kind, name) = match node.kind {
        Kind::System if !field(node.item, "profile").is_empty() => {
            (Kind::Profile, field(node.item, "profile"))
        }
        Kind::System => (Kind::Image, field(node.item, "image")),
        Kind::Profile if !field(node.item, "parent").is_empty() => {
            (Kind::Profile, field(node.item, "parent"))
        }
        Kind::Profile => (Kind::Distro, field(node.item, "distro")),
        _ => return None,
    };
    store.get(kind, name).map(|item| Node { kind, item })
}

/// Merges one node's fields into `results` (cobblerd's `__consolidate`); `chain` is the node
/// and its parents, for resolving its inherited values.
fn consolidate(
    store: &Store,
    chain: &[Node<'_>],
    node: &Node<'_>,
    results: &mut IndexMap<String, Value>,
) {
    // The node's dict as the server serves it (a copy's source lacks some keys).
    let served = store
        .served(node.kind, field(node.item, "name"))
        .unwrap_or_else(|| node.item.clone());
    for key in recorded::key_order(node.kind.name()) {
        let Some(value) = served.get(key) else {
            continue;
        };
        let value = if value.as_str() == Some(INHERIT) {
            if results.contains_key(key) {
                continue;
            }
            resolve(store, chain, key)
        } else {
            value.clone()
        };
        match (results.get_mut(key), value) {
            (Some(Value::Struct(merged)), Value::Struct(own)) => merged.extend(own),
            (Some(Value::Array(merged)), Value::Array(own)) => {
                for item in own {
                    if !merged.contains(&item) {
                        merged.push(item);
                    }
                }
            }
            (Some(_), _) if key == "distro" => {}
            (Some(slot), value) => *slot = value,
            (None, value) => {
                results.insert(key.clone(), value);
            }
        }
    }
    for key in REMOVABLE_DICTS {
        if let Some(Value::Struct(members)) = results.get_mut(key) {
            let removed: Vec<String> = members
                .keys()
                .filter_map(|k| k.strip_prefix('!').map(str::to_owned))
                .collect();
            for name in removed {
                members.remove(&name);
                members.remove(&format!("!{name}"));
            }
        }
    }
}

/// The value `key` resolves to for the first node of `chain` (cobblerd's `Item._resolve`).
fn resolve(store: &Store, chain: &[Node<'_>], key: &str) -> Value {
    for node in chain {
        match node.item.get(key) {
            Some(value) if value.as_str() != Some(INHERIT) => return value.clone(),
            Some(_) => continue,
            None => break,
        }
    }
    if key == "boot_loaders" {
        return boot_loaders(chain);
    }
    let proxy = if chain.first().is_some_and(|n| n.kind == Kind::Repo) {
        "proxy_url_ext"
    } else {
        "proxy_url_int"
    };
    let setting = match key {
        "owners" => "default_ownership",
        "proxy" => proxy,
        other => other,
    };
    let settings = store.settings();
    settings
        .get(setting)
        .or_else(|| settings.get(&format!("default_{setting}")))
        .cloned()
        .unwrap_or(Value::String(String::new()))
}

/// The boot loaders a distro of the chain's architecture supports (cobblerd's
/// `get_supported_distro_boot_loaders`).
fn boot_loaders(chain: &[Node<'_>]) -> Value {
    let arch = chain
        .iter()
        .find(|n| n.kind == Kind::Distro)
        .map_or("x86_64", |n| field(n.item, "arch"));
    let loaders = supported_boot_loaders(arch);
    Value::Array(loaders.iter().map(|l| Value::String((*l).into())).collect())
}

/// The boot loaders cobblerd supports for a distro (or image) of `arch`.
pub fn supported_boot_loaders(arch: &str) -> &'static [&'static str] {
    match arch {
        "x86_64" | "i386" => &["grub", "pxe", "ipxe"],
        "ppc64le" | "ppc64" | "ppc" | "ppc64el" => &["grub", "pxe"],
        "aarch64" => &["grub"],
        _ => &["pxe", "ipxe"],
    }
}

impl State {
    /// `get_<kind>_as_rendered(name, token=None)`: the blended data, `{}` for a missing item.
    pub fn as_rendered(
        &mut self,
        kind: Kind,
        method: &str,
        values: &[Value],
    ) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["name", "token"], 1)?;
        let name = args.str(0)?;
        let Some(item) = self.store.get(kind, name) else {
            return Ok(Value::Struct(Default::default()));
        };
        let image_based = kind == Kind::System && field(item, "profile").is_empty();
        if kind == Kind::Image || image_based {
            // cobblerd 3.3.10 puts a method object into the answer and cannot send it.
            return Err(exception(
                "TypeError",
                "cannot marshal <class 'builtin_function_or_method'> objects",
            ));
        }
        let netboot = item.get("netboot_enabled").and_then(ValueExt::as_bool) == Some(true);
        let managed = kind == Kind::System && has_address(item);
        for order in merged_orders(&self.store, kind, name) {
            self.store.remember_order(order);
        }
        let Some(mut blended) = blend(&self.store, kind, name) else {
            return Ok(Value::Struct(Default::default()));
        };
        if kind == Kind::System {
            // Management class names become their items (the fake has none of that kind).
            blended.insert("mgmt_classes".to_owned(), Value::Struct(Default::default()));
            if managed {
                let pxe = if netboot {
                    let system = self.store.get(kind, name).cloned().unwrap_or_default();
                    let meta = blend_with(&self.store, kind, name, false).unwrap_or_default();
                    netboot_pxe_file(&self.store, &system, &meta)?
                } else {
                    format!(
                        "totaltimeout 0\nprompt 0\ndefault {name}\nontimeout {name}\nLABEL {name}\n\tMENU LABEL {name}\n\tlocalboot -1\n"
                    )
                };
                blended.insert("pxelinux.cfg".to_owned(), Value::String(pxe));
            }
        }
        self.store.remember_order(blended.keys().cloned().collect());
        Ok(Value::Struct(blended.into_iter().collect()))
    }
}

/// cobblerd's `is_management_supported`: a system with a MAC or an address on any interface.
fn has_address(system: &Item) -> bool {
    system
        .get("interfaces")
        .and_then(ValueExt::as_struct)
        .is_some_and(|interfaces| {
            interfaces
                .values()
                .filter_map(ValueExt::as_struct)
                .any(|fields| {
                    ["mac_address", "ip_address", "ipv6_address"]
                        .iter()
                        .any(|key| fields.get(*key).is_some_and(|v| !v.render().is_empty()))
                })
        })
}
