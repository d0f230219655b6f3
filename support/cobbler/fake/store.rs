//! The fake's items: one insertion-ordered collection per kind (like cobblerd's dicts), plus
//! the items created with `new_*` that were not saved yet, and the settings they inherit from.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;

use super::recorded::Item;
use super::settings::Settings;
use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Value, ValueExt};

/// Saved items by kind and name, and unsaved ones by `___NEW___` handle.
#[derive(Debug)]
pub struct Store {
    collections: [IndexMap<String, Item>; 9],
    pending: HashMap<String, (Kind, Item)>,
    /// Items copied from since their last change, whose served dict lost keys (see
    /// [`Store::mark_copied`]).
    stale_views: HashSet<(Kind, String)>,
    /// Saved items changed since their last save, whose served dict carries the legacy keys
    /// (see [`Store::mark_changed`]).
    changed: HashSet<(Kind, String)>,
    /// `___NEW___` handles already saved, with the name they were saved under.
    saved_handles: HashMap<String, (Kind, String)>,
    /// When an item was last added, changed or removed (`last_modified_time`).
    last_modified: f64,
    /// The order keys were given in for dicts parsed from text (`kernel_options` …), by their
    /// sorted keys: cobblerd keeps that order, the fake's maps sort.
    dict_orders: HashMap<Vec<String>, Vec<String>>,
    /// The server's settings, which items inherit (`<<inherit>>` at the top of a tree).
    settings: Settings,
}

/// The interface keys a copy clears, and that the source system's served dict then lacks.
pub const COPIED_ADDRESS_KEYS: [&str; 4] =
    ["mac_address", "ip_address", "dns_name", "ipv6_address"];

/// The text of a field, `""` when absent.
pub fn field<'a>(item: &'a Item, name: &str) -> &'a str {
    item.get(name).and_then(ValueExt::as_str).unwrap_or("")
}

impl Default for Store {
    /// An empty store with the recorded server's settings, last modified now.
    fn default() -> Self {
        Self::with_settings(Settings::default())
    }
}

impl Store {
    /// An empty store whose items inherit `settings`, last modified now.
    pub fn with_settings(settings: Settings) -> Self {
        let mut store = Self {
            collections: Default::default(),
            pending: HashMap::new(),
            stale_views: HashSet::new(),
            changed: HashSet::new(),
            saved_handles: HashMap::new(),
            last_modified: 0.0,
            dict_orders: HashMap::new(),
            settings,
        };
        store.remember_order(store.settings.names());
        store.touch();
        store
    }

    /// The server's settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The saved item of `kind` called `name`.
    pub fn get(&self, kind: Kind, name: &str) -> Option<&Item> {
        self.collections[kind.index()].get(name)
    }

    /// Saved items of `kind`, in insertion order.
    pub fn items(&self, kind: Kind) -> impl Iterator<Item = (&str, &Item)> {
        self.collections[kind.index()]
            .iter()
            .map(|(name, item)| (name.as_str(), item))
    }

    /// How many saved items there are of every kind.
    pub fn len(&self) -> usize {
        self.collections.iter().map(IndexMap::len).sum()
    }

    /// True when nothing is saved.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The item as `get_*` serves it: an item copied from since its last change lacks its
    /// `uid` (a distro also its `parent`), and a system also [`COPIED_ADDRESS_KEYS`] in every interface (real cobblerd
    /// 3.3.10 clears them on the cached dict it shares with the copy; `find_*` still sees the
    /// addresses).
    pub fn served(&self, kind: Kind, name: &str) -> Option<Item> {
        let mut item = self.get(kind, name)?.clone();
        if self.changed.contains(&(kind, name.to_owned())) {
            add_legacy_keys(kind, &mut item);
        }
        if !self.stale_views.contains(&(kind, name.to_owned())) {
            return Some(item);
        }
        item.remove("uid");
        if kind == Kind::Distro {
            item.remove("parent");
        }
        if kind == Kind::System
            && let Some(Value::Struct(interfaces)) = item.get_mut("interfaces")
        {
            for iface in interfaces.values_mut() {
                if let Value::Struct(fields) = iface {
                    for key in COPIED_ADDRESS_KEYS {
                        fields.remove(key);
                    }
                }
            }
        }
        Some(item)
    }

    /// Marks an item as copied from: its served dict lacks keys until it is changed.
    pub fn mark_copied(&mut self, kind: Kind, name: &str) {
        self.stale_views.insert((kind, name.to_owned()));
    }

    /// A change to an item rebuilds its served dict.
    pub fn refresh_view(&mut self, kind: Kind, name: &str) {
        self.stale_views.remove(&(kind, name.to_owned()));
    }

    /// A saved item was changed without being saved again: cobblerd rebuilds its dict from
    /// the object, legacy keys included (`ks_meta`, `kickstart`, a distro's `remote_grub_*`),
    /// until the next save.
    pub fn mark_changed(&mut self, kind: Kind, name: &str) {
        self.changed.insert((kind, name.to_owned()));
    }

    /// The item was saved: its dict is the cached one again.
    pub fn mark_unchanged(&mut self, kind: Kind, name: &str) {
        self.changed.remove(&(kind, name.to_owned()));
    }

    /// Saves `item` under its name; an existing item of that name is replaced in place.
    pub fn insert(&mut self, kind: Kind, item: Item) {
        let name = field(&item, "name").to_owned();
        self.collections[kind.index()].insert(name, item);
        self.touch();
    }

    /// Replaces the saved item stored under `key` without moving it.
    pub fn replace(&mut self, kind: Kind, key: &str, item: Item) {
        if let Some(slot) = self.collections[kind.index()].get_mut(key) {
            *slot = item;
            self.touch();
        }
    }

    /// Removes one saved item.
    pub fn remove(&mut self, kind: Kind, name: &str) -> Option<Item> {
        self.refresh_view(kind, name);
        self.changed.remove(&(kind, name.to_owned()));
        let removed = self.collections[kind.index()].shift_remove(name);
        if removed.is_some() {
            self.touch();
        }
        removed
    }

    /// The items that refer to `kind`/`name` and would be orphaned by its removal, in the
    /// order cobblerd reports them (sub-profiles, then systems).
    pub fn dependents(&self, kind: Kind, name: &str) -> Vec<(Kind, String)> {
        let referring = |child: Kind, reference: &'static str| {
            self.items(child)
                .filter(move |(_, item)| field(item, reference) == name)
                .map(move |(child_name, _)| (child, child_name.to_owned()))
        };
        match kind {
            Kind::Distro => referring(Kind::Profile, "distro").collect(),
            Kind::Profile => referring(Kind::Profile, "parent")
                .chain(referring(Kind::System, "profile"))
                .collect(),
            Kind::Image => referring(Kind::System, "image").collect(),
            // Sub-menus; profiles and images only lose their `menu` (see `clear_references`).
            Kind::Menu => referring(Kind::Menu, "parent").collect(),
            Kind::System | Kind::Repo | Kind::File | Kind::Mgmtclass | Kind::Package => Vec::new(),
        }
    }

    /// Empties every `attribute` of `child` items that names `name` (a menu's removal resets
    /// the `menu` of its profiles and images).
    /// The items are changed, not saved (see [`Store::mark_changed`]).
    pub fn clear_references(&mut self, child: Kind, attribute: &str, name: &str) {
        let mut changed = Vec::new();
        for (key, item) in self.collections[child.index()].iter_mut() {
            if field(item, attribute) == name {
                item.insert(attribute.to_owned(), Value::String(String::new()));
                changed.push(key.clone());
            }
        }
        for key in changed {
            self.mark_changed(child, &key);
        }
    }

    /// Removes `kind`/`name` and, depth first, everything that depends on it (children before
    /// their parent). Iterative, and each item is visited once, so neither a long chain of
    /// sub-profiles nor a loop can exhaust the stack.
    pub fn remove_tree(&mut self, kind: Kind, name: &str) {
        // (kind, name, whether its dependents are already on the stack above it)
        let mut stack = vec![(kind, name.to_owned(), false)];
        let mut seen = HashSet::new();
        while let Some((kind, name, expanded)) = stack.pop() {
            if expanded {
                self.remove(kind, &name);
                continue;
            }
            if !seen.insert((kind, name.clone())) {
                continue;
            }
            let dependents = self.dependents(kind, &name);
            stack.push((kind, name, true));
            // Reversed, so the first dependent is removed first, as a recursive walk would.
            stack.extend(
                dependents
                    .into_iter()
                    .rev()
                    .map(|(child, child_name)| (child, child_name, false)),
            );
        }
    }

    /// Points every reference to `kind`/`old` at `new` (what a rename does to children, by
    /// [`referrers`]; in lists too).
    pub fn rename_references(&mut self, kind: Kind, old: &str, new: &str) {
        for (child, reference) in referrers(kind) {
            for item in self.collections[child.index()].values_mut() {
                match item.get_mut(*reference) {
                    Some(Value::String(value)) if value == old => *value = new.to_owned(),
                    Some(Value::Array(values)) => {
                        for value in values.iter_mut() {
                            if value.as_str() == Some(old) {
                                *value = Value::String(new.to_owned());
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// Keeps an unsaved item under `handle`.
    pub fn add_pending(&mut self, handle: String, kind: Kind, item: Item) {
        self.pending.insert(handle, (kind, item));
    }

    /// The unsaved item behind `handle`.
    pub fn pending(&self, handle: &str) -> Option<&Item> {
        self.pending.get(handle).map(|(_, item)| item)
    }

    /// Replaces the unsaved item behind `handle`.
    pub fn set_pending(&mut self, handle: &str, item: Item) {
        if let Some(slot) = self.pending.get_mut(handle) {
            slot.1 = item;
        }
    }

    /// The unsaved item behind `handle` was saved as `name`: the handle now points at it.
    pub fn mark_saved(&mut self, handle: &str, kind: Kind, name: &str) {
        self.pending.remove(handle);
        self.saved_handles
            .insert(handle.to_owned(), (kind, name.to_owned()));
    }

    /// The name a saved `___NEW___` handle of `kind` was saved under.
    pub fn saved_handle(&self, kind: Kind, handle: &str) -> Option<&str> {
        self.saved_handles
            .get(handle)
            .filter(|(k, _)| *k == kind)
            .map(|(_, name)| name.as_str())
    }

    /// When an item was last added, changed or removed, in seconds since the epoch (the
    /// fake's start before that).
    pub fn last_modified(&self) -> f64 {
        self.last_modified
    }

    /// Remembers the order of a dict's `keys` as given.
    pub fn remember_order(&mut self, keys: Vec<String>) {
        let mut sorted = keys.clone();
        sorted.sort();
        sorted.dedup();
        if sorted.len() > 1 && sorted != keys {
            self.dict_orders.insert(sorted, keys);
        }
    }

    /// The order remembered for dicts with these keys (sorted), if any.
    pub fn dict_orders(&self) -> &HashMap<Vec<String>, Vec<String>> {
        &self.dict_orders
    }

    fn touch(&mut self) {
        self.last_modified = epoch_seconds();
    }
}

/// Seconds since the epoch now, as cobblerd stamps items, tasks and events.
pub fn epoch_seconds() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or_default()
}

/// cobblerd's `Item.TYPE_DEPENDENCIES`: the (kind, attribute) of the items that name an item of
/// `kind`.
pub fn referrers(kind: Kind) -> &'static [(Kind, &'static str)] {
    match kind {
        Kind::Package => &[(Kind::Mgmtclass, "packages")],
        Kind::File => &[(Kind::Mgmtclass, "files"), (Kind::Image, "file")],
        Kind::Mgmtclass => &[
            (Kind::Distro, "mgmt_classes"),
            (Kind::Profile, "mgmt_classes"),
            (Kind::System, "mgmt_classes"),
        ],
        Kind::Repo => &[(Kind::Profile, "repos")],
        Kind::Distro => &[(Kind::Profile, "distro")],
        Kind::Menu => &[
            (Kind::Menu, "parent"),
            (Kind::Image, "menu"),
            (Kind::Profile, "menu"),
        ],
        Kind::Profile => &[(Kind::Profile, "parent"), (Kind::System, "profile")],
        Kind::Image => &[(Kind::System, "image")],
        Kind::System => &[],
    }
}

/// The legacy keys cobblerd's `to_dict` adds to an object changed since it was saved:
/// `kickstart` (the `autoinstall`) and `ks_meta` (the `autoinstall_meta`), and for a distro
/// `remote_grub_kernel`/`remote_grub_initrd` (its remote boot files in GRUB's notation).
pub fn add_legacy_keys(kind: Kind, item: &mut Item) {
    if matches!(kind, Kind::Profile | Kind::System | Kind::Image) {
        let autoinstall = item
            .get("autoinstall")
            .cloned()
            .unwrap_or(Value::String(String::new()));
        item.insert("kickstart".into(), autoinstall);
    }
    let meta = item
        .get("autoinstall_meta")
        .cloned()
        .unwrap_or(Value::Struct(Default::default()));
    item.insert("ks_meta".into(), meta);
    if kind == Kind::Distro {
        for (remote, grub) in [
            ("remote_boot_kernel", "remote_grub_kernel"),
            ("remote_boot_initrd", "remote_grub_initrd"),
        ] {
            let grub_path = grub_remote_path(field(item, remote));
            item.insert(grub.into(), Value::String(grub_path));
        }
    }
}

/// `http://host/path` in GRUB's notation, `(http,host)/path` (cobblerd's
/// `grub.parse_grub_remote_file`); `""` stays `""`.
fn grub_remote_path(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return String::new();
    };
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    format!("({scheme},{host})/{path}")
}
