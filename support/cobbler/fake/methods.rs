//! The item verbs of the API (`new_*`, `modify_*`, `save_*`, `get_*`, `find_*`, `remove_*`,
//! `rename_*`, `copy_*`, `get_*_handle`) and `power_system`, as cobblerd 3.3.10 answers them.

use std::time::{SystemTime, UNIX_EPOCH};

use super::args::Args;
use super::fields::set_field;
use super::parents::{has_parents, reaches, root, self_parentage};
use super::python::{cx, exception, none_has_no, py_repr, value_error};
use super::recorded::{Item, default_item};
use super::search::matches_all;
use super::state::State;
use super::store::{COPIED_ADDRESS_KEYS, field};
use super::tokens::random_token;
use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Fault, Value, ValueExt};

/// A verb of the item API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    New,
    Modify,
    Save,
    Get,
    GetAll,
    Find,
    Remove,
    Rename,
    Copy,
    Handle,
    /// `get_item_names(what)`.
    Names,
}

/// The per-kind verbs written `<prefix><kind>` (`new_distro`, `remove_profile`, …).
const PREFIXED: [(&str, Verb); 7] = [
    ("new_", Verb::New),
    ("modify_", Verb::Modify),
    ("save_", Verb::Save),
    ("find_", Verb::Find),
    ("remove_", Verb::Remove),
    ("rename_", Verb::Rename),
    ("copy_", Verb::Copy),
];

/// The generic verbs, whose first argument names the kind.
const GENERIC: [(&str, Verb); 11] = [
    ("new_item", Verb::New),
    ("modify_item", Verb::Modify),
    ("save_item", Verb::Save),
    ("get_item", Verb::Get),
    ("get_items", Verb::GetAll),
    ("find_items", Verb::Find),
    ("remove_item", Verb::Remove),
    ("rename_item", Verb::Rename),
    ("copy_item", Verb::Copy),
    ("get_item_handle", Verb::Handle),
    ("get_item_names", Verb::Names),
];

/// Splits `modify_distro` into (Modify, Distro) and so on.
pub fn parse_item_method(method: &str) -> Option<(Verb, Kind)> {
    let singular = |name: &str| Kind::ALL.into_iter().find(|k| k.name() == name);
    if let Some(rest) = method.strip_prefix("get_") {
        if let Some(kind) = rest.strip_suffix("_handle").and_then(singular) {
            return Some((Verb::Handle, kind));
        }
        if let Some(kind) = Kind::ALL.into_iter().find(|k| k.plural() == rest) {
            return Some((Verb::GetAll, kind));
        }
        return singular(rest).map(|k| (Verb::Get, k));
    }
    PREFIXED.into_iter().find_map(|(prefix, verb)| {
        method
            .strip_prefix(prefix)
            .and_then(singular)
            .map(|k| (verb, k))
    })
}

/// The generic form of a verb (`new_item(what, …)`, `find_items(what, …)`, …), as the stock
/// `cobbler` command line calls them; `GetNames` and `GetAll` have no per-kind twin here.
pub fn generic_item_verb(method: &str) -> Option<Verb> {
    GENERIC
        .into_iter()
        .find(|(name, _)| *name == method)
        .map(|(_, verb)| verb)
}

/// Every item method name: the per-kind verbs for every kind, then the generic ones.
pub fn item_method_names() -> Vec<String> {
    let mut names = Vec::new();
    for kind in Kind::ALL {
        names.extend(PREFIXED.iter().map(|(prefix, _)| format!("{prefix}{kind}")));
        names.push(format!("get_{kind}"));
        names.push(format!("get_{}", kind.plural()));
        names.push(format!("get_{kind}_handle"));
    }
    names.extend(GENERIC.iter().map(|(name, _)| (*name).to_owned()));
    names
}

/// Where a handle points.
enum Target {
    /// An unsaved item from `new_*`.
    Pending(String),
    /// A saved item, by its key.
    Saved(String),
    /// Nothing.
    Missing,
}

fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or_default()
}

fn already_exists() -> Fault {
    cx("An object already exists with that name. Try 'edit'?")
}

impl State {
    /// Runs a generic item method: the first argument names the kind.
    pub fn generic_item_call(
        &mut self,
        verb: Verb,
        method: &str,
        values: &[Value],
    ) -> Result<Value, Fault> {
        // Only `what` is checked here; the per-kind verb checks the rest.
        let what = Args::new(method, &values[..values.len().min(1)], &["what"], 1)?.str(0)?;
        let Some(kind) = Kind::ALL.into_iter().find(|k| k.name() == what) else {
            return Err(cx(format!("internal error, unknown collection {what}")));
        };
        let rest = &values[1..];
        match verb {
            // find_items(what, criteria, sort_field, expand=True): dicts unless expand is false.
            Verb::Find => {
                let expand = Args::new(
                    method,
                    values,
                    &["what", "criteria", "sort_field", "expand"],
                    1,
                )?
                .truthy_or(3, true);
                let names = self.item_call(Verb::Find, kind, method, &rest[..rest.len().min(1)])?;
                match names {
                    Value::Array(names) if expand => Ok(Value::Array(
                        names
                            .iter()
                            .filter_map(|n| n.as_str().and_then(|n| self.store.served(kind, n)))
                            .map(Value::Struct)
                            .collect(),
                    )),
                    names => Ok(names),
                }
            }
            _ => self.item_call(verb, kind, method, rest),
        }
    }

    /// Runs one item verb.
    pub fn item_call(
        &mut self,
        verb: Verb,
        kind: Kind,
        method: &str,
        values: &[Value],
    ) -> Result<Value, Fault> {
        match verb {
            Verb::New => {
                let args = Args::new(method, values, &["token"], 1)?;
                self.tokens.validate(args.get(0))?;
                let handle = format!("___NEW___{kind}::{}", random_token());
                self.store
                    .add_pending(handle.clone(), kind, default_item(kind));
                Ok(Value::String(handle))
            }
            Verb::Modify => {
                let args = Args::new(
                    method,
                    values,
                    &["object_id", "attribute", "arg", "token"],
                    4,
                )?;
                self.tokens.validate(args.get(3))?;
                let handle = args.str(0)?;
                let attribute = args.str(1)?;
                let value = &values[2];
                match self.resolve(kind, handle)? {
                    Target::Pending(handle) => {
                        let mut item = self.store.pending(&handle).cloned().unwrap_or_default();
                        let known = set_field(kind, &mut item, attribute, value, &self.store)?;
                        self.store.set_pending(&handle, item);
                        Ok(Value::Boolean(known))
                    }
                    Target::Saved(key) => {
                        // Saved items are edited in place: the change is visible before save_*.
                        let mut item = self.store.get(kind, &key).cloned().unwrap_or_default();
                        let known = set_field(kind, &mut item, attribute, value, &self.store)?;
                        // A descendant as parent: cobblerd accepts it and then loops (see
                        // `parents`); the fake refuses it with the self-parent fault.
                        if attribute == "parent"
                            && has_parents(kind)
                            && reaches(&self.store, kind, field(&item, "parent"), &key, None)
                        {
                            return Err(self_parentage());
                        }
                        item.insert("mtime".into(), Value::Double(now()));
                        self.store.replace(kind, &key, item);
                        self.store.refresh_view(kind, &key);
                        Ok(Value::Boolean(known))
                    }
                    Target::Missing => Ok(Value::Boolean(false)),
                }
            }
            Verb::Save => {
                let args = Args::new(method, values, &["object_id", "token", "editmode"], 2)?;
                self.tokens.validate(args.get(1))?;
                let editmode = match args.get(2) {
                    Some(_) => args.str(2)?,
                    None => "bypass",
                };
                match self.resolve(kind, args.str(0)?)? {
                    Target::Pending(handle) => self.save_new(kind, &handle, editmode),
                    Target::Saved(_) => Ok(Value::Boolean(true)),
                    Target::Missing => Err(none_has_no("name")),
                }
            }
            Verb::Get => {
                let args = Args::new(method, values, &["name", "flatten", "resolved", "token"], 1)?;
                Ok(self.get_or_tilde(kind, args.str(0)?))
            }
            Verb::GetAll => {
                Args::new(method, values, &["page", "results_per_page", "token"], 0)?;
                Ok(Value::Array(
                    self.store
                        .items(kind)
                        .filter_map(|(name, _)| self.store.served(kind, name))
                        .map(Value::Struct)
                        .collect(),
                ))
            }
            Verb::Find => {
                let args = Args::new(
                    method,
                    values,
                    &["criteria", "expand", "resolved", "token"],
                    0,
                )?;
                let criteria = match args.get(0) {
                    None => Default::default(),
                    Some(value) => value.as_struct().cloned().ok_or_else(|| {
                        exception(
                            "AttributeError",
                            format!("'{}' object has no attribute 'items'", value.type_name()),
                        )
                    })?,
                };
                if criteria.is_empty() {
                    return Err(value_error("calling find with no arguments"));
                }
                Ok(Value::Array(
                    self.store
                        .items(kind)
                        .filter(|(_, item)| matches_all(item, &criteria))
                        .map(|(name, _)| Value::String(name.to_owned()))
                        .collect(),
                ))
            }
            Verb::Handle => {
                let args = Args::new(method, values, &["name", "token"], 2)?;
                self.tokens.validate(args.get(1))?;
                let name = args.str(0)?;
                if self.store.get(kind, name).is_some() {
                    Ok(Value::String(format!("{kind}::{name}")))
                } else {
                    Err(cx(format!("internal error, unknown {kind} name {name}")))
                }
            }
            Verb::Remove => {
                let args = Args::new(method, values, &["name", "token", "recursive"], 2)?;
                self.tokens.validate(args.get(1))?;
                let name = args.str(0)?;
                let recursive = args.truthy_or(2, true);
                if self.store.get(kind, name).is_none() {
                    return Ok(Value::Boolean(true));
                }
                if !recursive
                    && let Some((child, child_name)) = self.store.dependents(kind, name).first()
                {
                    return Err(cx(format!("removal would orphan {child}: {child_name}")));
                }
                self.store.remove_tree(kind, name);
                Ok(Value::Boolean(true))
            }
            Verb::Rename => {
                let args = Args::new(method, values, &["object_id", "newname", "token"], 3)?;
                self.tokens.validate(args.get(2))?;
                let Target::Saved(old) = self.resolve(kind, args.str(0)?)? else {
                    return Err(none_has_no("name"));
                };
                let new = args.str(1)?.to_owned();
                // Renamed onto the name of its own ancestor, an item becomes its own ancestor:
                // cobblerd 3.3.10 never answers that rename (see `parents`).
                if has_parents(kind) && old != new {
                    let parent = self
                        .store
                        .get(kind, &old)
                        .map(|item| field(item, "parent").to_owned())
                        .unwrap_or_default();
                    // Only profiles point their children at the new name.
                    let renamed = (kind == Kind::Profile).then_some((old.as_str(), new.as_str()));
                    if reaches(&self.store, kind, &parent, &new, renamed) {
                        return Err(self_parentage());
                    }
                }
                let mut item = self.store.remove(kind, &old).unwrap_or_default();
                item.insert("name".into(), Value::String(new.clone()));
                item.insert("mtime".into(), Value::Double(now()));
                // Like cobblerd, an item already called `new` is silently replaced.
                self.store.insert(kind, item);
                self.store.rename_references(kind, &old, &new);
                Ok(Value::Boolean(true))
            }
            Verb::Names => Ok(Value::Array(
                self.store
                    .items(kind)
                    .map(|(name, _)| Value::String(name.to_owned()))
                    .collect(),
            )),
            Verb::Copy => {
                let args = Args::new(method, values, &["object_id", "newname", "token"], 3)?;
                self.tokens.validate(args.get(2))?;
                let Target::Saved(source) = self.resolve(kind, args.str(0)?)? else {
                    return Err(none_has_no("name"));
                };
                let new = args.str(1)?;
                if self.store.get(kind, new).is_some() {
                    return Err(already_exists());
                }
                let mut item = self.store.get(kind, &source).cloned().unwrap_or_default();
                // Children left pointing at a vanished name (systems and images keep their
                // parent's old name after a rename) adopt a copy given that name.
                if has_parents(kind)
                    && reaches(&self.store, kind, field(&item, "parent"), new, None)
                {
                    return Err(self_parentage());
                }
                item.insert("name".into(), Value::String(new.to_owned()));
                stamp_new(&mut item);
                if kind == Kind::System {
                    clear_addresses(&mut item);
                    self.store.hide_addresses(&source);
                }
                self.store.insert(kind, item);
                Ok(Value::Boolean(true))
            }
        }
    }

    /// `new_subprofile(token)`: a new profile whose item says `is_subobject: true`.
    pub fn new_subprofile(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let handle = self.item_call(Verb::New, Kind::Profile, method, values)?;
        if let Some(name) = handle.as_str()
            && let Some(mut item) = self.store.pending(name).cloned()
        {
            item.insert("is_subobject".into(), Value::Boolean(true));
            self.store.set_pending(name, item);
        }
        Ok(handle)
    }

    /// `power_system(handle, operation, token)`, with one dummy BMC shared by all systems
    /// (fence_dummy keeps one status file).
    pub fn power_system(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let (operation, power_type) = {
            let (operation, system) = self.power_request(method, values)?;
            (operation, field(&system, "power_type").to_owned())
        };
        let operation = operation.as_str();
        match power_type.as_str() {
            "" => Err(cx("no power type set for system")),
            "dummy" => Ok(Value::Boolean(match operation {
                "status" => self.dummy_power_on,
                "off" => {
                    self.dummy_power_on = false;
                    true
                }
                _ => {
                    self.dummy_power_on = true;
                    true
                }
            })),
            _ => Err(cx(
                "command failed (rc=1), please validate the physical setup and cobbler config",
            )),
        }
    }

    /// A `power_system` call checked (arguments, token, operation, a saved system): the
    /// operation and the system's fields.
    pub fn power_request(
        &self,
        method: &str,
        values: &[Value],
    ) -> Result<(String, super::recorded::Item), Fault> {
        let args = Args::new(method, values, &["object_id", "power", "token"], 3)?;
        self.tokens.validate(args.get(2))?;
        let operation = args.str(1)?;
        if !matches!(operation, "on" | "off" | "status" | "reboot") {
            return Err(cx(format!(
                "invalid power operation {}, expected on/off/status/reboot",
                py_repr(operation)
            )));
        }
        let Target::Saved(name) = self.resolve(Kind::System, args.str(0)?)? else {
            return Err(none_has_no("power_type"));
        };
        let system = self
            .store
            .get(Kind::System, &name)
            .cloned()
            .unwrap_or_default();
        Ok((operation.to_owned(), system))
    }

    /// `get_<kind>(name)` and `get_item(kind, name)`: the fields, or `"~"`.
    pub fn get_or_tilde(&self, kind: Kind, name: &str) -> Value {
        match self.store.served(kind, name) {
            Some(item) => Value::Struct(item),
            None => Value::String("~".into()),
        }
    }

    /// The interfaces of the system behind a handle (saved or unsaved).
    pub fn interfaces_behind(
        &self,
        handle: &Value,
    ) -> Option<&std::collections::BTreeMap<String, Value>> {
        let handle = handle.as_str()?;
        let item = match self.resolve(Kind::System, handle).ok()? {
            Target::Pending(h) => self.store.pending(&h)?,
            Target::Saved(name) => self.store.get(Kind::System, &name)?,
            Target::Missing => return None,
        };
        item.get("interfaces").and_then(ValueExt::as_struct)
    }

    fn resolve(&self, kind: Kind, handle: &str) -> Result<Target, Fault> {
        if handle.starts_with("___NEW___") {
            return match self.store.pending(handle) {
                Some(_) => Ok(Target::Pending(handle.to_owned())),
                None => Err(exception("KeyError", py_repr(handle))),
            };
        }
        let saved = handle
            .strip_prefix(kind.name())
            .and_then(|rest| rest.strip_prefix("::"))
            .filter(|name| self.store.get(kind, name).is_some());
        Ok(match saved {
            Some(name) => Target::Saved(name.to_owned()),
            None => Target::Missing,
        })
    }

    fn save_new(&mut self, kind: Kind, handle: &str, editmode: &str) -> Result<Value, Fault> {
        let mut item = self.store.pending(handle).cloned().unwrap_or_default();
        let name = field(&item, "name").to_owned();
        if name.is_empty() {
            return Err(cx("Name is required"));
        }
        if editmode == "new" && self.store.get(kind, &name).is_some() {
            return Err(already_exists());
        }
        // Saved over its own ancestor (or named after its parent), an item would be its own
        // ancestor: cobblerd 3.3.10 hangs in this save (see `parents`).
        if has_parents(kind) && reaches(&self.store, kind, field(&item, "parent"), &name, None) {
            return Err(self_parentage());
        }
        match kind {
            // A sub-profile takes its distro from its topmost parent.
            Kind::Profile if field(root(&self.store, kind, &item), "distro").is_empty() => {
                return Err(cx(format!(
                    "Error with profile {name} - distro is required"
                )));
            }
            Kind::System
                if field(&item, "profile").is_empty() && field(&item, "image").is_empty() =>
            {
                return Err(cx(format!(
                    "Error with system {name} - profile or image is required"
                )));
            }
            _ => {}
        }
        stamp_new(&mut item);
        let missing_boot_file = kind == Kind::Distro
            && (field(&item, "kernel").is_empty() || field(&item, "initrd").is_empty());
        // A distro without kernel or initrd still lands in the collection: cobblerd adds the
        // item, then fails copying the files.
        self.store.insert(kind, item);
        self.store.drop_pending(handle);
        if missing_boot_file {
            return Err(exception(
                "FileNotFoundError",
                format!(
                    "No kernel found at \"\", tried to copy to: \"/var/www/cobbler/images/{name}\""
                ),
            ));
        }
        Ok(Value::Boolean(true))
    }
}

/// A fresh uid and creation time, as a newly added item gets.
fn stamp_new(item: &mut Item) {
    let time = now();
    item.insert(
        "uid".into(),
        Value::String(format!("{:032x}", rand::random::<u128>())),
    );
    item.insert("ctime".into(), Value::Double(time));
    item.insert("mtime".into(), Value::Double(time));
}

/// What `copy_system` does to the copy's interfaces: no MAC, IP or DNS name.
fn clear_addresses(system: &mut Item) {
    if let Some(Value::Struct(interfaces)) = system.get_mut("interfaces") {
        for iface in interfaces.values_mut() {
            if let Value::Struct(fields) = iface {
                for key in COPIED_ADDRESS_KEYS {
                    fields.insert(key.into(), Value::String(String::new()));
                }
            }
        }
    }
}
