//! `xapi_object_edit(object_type, object_name, edit_type, attributes, token)`: how the stock
//! `cobbler` command line adds, edits, copies, renames and removes items of every kind,
//! following cobblerd 3.3.10's `remote.py` step by step on top of the item verbs.
//!
//! Its odd parts are copied: `add` names the item only from `attributes["name"]`
//! (`object_name` is used for the "already exists" check), an unknown `edit_type` edits,
//! `remove` is not recursive unless asked, a missing `newname`/`name` is Python's `KeyError`,
//! and a system's interface fields go to the interface named by `interface`, to its only
//! interface, or to `default` (created when missing; several interfaces and no `default`:
//! `Interface is required.`).

use std::collections::BTreeMap;

use super::args::Args;
use super::options::string_to_dict;
use super::python::{cx, exception, py_repr, value_error};
use super::recorded::is_interface_field;
use super::state::State;
use super::store::field;
use super::verbs::{Verb, unknown_collection};
use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Fault, Value, ValueExt};

/// Set first, in this order, as cobblerd does.
const PRIORITY_ATTRIBUTES: [&str; 5] = ["name", "parent", "distro", "profile", "image"];

/// Dicts an `in_place` edit merges into (a `~key` entry deletes `key`).
const IN_PLACE_DICTS: [&str; 7] = [
    "autoinstall_meta",
    "kernel_options",
    "kernel_options_post",
    "template_files",
    "boot_files",
    "fetchable_files",
    "params",
];

/// Python's `dict[key]` on the attributes: the value, or `KeyError: 'key'`.
fn required<'a>(attributes: &'a BTreeMap<String, Value>, key: &str) -> Result<&'a Value, Fault> {
    attributes
        .get(key)
        .ok_or_else(|| exception("KeyError", py_repr(key)))
}

/// cobblerd's `__is_interface_field`: a field of a network interface, or one of the two
/// interface operations.
fn interface_key(key: &str) -> bool {
    matches!(key, "delete_interface" | "rename_interface") || is_interface_field(key)
}

impl State {
    /// Runs `xapi_object_edit`.
    pub fn xapi_object_edit(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(
            method,
            values,
            &[
                "object_type",
                "object_name",
                "edit_type",
                "attributes",
                "token",
            ],
            5,
        )?;
        let token = values[4].clone();
        self.tokens.validate(Some(&token))?;
        let what = args.str(0)?;
        let name = args.str(1)?;
        if name.trim().is_empty() {
            return Err(value_error(
                "xapi_object_edit() called without an object name",
            ));
        }
        let edit = args.str(2)?;
        let Some(kind) = Kind::ALL.into_iter().find(|k| k.name() == what) else {
            let verb = if edit == "add" {
                Verb::New
            } else {
                Verb::Handle
            };
            return Err(unknown_collection(verb, what));
        };
        let mut attributes: BTreeMap<String, Value> =
            values[3].as_struct().cloned().unwrap_or_default();
        if edit == "add" || edit == "rename" {
            let target = if edit == "rename" {
                required(&attributes, "newname")?.render()
            } else {
                name.to_owned()
            };
            if self.store.get(kind, &target).is_some() {
                return Err(cx(format!(
                    "It seems unwise to overwrite the object {target}, try 'edit'"
                )));
            }
        }
        let mut handle = self.xapi_handle(kind, name, edit, &attributes, &token)?;
        if edit == "rename" {
            let newname = required(&attributes, "newname")?.clone();
            self.item_call(Verb::Rename, kind, "rename_item", &[handle, newname, token])?;
            return Ok(Value::Boolean(true));
        }
        if edit == "copy" {
            handle = self.xapi_copy(kind, handle, &mut attributes, &token)?;
        }
        if edit == "remove" {
            return self.xapi_remove(kind, name, &attributes, token);
        }
        self.xapi_set_attributes(kind, name, &handle, attributes, &token)?;
        self.item_call(Verb::Save, kind, "save_item", &[handle, token])?;
        Ok(Value::Boolean(true))
    }

    /// The handle `xapi_object_edit` works on: a new item's for `add` (a sub-profile when a
    /// parent is given), the existing item's otherwise.
    fn xapi_handle(
        &mut self,
        kind: Kind,
        name: &str,
        edit: &str,
        attributes: &BTreeMap<String, Value>,
        token: &Value,
    ) -> Result<Value, Fault> {
        let sub_profile = kind == Kind::Profile && attributes.contains_key("parent");
        if edit == "add" {
            if sub_profile && attributes.contains_key("distro") {
                return Err(value_error("You can't change both 'parent' and 'distro'"));
            }
            if kind == Kind::System
                && !attributes.contains_key("profile")
                && !attributes.contains_key("image")
            {
                return Err(value_error(
                    "You must specify a 'profile' or 'image' for new systems",
                ));
            }
            let handle =
                self.item_call(Verb::New, kind, "new_item", std::slice::from_ref(token))?;
            if sub_profile
                && let Some(h) = handle.as_str()
                && let Some(mut item) = self.store.pending(h).cloned()
            {
                item.insert("is_subobject".into(), Value::Boolean(true));
                self.store.set_pending(h, item);
            }
            Ok(handle)
        } else {
            self.item_call(
                Verb::Handle,
                kind,
                "get_item_handle",
                &[Value::String(name.to_owned()), token.clone()],
            )
        }
    }

    /// `copy`: the item copied to `newname`; the copy's handle, `name` and `newname` taken out
    /// of the attributes still to set.
    fn xapi_copy(
        &mut self,
        kind: Kind,
        handle: Value,
        attributes: &mut BTreeMap<String, Value>,
        token: &Value,
    ) -> Result<Value, Fault> {
        let sub_profile = kind == Kind::Profile && attributes.contains_key("parent");
        if sub_profile && attributes.contains_key("distro") {
            return Err(value_error("You can't change both 'parent' and 'distro'"));
        }
        let newname = required(attributes, "newname")?.clone();
        self.item_call(
            Verb::Copy,
            kind,
            "copy_item",
            &[handle, newname.clone(), token.clone()],
        )?;
        let handle = self.item_call(
            Verb::Handle,
            kind,
            "get_item_handle",
            &[newname, token.clone()],
        )?;
        required(attributes, "name")?;
        attributes.remove("name");
        attributes.remove("newname");
        Ok(handle)
    }

    /// `remove`: cobblerd's check of sub-profiles and sub-menus, then the removal.
    fn xapi_remove(
        &mut self,
        kind: Kind,
        name: &str,
        attributes: &BTreeMap<String, Value>,
        token: Value,
    ) -> Result<Value, Fault> {
        // `attributes.get("recursive", False)`: the child check runs only for `False`
        // itself, the removal recurses for any true value (the text "True" too).
        let given = attributes.get("recursive");
        let exactly_false = given.is_none_or(|v| matches!(v, Value::Boolean(false)));
        let recursive = given.is_some_and(|v| match v {
            Value::Boolean(b) => *b,
            Value::Integer(n) => *n != 0,
            Value::String(s) => !s.is_empty(),
            Value::Nil => false,
            _ => true,
        });
        if matches!(kind, Kind::Profile | Kind::Menu) && exactly_false {
            let parent = required(attributes, "name")?.render();
            let children = self
                .store
                .items(kind)
                .filter(|(_, item)| field(item, "parent") == parent)
                .count();
            if children > 0 {
                return Err(cx(format!(
                    "Can't delete this {kind} there are {children} sub{kind}s and 'recursive' is set to 'False'"
                )));
            }
        }
        self.item_call(
            Verb::Remove,
            kind,
            "remove_item",
            &[
                Value::String(name.to_owned()),
                token,
                Value::Boolean(recursive),
            ],
        )?;
        Ok(Value::Boolean(true))
    }

    /// Every attribute set through `modify_item` (the priority ones first; dicts merged for
    /// `in_place`), then a system's interface edits.
    fn xapi_set_attributes(
        &mut self,
        kind: Kind,
        name: &str,
        handle: &Value,
        mut attributes: BTreeMap<String, Value>,
        token: &Value,
    ) -> Result<(), Fault> {
        let modify = |state: &mut State, key: &str, value: Value| {
            state.item_call(
                Verb::Modify,
                kind,
                "modify_item",
                &[
                    handle.clone(),
                    Value::String(key.to_owned()),
                    value,
                    token.clone(),
                ],
            )
        };
        for key in PRIORITY_ATTRIBUTES {
            if let Some(value) = attributes.remove(key) {
                modify(self, key, value)?;
            }
        }
        let in_place = attributes.get("in_place").is_some_and(|v| match v {
            Value::Boolean(b) => *b,
            Value::Nil => false,
            Value::String(s) => !s.is_empty(),
            _ => true,
        });
        for (key, value) in &attributes {
            if kind == Kind::System && interface_key(key) {
                continue;
            }
            let value = if in_place && IN_PLACE_DICTS.contains(&key.as_str()) {
                self.merged_in_place(kind, name, key, value)
            } else {
                value.clone()
            };
            modify(self, key, value)?;
        }
        if kind == Kind::System {
            self.interface_edits(handle, &attributes, token)?;
        }
        Ok(())
    }

    /// An `in_place` edit of a dict: the item's current dict with `value`'s entries set, and
    /// `~key` entries deleting `key`.
    fn merged_in_place(&self, kind: Kind, name: &str, key: &str, value: &Value) -> Value {
        let mut current = self
            .store
            .get(kind, name)
            .and_then(|item| item.get(key))
            .and_then(ValueExt::as_struct)
            .cloned()
            .unwrap_or_default();
        let given: Vec<(String, Value)> = match value {
            Value::Struct(members) => members.clone().into_iter().collect(),
            other => string_to_dict(&other.render()),
        };
        for (k, v) in given {
            match k.strip_prefix('~').filter(|rest| !rest.is_empty()) {
                Some(deleted) => {
                    current.remove(deleted);
                }
                None => {
                    current.insert(k, v);
                }
            }
        }
        Value::Struct(current)
    }

    /// cobblerd's `__interface_edits`: the interface fields of `attributes` set on the chosen
    /// interface, or an interface deleted or renamed.
    fn interface_edits(
        &mut self,
        handle: &Value,
        attributes: &BTreeMap<String, Value>,
        token: &Value,
    ) -> Result<(), Fault> {
        let given = attributes.get("interface").map(ValueExt::render);
        let existing: Vec<String> = self
            .interfaces_behind(handle)
            .map(|ifaces| ifaces.keys().cloned().collect())
            .unwrap_or_default();
        let modify = |state: &mut State, changes: BTreeMap<String, Value>| {
            state.item_call(
                Verb::Modify,
                Kind::System,
                "modify_system",
                &[
                    handle.clone(),
                    Value::String("modify_interface".into()),
                    Value::Struct(changes),
                    token.clone(),
                ],
            )
        };
        if attributes.contains_key("delete_interface") {
            let Some(interface) = given else {
                return Err(value_error("Interface is required for deletion."));
            };
            return self.edit_interfaces(handle, |interfaces| {
                interfaces.remove(&interface);
                Ok(())
            });
        }
        if attributes.contains_key("rename_interface") {
            let from = given.unwrap_or_default();
            let to = attributes
                .get("rename_interface")
                .map(ValueExt::render)
                .unwrap_or_default();
            return self.edit_interfaces(handle, |interfaces| {
                if !interfaces.contains_key(&from) {
                    return Err(value_error(format!("Interface \"{from}\" does not exist")));
                }
                if interfaces.contains_key(&to) {
                    return Err(value_error(format!("Interface \"{to}\" already exists")));
                }
                if let Some(fields) = interfaces.remove(&from) {
                    interfaces.insert(to, fields);
                }
                Ok(())
            });
        }
        let interface = match (&given, existing.as_slice()) {
            (Some(name), _) => name.clone(),
            (None, [only]) => only.clone(),
            (None, several) if several.len() > 1 && !several.iter().any(|n| n == "default") => {
                return Err(value_error("Interface is required."));
            }
            (None, _) => "default".to_owned(),
        };
        let mut changes: BTreeMap<String, Value> = attributes
            .iter()
            .filter(|(key, _)| is_interface_field(key))
            .map(|(key, value)| (format!("{key}-{interface}"), value.clone()))
            .collect();
        if changes.is_empty() {
            // The interface is created even with nothing to set.
            changes.insert(
                format!("interface_type-{interface}"),
                self.interface_field(handle, &interface, "interface_type")
                    .unwrap_or(Value::String("na".into())),
            );
        }
        modify(self, changes).map(|_| ())
    }

    /// The current value of one field of one interface of the system behind `handle`.
    fn interface_field(&self, handle: &Value, interface: &str, key: &str) -> Option<Value> {
        self.interfaces_behind(handle)?
            .get(interface)?
            .as_struct()?
            .get(key)
            .cloned()
    }
}
