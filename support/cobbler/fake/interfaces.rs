//! `modify_system(handle, "modify_interface", {"macaddress-eth0": …}, token)`, and the
//! `delete_interface` and `rename_interface` attributes of `modify_system`.

use std::net::Ipv4Addr;
use std::sync::LazyLock;

use regex::RegexSet;

use super::python::{exception, value_error};
use super::recorded::{Item, default_interface, is_interface_field};
use super::store::Store;
use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Fault, Value, ValueExt};

/// The interface fields that other systems may not share, with the name Cobbler's fault uses.
const UNIQUE_FIELDS: [(&str, &str); 3] = [
    ("mac_address", "MAC address"),
    ("ip_address", "IP address"),
    ("dns_name", "DNS name"),
];

/// Applies `changes` (keys `field-interface`) to the `interfaces` of `system`.
///
/// A system that is not saved yet conflicts even with a saved system of its own name (cobblerd
/// looks the owner up by name); a saved one does not conflict with itself. Each interface named
/// is created before its value is checked, so a refused value still leaves the interface (with
/// empty fields), as on the real server.
pub fn modify_interfaces(
    system: &mut Item,
    changes: &Value,
    store: &Store,
    saved: bool,
) -> Result<(), Fault> {
    let Some(changes) = changes.as_struct() else {
        return Err(exception(
            "AttributeError",
            format!("'{}' object has no attribute 'keys'", py_type(changes)),
        ));
    };
    let own_name = system.get("name").map(ValueExt::render).unwrap_or_default();
    let mut interfaces = system
        .get("interfaces")
        .and_then(ValueExt::as_struct)
        .cloned()
        .unwrap_or_default();
    let result = apply(&mut interfaces, changes, store, &own_name, saved);
    system.insert("interfaces".to_owned(), Value::Struct(interfaces));
    result
}

/// `modify_system(handle, "delete_interface", name, token)` (cobblerd's
/// `System.delete_interface`): a name (`""` deletes nothing) or `{"interface": name}`.
pub fn delete_interface(system: &mut Item, name: &Value) -> Result<(), Fault> {
    let mut interfaces = interfaces_of(system);
    match name {
        Value::String(name) if name.is_empty() => return Ok(()),
        Value::String(name) if interfaces.remove(name).is_some() => {}
        Value::Struct(given) => {
            let name = given
                .get("interface")
                .map(ValueExt::render)
                .unwrap_or_default();
            if interfaces.remove(&name).is_none() {
                return Err(exception("KeyError", format!("'{name}'")));
            }
        }
        _ => {
            return Err(exception(
                "TypeError",
                "The name of the interface must be of type str or dict",
            ));
        }
    }
    system.insert("interfaces".to_owned(), Value::Struct(interfaces));
    Ok(())
}

/// `modify_system(handle, "rename_interface", {"interface": old, "rename_interface": new},
/// token)` (cobblerd's `System.rename_interface`).
pub fn rename_interface(system: &mut Item, names: &Value) -> Result<(), Fault> {
    let Some(names) = names.as_struct() else {
        return Err(exception(
            "AttributeError",
            format!("'{}' object has no attribute 'get'", py_type(names)),
        ));
    };
    let empty = Value::String(String::new());
    let name_of = |key: &str, which: &str| match names.get(key).unwrap_or(&empty) {
        Value::String(name) => Ok(name.clone()),
        _ => Err(exception(
            "TypeError",
            format!("The {which} of the interface must be of type str"),
        )),
    };
    let (old, new) = (
        name_of("interface", "old_name")?,
        name_of("rename_interface", "new_name")?,
    );
    let mut interfaces = interfaces_of(system);
    if interfaces.contains_key(&new) && interfaces.contains_key(&old) {
        return Err(value_error(format!("Interface \"{new}\" already exists")));
    }
    let Some(fields) = interfaces.remove(&old) else {
        return Err(value_error(format!("Interface \"{old}\" does not exist")));
    };
    interfaces.insert(new, fields);
    system.insert("interfaces".to_owned(), Value::Struct(interfaces));
    Ok(())
}

fn interfaces_of(system: &Item) -> std::collections::BTreeMap<String, Value> {
    system
        .get("interfaces")
        .and_then(ValueExt::as_struct)
        .cloned()
        .unwrap_or_default()
}

fn apply(
    interfaces: &mut std::collections::BTreeMap<String, Value>,
    changes: &std::collections::BTreeMap<String, Value>,
    store: &Store,
    own_name: &str,
    saved: bool,
) -> Result<(), Fault> {
    for (key, value) in changes {
        let Some((field, interface)) = key.split_once('-') else {
            continue;
        };
        let Some(field) = interface_field(field) else {
            continue;
        };
        interfaces
            .entry(interface.to_owned())
            .or_insert_with(|| Value::Struct(default_interface()));
        let text = value.render();
        let stored = match field.as_str() {
            "mac_address" => Value::String(normalise_mac(&text)?),
            "ip_address" | "netmask" | "if_gateway" => {
                if !text.is_empty() && text.parse::<Ipv4Addr>().is_err() {
                    return Err(exception(
                        "ipaddress.AddressValueError",
                        format!("Invalid IPv4 address format ({text})"),
                    ));
                }
                Value::String(text)
            }
            _ => value.clone(),
        };
        if let Some((_, label)) = UNIQUE_FIELDS.iter().find(|(f, _)| *f == field)
            && let Some(owner) = owner_of(store, saved.then_some(own_name), &field, &stored)
        {
            return Err(value_error(format!(
                "{label} duplicate found \"{}\". Object with the conflict has the name \"{owner}\"",
                stored.render()
            )));
        }
        let entry = interfaces
            .entry(interface.to_owned())
            .or_insert_with(|| Value::Struct(default_interface()));
        if let Value::Struct(fields) = entry {
            fields.insert(field, stored);
        }
    }
    Ok(())
}

/// The stored interface field a `modify_interface` key names, if the interface has it.
fn interface_field(key: &str) -> Option<String> {
    let field = match key {
        "macaddress" => "mac_address",
        "ipaddress" => "ip_address",
        "dnsname" => "dns_name",
        other => other,
    };
    is_interface_field(field).then(|| field.to_owned())
}

/// The MAC formats `netaddr.valid_mac` accepts (netaddr's `RE_MAC_FORMATS`, lower case).
static MAC_FORMATS: LazyLock<RegexSet> = LazyLock::new(|| {
    let h = |n: &str| format!("[0-9a-f]{{{n}}}");
    let joined =
        |part: String, sep: &str, count: usize| format!("^{}$", vec![part; count].join(sep));
    RegexSet::new([
        joined(h("1,2"), ":", 6),
        joined(h("1,2"), "-", 6),
        joined(h("1,4"), ":", 3),
        joined(h("1,4"), "-", 3),
        joined(h("1,4"), r"\.", 3),
        joined(h("5,6"), "-", 2),
        joined(h("5,6"), ":", 2),
        format!("^{}$", h("12")),
        format!("^{}$", h("11")),
    ])
    .expect("MAC patterns compile")
});

/// A MAC address as cobblerd's `validate.mac_address` keeps it: lower-cased and stripped, in
/// whatever format netaddr accepts (not rewritten to colons); `random` and `""` as they are.
fn normalise_mac(text: &str) -> Result<String, Fault> {
    let mac = text.trim().to_lowercase();
    if mac.is_empty() || mac == "random" || MAC_FORMATS.is_match(&mac) {
        Ok(mac)
    } else {
        Err(value_error(format!("Invalid mac address format ({mac})")))
    }
}

/// A stored system (other than `own_name`) with an interface whose `field` equals `value`.
fn owner_of(store: &Store, own_name: Option<&str>, field: &str, value: &Value) -> Option<String> {
    if value.render().is_empty() {
        return None;
    }
    store
        .items(Kind::System)
        .filter(|(name, _)| Some(*name) != own_name)
        .find(|(_, item)| {
            item.get("interfaces")
                .and_then(ValueExt::as_struct)
                .is_some_and(|ifaces| {
                    ifaces.values().any(|iface| {
                        iface
                            .as_struct()
                            .and_then(|f| f.get(field))
                            .is_some_and(|v| v == value)
                    })
                })
        })
        .map(|(name, _)| name.to_owned())
}

/// Python's type name of a value, for messages.
fn py_type(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "str",
        Value::Integer(_) | Value::Long(_) => "int",
        Value::Boolean(_) => "bool",
        Value::Array(_) => "list",
        Value::Double(_) => "float",
        _ => "object",
    }
}
