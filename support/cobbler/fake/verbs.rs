//! The verbs of cobblerd's item API and how method names spell them: per kind
//! (`new_distro`, `get_profiles_since`, …) and generic (`new_item(what, …)`, …).

use super::python::{cx, value_error};
use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::Fault;

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
    /// `get_<kinds>_since(mtime)`.
    Since,
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
        if let Some(kind) = rest
            .strip_suffix("_since")
            .and_then(|plural| Kind::ALL.into_iter().find(|k| k.plural() == plural))
        {
            return Some((Verb::Since, kind));
        }
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
        names.push(format!("get_{}_since", kind.plural()));
        names.push(format!("get_{kind}_as_rendered"));
    }
    names.extend(GENERIC.iter().map(|(name, _)| (*name).to_owned()));
    names
}

/// What cobblerd answers when a generic verb names no collection it has, per verb (each goes
/// through a different lookup).
pub fn unknown_collection(verb: Verb, what: &str) -> Fault {
    match verb {
        Verb::Find => value_error("what needs to be a valid collection if it is non empty!"),
        Verb::New => cx(format!("internal error, collection name is \"{what}\"")),
        _ => cx(format!(
            "internal error, collection name \"{what}\" not supported"
        )),
    }
}
