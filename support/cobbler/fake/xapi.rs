//! `xapi_object_edit(object_type, object_name, edit_type, attributes, token)`: how the stock
//! `cobbler` command line adds, edits, copies, renames and removes items, following
//! cobblerd 3.3.10's `remote.py` step by step on top of the item verbs.

use std::collections::BTreeMap;

use super::args::Args;
use super::methods::Verb;
use super::python::{cx, value_error};
use super::recorded::is_interface_field;
use super::state::State;
use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Fault, Value, ValueExt};

/// Set first, in this order, as cobblerd does.
const PRIORITY_ATTRIBUTES: [&str; 5] = ["name", "parent", "distro", "profile", "image"];

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
        let Some(kind) = Kind::ALL.into_iter().find(|k| k.name() == what) else {
            return Err(cx(format!("internal error, unknown collection {what}")));
        };
        let name = args.str(1)?;
        if name.trim().is_empty() {
            return Err(value_error(
                "xapi_object_edit() called without an object name",
            ));
        }
        let edit = args.str(2)?;
        let mut attributes: BTreeMap<String, Value> =
            values[3].as_struct().cloned().unwrap_or_default();
        let text = |attributes: &BTreeMap<String, Value>, key: &str| {
            attributes.get(key).map(ValueExt::render)
        };
        let string = |s: &str| Value::String(s.to_owned());

        if edit == "add" || edit == "rename" {
            let target = if edit == "rename" {
                text(&attributes, "newname").unwrap_or_default()
            } else {
                name.to_owned()
            };
            if self.store.get(kind, &target).is_some() {
                return Err(cx(format!(
                    "It seems unwise to overwrite the object {target}, try 'edit'"
                )));
            }
        }
        let mut handle = if edit == "add" {
            if kind == Kind::System
                && !attributes.contains_key("profile")
                && !attributes.contains_key("image")
            {
                return Err(value_error(
                    "You must specify a 'profile' or 'image' for new systems",
                ));
            }
            self.item_call(Verb::New, kind, "new_item", std::slice::from_ref(&token))?
        } else {
            self.item_call(
                Verb::Handle,
                kind,
                "get_item_handle",
                &[string(name), token.clone()],
            )?
        };
        if edit == "rename" {
            let newname = text(&attributes, "newname").unwrap_or_default();
            self.item_call(
                Verb::Rename,
                kind,
                "rename_item",
                &[handle, string(&newname), token],
            )?;
            return Ok(Value::Boolean(true));
        }
        if edit == "copy" {
            let newname = text(&attributes, "newname").unwrap_or_default();
            self.item_call(
                Verb::Copy,
                kind,
                "copy_item",
                &[handle, string(&newname), token.clone()],
            )?;
            handle = self.item_call(
                Verb::Handle,
                kind,
                "get_item_handle",
                &[string(&newname), token.clone()],
            )?;
            attributes.remove("name");
            attributes.remove("newname");
        }
        if edit == "remove" {
            let recursive = attributes
                .get("recursive")
                .and_then(ValueExt::as_bool)
                .unwrap_or(false);
            if kind == Kind::Profile && !recursive {
                let children = self
                    .store
                    .items(Kind::Profile)
                    .filter(|(_, item)| super::store::field(item, "parent") == name)
                    .count();
                if children > 0 {
                    return Err(cx(format!(
                        "Can't delete this profile there are {children} subprofiles and 'recursive' is set to 'False'"
                    )));
                }
            }
            self.item_call(
                Verb::Remove,
                kind,
                "remove_item",
                &[string(name), token, Value::Boolean(recursive)],
            )?;
            return Ok(Value::Boolean(true));
        }
        let modify = |state: &mut State, key: &str, value: Value| {
            state.item_call(
                Verb::Modify,
                kind,
                "modify_item",
                &[handle.clone(), string(key), value, token.clone()],
            )
        };
        for key in PRIORITY_ATTRIBUTES {
            if let Some(value) = attributes.remove(key) {
                modify(self, key, value)?;
            }
        }
        let interface = text(&attributes, "interface");
        let mut interface_changes = BTreeMap::new();
        for (key, value) in &attributes {
            if kind == Kind::System && (is_interface_field(key) || key == "interface") {
                if key != "interface" {
                    interface_changes.insert(key.clone(), value.clone());
                }
            } else {
                modify(self, key, value.clone())?;
            }
        }
        if !interface_changes.is_empty() {
            let name_of_interface = self.interface_to_edit(&handle, interface)?;
            let changes = interface_changes
                .into_iter()
                .map(|(key, value)| (format!("{key}-{name_of_interface}"), value))
                .collect();
            modify(self, "modify_interface", Value::Struct(changes))?;
        }
        self.item_call(Verb::Save, kind, "save_item", &[handle, token])?;
        Ok(Value::Boolean(true))
    }

    /// The interface an edit without `--interface` goes to: the only one, or `default`.
    fn interface_to_edit(&self, handle: &Value, given: Option<String>) -> Result<String, Fault> {
        if let Some(name) = given.filter(|n| !n.is_empty()) {
            return Ok(name);
        }
        let interfaces: Vec<String> = self
            .interfaces_behind(handle)
            .map(|ifaces| ifaces.keys().cloned().collect())
            .unwrap_or_default();
        match interfaces.as_slice() {
            [] => Ok("default".to_owned()),
            [only] => Ok(only.clone()),
            _ => Err(value_error(
                "Interface is required when editing a system with more than one interface",
            )),
        }
    }
}
