//! Parents within one kind (sub-profiles, and the `parent` that systems and images also have):
//! the real server's `Item.parent` setter, and walks up a chain that always end, even if a
//! loop slipped into the store.
//!
//! Probed on a real cobblerd 3.3.10 (and read in its `items/item.py`): the setter refuses only
//! a parent equal to the item's own name (`self parentage is weird`). Everything else that
//! closes a loop is accepted and breaks the server: with a descendant as parent,
//! `get_profile(name, False, True)` faults with `RecursionError`, `get_profile_as_rendered`
//! never answers, and removals fault (`Attribute "boot_loaders" did not exist on object type
//! Profile.`) after removing anyway; a profile saved without editmode over its own parent's
//! name, or renamed onto it, makes the save or rename never answer (cobblerd spins, growing to
//! gigabytes) and every later distro save faults with `RecursionError`. The fake refuses every
//! loop up front with the real server's fault for the self-parent case: [`self_parentage`].

use std::collections::HashSet;

use super::python::{cx, exception};
use super::recorded::Item;
use super::store::{Store, field};
use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Fault, Value};

/// Whether items of `kind` have a parent of their own kind (distros ignore `parent`).
pub fn has_parents(kind: Kind) -> bool {
    kind != Kind::Distro
}

/// What cobblerd 3.3.10 answers for `modify_profile(handle, "parent", <own name>, token)`
/// (also for systems and images): `<class 'cobbler.cexceptions.CX'>:'self parentage is weird'`.
/// The fake gives the same answer for every other loop, which the real server accepts.
pub fn self_parentage() -> Fault {
    cx("self parentage is weird")
}

/// The real server's checks on a new `parent` for an item called `own_name`, in its order:
/// the type, the item itself, then existence (the message says "profile" for every kind).
/// Returns the value to store and the parent's depth; `None` for an empty parent (no parent).
pub fn check_parent(
    kind: Kind,
    own_name: &str,
    value: &Value,
    store: &Store,
) -> Result<Option<(String, Option<Value>)>, Fault> {
    let Value::String(parent) = value else {
        return Err(exception(
            "TypeError",
            "Property \"parent\" must be of type str!",
        ));
    };
    if parent.is_empty() {
        return Ok(None);
    }
    if parent == own_name {
        return Err(self_parentage());
    }
    let Some(found) = store.get(kind, parent) else {
        return Err(cx(format!(
            "profile \"{parent}\" not found, inheritance not possible"
        )));
    };
    let depth = match found.get("depth") {
        Some(Value::Integer(depth)) => Some(Value::Integer(depth.saturating_add(1))),
        _ => None,
    };
    Ok(Some((parent.clone(), depth)))
}

/// Whether following `parent` links from the item called `start` arrives at `target`
/// (`start == target` counts; an empty `start`, no parent, reaches nothing). With `renamed = Some((old, new))`, a link to `old` is read as a
/// link to `new`, as it will be once a rename has updated the references. Stops at a missing
/// item and never loops.
pub fn reaches(
    store: &Store,
    kind: Kind,
    start: &str,
    target: &str,
    renamed: Option<(&str, &str)>,
) -> bool {
    let mut seen = HashSet::new();
    let mut at = start;
    loop {
        if at.is_empty() {
            return false;
        }
        if let Some((old, new)) = renamed
            && at == old
        {
            at = new;
        }
        if at == target {
            return true;
        }
        if !seen.insert(at) {
            return false;
        }
        match store.get(kind, at) {
            Some(item) => at = field(item, "parent"),
            None => return false,
        }
    }
}

/// The topmost existing ancestor of `item` (the item itself without one): where cobblerd's
/// `get_conceptual_parent` looks for a profile's distro.
pub fn root<'a>(store: &'a Store, kind: Kind, item: &'a Item) -> &'a Item {
    let mut seen = HashSet::new();
    let mut at = item;
    loop {
        let next = field(at, "parent");
        if next.is_empty() || !seen.insert(next) {
            return at;
        }
        match store.get(kind, next) {
            Some(parent) => at = parent,
            None => return at,
        }
    }
}
