//! The item verbs of the API (`new_*`, `modify_*`, `save_*`, `get_*`, `find_*`, `remove_*`,
//! `rename_*`, `copy_*`, `get_*_handle`) and `power_system`, as cobblerd 3.3.10 answers them.

use super::args::Args;
use super::fields::{as_copied, set_field};
use super::options::string_to_dict;
use super::parents::{has_parents, reaches, root, self_parentage};
use super::python::{cx, exception, none_has_no, py_repr, value_error};
use super::recorded::{Item, default_item};
use super::search::matches_all;
use super::state::State;
use super::store::{COPIED_ADDRESS_KEYS, epoch_seconds, field};
use super::tokens::random_token;
use super::uid::new_uid;
use super::verbs::{Verb, unknown_collection};
use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Fault, Value, ValueExt};

/// Where a handle points.
enum Target {
    /// An unsaved item from `new_*`.
    Pending(String),
    /// A saved item, by its key.
    Saved(String),
    /// Nothing.
    Missing,
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
            return Err(unknown_collection(verb, what));
        };
        let rest = &values[1..];
        match verb {
            // find_items(what, criteria, sort_field, expand=True): dicts unless expand is false.
            Verb::Find => {
                let args = Args::new(
                    method,
                    values,
                    &["what", "criteria", "sort_field", "expand"],
                    1,
                )?;
                let expand = args.truthy_or(3, true);
                let sort_field = args.get(2).and_then(ValueExt::as_str).map(str::to_owned);
                let criteria = criteria_of(args.get(1))?;
                let names = self.find_sorted(kind, &criteria, sort_field.as_deref())?;
                Ok(self.listing(kind, names, expand))
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
            Verb::New => self.new_item_of(kind, method, values),
            Verb::Modify => self.modify_item_of(kind, method, values),
            Verb::Save => self.save_item_of(kind, method, values),
            Verb::Get => self.get_item_of(kind, method, values),
            Verb::GetAll => self.all_items_of(kind, method, values),
            Verb::Find => self.find_item_of(kind, method, values),
            Verb::Handle => self.handle_of(kind, method, values),
            Verb::Remove => self.remove_item_of(kind, method, values),
            Verb::Rename => self.rename_item_of(kind, method, values),
            Verb::Since => self.items_since(kind, method, values),
            Verb::Names => self.item_names_of(kind),
            Verb::Copy => self.copy_item_of(kind, method, values),
        }
    }

    /// `new_<kind>(token)`: a `___NEW___` handle to an unsaved item with the defaults.
    fn new_item_of(&mut self, kind: Kind, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["token"], 1)?;
        self.tokens.validate(args.get(0))?;
        let handle = format!("___NEW___{kind}::{}", random_token());
        self.store
            .add_pending(handle.clone(), kind, default_item(kind));
        Ok(Value::String(handle))
    }

    /// `modify_<kind>(handle, attribute, value, token)`: an unsaved item is changed; a saved one is
    /// edited in place (the change is visible before `save_*`).
    fn modify_item_of(
        &mut self,
        kind: Kind,
        method: &str,
        values: &[Value],
    ) -> Result<Value, Fault> {
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
        if attribute == "autoinstall" && matches!(kind, Kind::Profile | Kind::System | Kind::Image)
        {
            self.check_autoinstall(value)?;
        }
        match self.resolve(kind, handle)? {
            Target::Pending(handle) => {
                let mut item = self.store.pending(&handle).cloned().unwrap_or_default();
                let before = item.get("interfaces").cloned();
                let known = set_field(kind, &mut item, attribute, value, &self.store, false);
                self.remember_dict_order(value);
                self.remember_interface_order(before.as_ref(), &item);
                // A failed modify_interface keeps the interfaces it created (empty).
                if known.is_ok() || attribute == "modify_interface" {
                    self.store.set_pending(&handle, item);
                }
                Ok(Value::Boolean(known?))
            }
            Target::Saved(key) => {
                // Saved items are edited in place: the change is visible before save_*.
                let mut item = self.store.get(kind, &key).cloned().unwrap_or_default();
                let before = item.get("interfaces").cloned();
                let known = set_field(kind, &mut item, attribute, value, &self.store, true);
                self.remember_dict_order(value);
                self.remember_interface_order(before.as_ref(), &item);
                if let Err(fault) = &known
                    && attribute != "modify_interface"
                {
                    return Err(fault.clone());
                }
                // A descendant as parent: cobblerd accepts it and then loops (see
                // `parents`); the fake refuses it with the self-parent fault.
                if attribute == "parent"
                    && has_parents(kind)
                    && reaches(&self.store, kind, field(&item, "parent"), &key, None)
                {
                    return Err(self_parentage());
                }
                item.insert("mtime".into(), Value::Double(epoch_seconds()));
                self.store.replace(kind, &key, item);
                self.store.refresh_view(kind, &key);
                if known.is_ok() {
                    self.store.mark_changed(kind, &key);
                }
                Ok(Value::Boolean(known?))
            }
            Target::Missing => Ok(Value::Boolean(false)),
        }
    }

    /// `save_<kind>(handle, token, editmode="bypass")`.
    fn save_item_of(&mut self, kind: Kind, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["object_id", "token", "editmode"], 2)?;
        self.tokens.validate(args.get(1))?;
        let editmode = match args.get(2) {
            Some(_) => args.str(2)?,
            None => "bypass",
        };
        match self.resolve(kind, args.str(0)?)? {
            Target::Pending(handle) => self.save_new(kind, &handle, editmode),
            // The item exists, so a save meant to add it fails (also through a
            // `___NEW___` handle already saved).
            Target::Saved(_) if editmode == "new" => Err(already_exists()),
            Target::Saved(name) => {
                self.store.mark_unchanged(kind, &name);
                Ok(Value::Boolean(true))
            }
            Target::Missing => Err(none_has_no("name")),
        }
    }

    /// `get_<kind>(name, flatten=False, resolved=False, token=None)`: `~` for a missing item.
    fn get_item_of(&mut self, kind: Kind, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["name", "flatten", "resolved", "token"], 1)?;
        let name = args.str(0)?;
        let item = if args.truthy_or(2, false) {
            super::blender::resolved(&self.store, kind, name)
        } else {
            self.store.served(kind, name)
        };
        Ok(match item {
            None => Value::String("~".into()),
            Some(item) if args.truthy_or(1, false) => {
                Value::Struct(super::blender::flattened(item, self.store.dict_orders()))
            }
            Some(item) => Value::Struct(item),
        })
    }

    /// `get_<kinds>(page=None, results_per_page=None, token=None)`.
    fn all_items_of(&mut self, kind: Kind, method: &str, values: &[Value]) -> Result<Value, Fault> {
        Args::new(method, values, &["page", "results_per_page", "token"], 0)?;
        Ok(Value::Array(
            self.store
                .items(kind)
                .filter_map(|(name, _)| self.store.served(kind, name))
                .map(Value::Struct)
                .collect(),
        ))
    }

    /// `find_<kind>(criteria, expand=False, resolved=False, token=None)`.
    fn find_item_of(&mut self, kind: Kind, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(
            method,
            values,
            &["criteria", "expand", "resolved", "token"],
            0,
        )?;
        let criteria = criteria_of(args.get(0))?;
        let names = self.find_sorted(kind, &criteria, None)?;
        Ok(self.listing(kind, names, args.truthy_or(1, false)))
    }

    /// `get_<kind>_handle(name, token)`.
    fn handle_of(&mut self, kind: Kind, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["name", "token"], 2)?;
        self.tokens.validate(args.get(1))?;
        let name = args.str(0)?;
        if self.store.get(kind, name).is_some() {
            Ok(Value::String(format!("{kind}::{name}")))
        } else {
            Err(cx(format!("internal error, unknown {kind} name {name}")))
        }
    }

    /// `remove_<kind>(name, token, recursive=True)`, with cobblerd's checks of what would be
    /// orphaned.
    fn remove_item_of(
        &mut self,
        kind: Kind,
        method: &str,
        values: &[Value],
    ) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["name", "token", "recursive"], 2)?;
        self.tokens.validate(args.get(1))?;
        let name = args.str(0)?;
        let recursive = args.truthy_or(2, true);
        if self.store.get(kind, name).is_none() {
            return Ok(Value::Boolean(true));
        }
        if kind == Kind::Menu {
            // cobblerd first takes the menu off its profiles and images.
            self.store.clear_references(Kind::Profile, "menu", name);
            self.store.clear_references(Kind::Image, "menu", name);
        }
        if recursive {
            self.store.remove_tree(kind, name);
            return Ok(Value::Boolean(true));
        }
        if matches!(
            kind,
            Kind::Menu | Kind::Repo | Kind::File | Kind::Mgmtclass | Kind::Package
        ) {
            // Nothing is checked: what named it keeps the name.
            self.store.remove(kind, name);
            return Ok(Value::Boolean(true));
        }
        let dependents = self.store.dependents(kind, name);
        if kind == Kind::Profile {
            // cobblerd checks only the profile's systems; its sub-profiles are left
            // behind without a parent, and the sync after the removal trips on them.
            if let Some((_, system)) = dependents.iter().find(|(k, _)| *k == Kind::System) {
                return Err(cx(format!("removal would orphan system: {system}")));
            }
            self.store.remove(kind, name);
            if !dependents.is_empty() {
                return Err(exception(
                    "AttributeError",
                    "Attribute \"boot_loaders\" did not exist on object type Profile.",
                ));
            }
            return Ok(Value::Boolean(true));
        }
        if let Some((child, child_name)) = dependents.first() {
            return Err(cx(format!("removal would orphan {child}: {child_name}")));
        }
        self.store.remove(kind, name);
        Ok(Value::Boolean(true))
    }

    /// `rename_<kind>(handle, newname, token)`.
    fn rename_item_of(
        &mut self,
        kind: Kind,
        method: &str,
        values: &[Value],
    ) -> Result<Value, Fault> {
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
        item.insert("mtime".into(), Value::Double(epoch_seconds()));
        // Like cobblerd, an item already called `new` is silently replaced.
        self.store.insert(kind, item);
        self.store.rename_references(kind, &old, &new);
        Ok(Value::Boolean(true))
    }

    /// `get_<kinds>_since(mtime)`: the items changed after `mtime`.
    fn items_since(&mut self, kind: Kind, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["mtime"], 1)?;
        let since = match args.get(0) {
            Some(Value::Integer(i)) => f64::from(*i),
            Some(Value::Double(d)) => *d,
            Some(other) => other.render().parse().unwrap_or(0.0),
            None => 0.0,
        };
        Ok(Value::Array(
            self.store
                .items(kind)
                .filter(|(_, item)| {
                    item.get("mtime").and_then(|m| match m {
                        Value::Double(d) => Some(*d),
                        _ => None,
                    }) > Some(since)
                })
                .filter_map(|(name, _)| self.store.served(kind, name))
                .map(Value::Struct)
                .collect(),
        ))
    }

    /// `get_item_names(what)`.
    fn item_names_of(&self, kind: Kind) -> Result<Value, Fault> {
        Ok(Value::Array(
            self.store
                .items(kind)
                .map(|(name, _)| Value::String(name.to_owned()))
                .collect(),
        ))
    }

    /// `copy_<kind>(handle, newname, token)`.
    fn copy_item_of(&mut self, kind: Kind, method: &str, values: &[Value]) -> Result<Value, Fault> {
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
        if has_parents(kind) && reaches(&self.store, kind, field(&item, "parent"), new, None) {
            return Err(self_parentage());
        }
        item.insert("name".into(), Value::String(new.to_owned()));
        stamp_new(&mut item);
        if kind == Kind::System {
            clear_addresses(&mut item);
        }
        as_copied(kind, &mut item);
        self.store.mark_copied(kind, &source);
        self.store.insert(kind, item);
        Ok(Value::Boolean(true))
    }

    /// The names of the items of `kind` matching every criterion, sorted as cobblerd's
    /// `__sort` does: by `sort_field` (`!field` reversed) and then name.
    fn find_sorted(
        &self,
        kind: Kind,
        criteria: &std::collections::BTreeMap<String, Value>,
        sort_field: Option<&str>,
    ) -> Result<Vec<String>, Fault> {
        if criteria.is_empty() {
            return Err(value_error("calling find with no arguments"));
        }
        let found = self
            .store
            .items(kind)
            .filter(|(_, item)| matches_all(item, criteria))
            .map(|(name, _)| name.to_owned())
            .collect();
        Ok(self.sorted(kind, found, sort_field))
    }

    /// `names` sorted by `sort_field` (`!field` reversed) and then name.
    fn sorted(&self, kind: Kind, mut names: Vec<String>, sort_field: Option<&str>) -> Vec<String> {
        let (field_name, reverse) = match sort_field {
            Some(f) => match f.strip_prefix('!') {
                Some(rest) => (Some(rest), true),
                None => (Some(f), false),
            },
            None => (None, false),
        };
        let key = |name: &String| {
            let item = self.store.served(kind, name).unwrap_or_default();
            let first =
                field_name.map(|f| item.get(f).cloned().unwrap_or(Value::String(String::new())));
            (first.map(SortValue), name.clone())
        };
        names.sort_by_cached_key(key);
        if reverse {
            names.reverse();
        }
        names
    }

    /// Names, or the served dicts when `expand`.
    fn listing(&self, kind: Kind, names: Vec<String>, expand: bool) -> Value {
        Value::Array(
            names
                .into_iter()
                .filter_map(|name| {
                    if expand {
                        self.store.served(kind, &name).map(Value::Struct)
                    } else {
                        Some(Value::String(name))
                    }
                })
                .collect(),
        )
    }

    /// `find_items_paged(what, criteria=None, sort_field=None, page=1, items_per_page=25,
    /// token=None)`: one page of the sorted matches, and where it is.
    pub fn find_items_paged(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(
            method,
            values,
            &[
                "what",
                "criteria",
                "sort_field",
                "page",
                "items_per_page",
                "token",
            ],
            1,
        )?;
        let what = args.str(0)?;
        let Some(kind) = Kind::ALL.into_iter().find(|k| k.name() == what) else {
            let verb = match args.get(1) {
                None | Some(Value::Nil) => Verb::GetAll,
                Some(_) => Verb::Find,
            };
            return Err(unknown_collection(verb, what));
        };
        let sort_field = args.get(2).and_then(ValueExt::as_str).map(str::to_owned);
        let names = match args.get(1) {
            None | Some(Value::Nil) => {
                let all = self.store.items(kind).map(|(n, _)| n.to_owned()).collect();
                self.sorted(kind, all, sort_field.as_deref())
            }
            Some(value) => {
                let criteria = criteria_of(Some(value))?;
                if criteria.contains_key("name") {
                    return Err(exception(
                        "TypeError",
                        "cobbler.cobbler_collections.collection.Collection.find() got multiple values for keyword argument 'name'",
                    ));
                }
                self.find_sorted(kind, &criteria, sort_field.as_deref())?
            }
        };
        let number = |i: usize, default: i64| match args.get(i) {
            Some(Value::Integer(n)) => i64::from(*n),
            Some(Value::String(s)) => s.trim().parse().unwrap_or(default),
            _ => default,
        };
        let page = number(3, 1).max(1);
        let per_page = match number(4, 25) {
            n if n <= 0 => 25,
            n => n,
        };
        let (shown, pageinfo) = one_page(names, page, per_page);
        Ok(Value::Struct(std::collections::BTreeMap::from([
            ("items".to_owned(), self.listing(kind, shown, true)),
            ("pageinfo".to_owned(), pageinfo),
        ])))
    }

    /// cobblerd's `validate_autoinstall_template_file_path`: text without `..` naming a
    /// template that exists (`""` and `<<inherit>>` too).
    fn check_autoinstall(&self, value: &Value) -> Result<(), Fault> {
        let Value::String(path) = value else {
            return Err(exception(
                "TypeError",
                "Invalid input, autoinstall must be a string",
            ));
        };
        if path.is_empty() || path == "<<inherit>>" {
            return Ok(());
        }
        if path.contains("..") {
            return Err(value_error(format!(
                "Invalid automatic installation template file location {path}, it must not contain .."
            )));
        }
        if self.files.templates.get(path).is_none() {
            return Err(exception(
                "OSError",
                format!(
                    "Invalid automatic installation template file location /var/lib/cobbler/templates/{path}, file not found"
                ),
            ));
        }
        Ok(())
    }

    /// A system's interfaces keep the order they were added in on the real server (a renamed
    /// one moves to the end): the interfaces `before` a change, in their order, then the new.
    fn remember_interface_order(&mut self, before: Option<&Value>, after: &Item) {
        let (Some(before), Some(after)) = (
            before.and_then(ValueExt::as_struct),
            after.get("interfaces").and_then(ValueExt::as_struct),
        ) else {
            return;
        };
        let sorted: Vec<String> = before.keys().cloned().collect();
        let mut order = self
            .store
            .dict_orders()
            .get(&sorted)
            .cloned()
            .unwrap_or(sorted);
        order.retain(|name| after.contains_key(name));
        order.extend(after.keys().filter(|k| !before.contains_key(*k)).cloned());
        self.store.remember_order(order);
    }

    /// A dict given as text (`a=1 b`) keeps the order of its keys on the real server.
    fn remember_dict_order(&mut self, value: &Value) {
        if let Value::String(text) = value
            && text.contains('=')
        {
            let keys = string_to_dict(text).into_iter().map(|(k, _)| k).collect();
            self.store.remember_order(keys);
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
        let operation = self.power_operation(method, values)?;
        self.power(&values[0], &operation)
    }

    /// The checked operation of a `power_system` call (arguments, token, operation).
    fn power_operation(&self, method: &str, values: &[Value]) -> Result<String, Fault> {
        let args = Args::new(method, values, &["object_id", "power", "token"], 3)?;
        self.tokens.validate(args.get(2))?;
        let operation = args.str(1)?;
        if !matches!(operation, "on" | "off" | "status" | "reboot") {
            return Err(cx(format!(
                "invalid power operation {}, expected on/off/status/reboot",
                py_repr(operation)
            )));
        }
        Ok(operation.to_owned())
    }

    /// A `power_system` call checked (arguments, token, operation, a saved system): the
    /// operation and the system's fields (the fake's BMC-speaking power paths start here).
    pub fn power_request(
        &self,
        method: &str,
        values: &[Value],
    ) -> Result<(String, super::recorded::Item), Fault> {
        let operation = self.power_operation(method, values)?;
        let handle = values[0].as_str().unwrap_or("");
        let Target::Saved(name) = self.resolve(Kind::System, handle)? else {
            return Err(none_has_no("power_type"));
        };
        let system = self
            .store
            .get(Kind::System, &name)
            .cloned()
            .unwrap_or_default();
        Ok((operation, system))
    }

    /// Runs one power `operation` on the system behind `handle`, as `power_system` does.
    pub fn power(&mut self, handle: &Value, operation: &str) -> Result<Value, Fault> {
        let handle = handle.as_str().unwrap_or("");
        let Target::Saved(name) = self.resolve(Kind::System, handle)? else {
            return Err(none_has_no("power_type"));
        };
        let power_type = self
            .store
            .get(Kind::System, &name)
            .map(|item| field(item, "power_type").to_owned())
            .unwrap_or_default();
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

    /// Changes the interfaces of the system behind `handle` (saved or unsaved) with `edit`.
    pub fn edit_interfaces(
        &mut self,
        handle: &Value,
        edit: impl FnOnce(&mut std::collections::BTreeMap<String, Value>) -> Result<(), Fault>,
    ) -> Result<(), Fault> {
        let target = self.resolve(Kind::System, handle.as_str().unwrap_or(""))?;
        let mut item = match &target {
            Target::Pending(h) => self.store.pending(h).cloned(),
            Target::Saved(name) => self.store.get(Kind::System, name).cloned(),
            Target::Missing => None,
        }
        .unwrap_or_default();
        let mut interfaces = item
            .get("interfaces")
            .and_then(ValueExt::as_struct)
            .cloned()
            .unwrap_or_default();
        edit(&mut interfaces)?;
        item.insert("interfaces".into(), Value::Struct(interfaces));
        match target {
            Target::Pending(h) => self.store.set_pending(&h, item),
            Target::Saved(name) => {
                self.store.replace(Kind::System, &name, item);
                self.store.mark_changed(Kind::System, &name);
            }
            Target::Missing => {}
        }
        Ok(())
    }

    fn resolve(&self, kind: Kind, handle: &str) -> Result<Target, Fault> {
        if handle.starts_with("___NEW___") {
            if self.store.pending(handle).is_some() {
                return Ok(Target::Pending(handle.to_owned()));
            }
            // A saved `___NEW___` handle keeps pointing at its item while that exists.
            return match self.store.saved_handle(kind, handle) {
                Some(name) if self.store.get(kind, name).is_some() => {
                    Ok(Target::Saved(name.to_owned()))
                }
                _ => Err(exception("KeyError", py_repr(handle))),
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
            Kind::File => {
                for required in ["path", "owner", "group", "mode"] {
                    if field(&item, required).is_empty() {
                        return Err(cx(format!("{required} is required")));
                    }
                }
                let is_dir = item.get("is_dir").and_then(ValueExt::as_bool) == Some(true);
                if !is_dir && field(&item, "template").is_empty() {
                    return Err(cx("Template is required when not a directory"));
                }
            }
            _ => {}
        }
        stamp_new(&mut item);
        let missing_boot_file = kind == Kind::Distro
            && (field(&item, "kernel").is_empty() || field(&item, "initrd").is_empty());
        // The files an item names are read when it is saved; it stays in the collection.
        let unreadable = missing_sources(kind, &item);
        // A distro without kernel or initrd still lands in the collection: cobblerd adds the
        // item, then fails copying the files.
        self.store.insert(kind, item);
        self.store.mark_saved(handle, kind, &name);
        if let Some(fault) = unreadable {
            return Err(fault);
        }
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
    let time = epoch_seconds();
    item.insert("uid".into(), Value::String(new_uid()));
    item.insert("ctime".into(), Value::Double(time));
    item.insert("mtime".into(), Value::Double(time));
}

/// What `copy_system` does to the copy's interfaces: no MAC, IP or DNS name, and a
/// `virt_bridge` that inherits again.
fn clear_addresses(system: &mut Item) {
    if let Some(Value::Struct(interfaces)) = system.get_mut("interfaces") {
        for iface in interfaces.values_mut() {
            if let Value::Struct(fields) = iface {
                for key in COPIED_ADDRESS_KEYS {
                    fields.insert(key.into(), Value::String(String::new()));
                }
                fields.insert("virt_bridge".into(), Value::String("<<inherit>>".into()));
            }
        }
    }
}

/// Python's type name of an argument, for `TypeError` texts.
fn python_type(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "str",
        Value::Integer(_) | Value::Long(_) => "int",
        Value::Boolean(_) => "bool",
        Value::Double(_) => "float",
        Value::Array(_) => "list",
        Value::Nil => "NoneType",
        _ => "object",
    }
}

/// The page `page` of `names`, `per_page` a page, and cobblerd's `pageinfo` for it (its
/// `utils.paginate`, past-the-end pages clamped as it clamps them).
fn one_page(names: Vec<String>, page: i64, per_page: i64) -> (Vec<String>, Value) {
    let count = names.len() as i64;
    let pages = ((count - 1).div_euclid(per_page) + 1).max(1);
    let page = page.min(pages);
    let mut start = per_page * (page - 1);
    let mut end = start + per_page;
    if start > count {
        start = count - 1;
    }
    if end > count {
        end = count;
    }
    let shown: Vec<String> = names
        .into_iter()
        .skip(start.max(0) as usize)
        .take((end - start.max(0)).max(0) as usize)
        .collect();
    let int = |n: i64| Value::Integer(i32::try_from(n).unwrap_or(i32::MAX));
    let none = || Value::String("~".into());
    let pageinfo = std::collections::BTreeMap::from([
        ("page".to_owned(), int(page)),
        (
            "prev_page".to_owned(),
            if page > 1 { int(page - 1) } else { none() },
        ),
        (
            "next_page".to_owned(),
            if page < pages { int(page + 1) } else { none() },
        ),
        (
            "pages".to_owned(),
            Value::Array((1..=pages).map(int).collect()),
        ),
        ("num_pages".to_owned(), int(pages)),
        ("num_items".to_owned(), int(count)),
        ("start_item".to_owned(), int(start)),
        ("end_item".to_owned(), int(end)),
        ("items_per_page".to_owned(), int(per_page)),
        (
            "items_per_page_list".to_owned(),
            Value::Array([10, 20, 50, 100, 200, 500].map(int).to_vec()),
        ),
    ]);
    (shown, Value::Struct(pageinfo))
}

/// `find`'s criteria: a struct (`None` is none), or the real server's `TypeError`.
fn criteria_of(value: Option<&Value>) -> Result<std::collections::BTreeMap<String, Value>, Fault> {
    match value {
        None | Some(Value::Nil) => Ok(Default::default()),
        Some(value) => value.as_struct().cloned().ok_or_else(|| {
            exception(
                "TypeError",
                format!(
                    "cobbler.cobbler_collections.collection.Collection.find() argument after ** must be a mapping, not {}",
                    python_type(value)
                ),
            )
        }),
    }
}

/// A field's value ordered as Python orders it for sorting: numbers by value, text by text.
#[derive(Clone, Debug, PartialEq)]
struct SortValue(Value);

impl Eq for SortValue {}

impl PartialOrd for SortValue {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SortValue {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let number = |v: &Value| match v {
            Value::Integer(n) => Some(f64::from(*n)),
            Value::Double(d) => Some(*d),
            Value::Boolean(b) => Some(f64::from(u8::from(*b))),
            _ => None,
        };
        match (number(&self.0), number(&other.0)) {
            (Some(a), Some(b)) => a.total_cmp(&b),
            _ => self.0.render().cmp(&other.0.render()),
        }
    }
}

/// The fault cobblerd's save of a distro, profile or system answers for `boot_files` without a
/// source (`key` alone, a distro's only) or `template_files` whose source file is missing;
/// `None` when they read.
fn missing_sources(kind: Kind, item: &Item) -> Option<Fault> {
    if !matches!(kind, Kind::Distro | Kind::Profile | Kind::System) {
        return None;
    }
    if kind == Kind::Distro
        && let Some(Value::Struct(boot)) = item.get("boot_files")
        && boot
            .values()
            .any(|v| matches!(v, Value::Nil) || v.as_str() == Some("~"))
    {
        return Some(exception(
            "AttributeError",
            "'NoneType' object has no attribute 'read'",
        ));
    }
    if let Some(Value::Struct(templates)) = item.get("template_files")
        && let Some(source) = templates
            .iter()
            .filter(|(_, to)| !matches!(to, Value::Nil) && to.as_str() != Some("~"))
            .map(|(source, _)| source)
            .find(|source| !std::path::Path::new(source).is_file())
    {
        return Some(cx(format!("template source {source} does not exist")));
    }
    None
}
