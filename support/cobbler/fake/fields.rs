//! Setting one field of an item, with the real server's coercions and validation faults.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::interfaces::modify_interfaces;
use super::parents::check_parent;
use super::python::{cx, exception, none_has_no, py_str, value_error};
use super::recorded::{self, Item};
use super::store::Store;
use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Fault, Value, ValueExt};

/// Cobbler 3.3's kernel file name pattern, matched (Python `re.match`) at the start of the
/// file's base name.
const KERNEL_PATTERN: &str =
    r"(vmlinu[xz]|(kernel|linux(\.img)?)|pxeboot\.n12|wimboot|mboot\.c32|.+\.kernel)";

/// Cobbler's `RE_OBJECT_NAME`: what a name may hold.
static NAME_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-zA-Z0-9_\-.:]*$").expect("name pattern compiles"));

/// The magic value of a field that takes its parent's.
const INHERIT: &str = "<<inherit>>";

/// Fields cobblerd turns into booleans with `input_boolean` (`yes`, `on`, `1` … are true).
const BOOLEAN_FIELDS: [&str; 7] = [
    "enable_ipxe",
    "enable_menu",
    "virt_auto_boot",
    "virt_pxe_boot",
    "netboot_enabled",
    "ipv6_autoconfiguration",
    "repos_enabled",
];

static KERNEL_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^{KERNEL_PATTERN}")).expect("kernel pattern compiles"));

/// Architectures, in the order of Cobbler's `Archs` enum.
pub const ARCHES: [&str; 11] = [
    "i386", "x86_64", "ia64", "ppc", "ppc64", "ppc64le", "ppc64el", "s390", "s390x", "arm",
    "aarch64",
];

/// Breeds, in the order of Cobbler's message.
pub const BREEDS: [&str; 11] = [
    "redhat", "debian", "ubuntu", "suse", "vmware", "freebsd", "xen", "unix", "windows",
    "powerkvm", "generic",
];

/// Repo breeds, in the order of Cobbler's `RepoBreeds` enum.
const REPO_BREEDS: [&str; 6] = ["none", "rsync", "rhn", "yum", "apt", "wget"];

/// Repo architectures, in the order of Cobbler's `RepoArchs` enum.
const REPO_ARCHS: [&str; 13] = [
    "none", "i386", "x86_64", "ia64", "ppc", "ppc64", "ppc64le", "ppc64el", "s390", "arm",
    "aarch64", "noarch", "src",
];

/// Repo mirror types (`MirrorType` values).
const MIRROR_TYPES: [&str; 3] = ["metalink", "mirrorlist", "baseurl"];

/// What a management class name may hold (cobblerd's `mgmtclass.class_name` setter).
static CLASS_NAME_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\w\-.:+]*$").expect("class name pattern compiles"));

/// An enum field: one of `values` (lower-cased as Cobbler's `to_enum` does), or the real
/// server's fault that lists the enum `name`'s members.
fn one_of(value: &Value, name: &str, values: &[&str]) -> Result<Value, Fault> {
    let Value::String(text) = value else {
        return Err(exception(
            "TypeError",
            format!("{} must be a str or Enum", py_str(value)),
        ));
    };
    let lower = text.to_lowercase();
    if values.contains(&lower.as_str()) {
        return Ok(Value::String(lower));
    }
    let members = values
        .iter()
        .map(|v| format!("<{name}.{}: '{v}'>", v.to_uppercase()))
        .collect::<Vec<_>>()
        .join(", ");
    Err(value_error(format!("{text} must be one of [{members}]")))
}

/// Image types, as Cobbler's `ImageTypes` enum values.
const IMAGE_TYPES: [&str; 4] = ["direct", "iso", "memdisk", "virt-clone"];

/// Sets `field` of `item` (a detached copy) to `value`. `Ok(false)` is the real server's answer
/// for a field the kind does not have.
pub fn set_field(
    kind: Kind,
    item: &mut Item,
    field: &str,
    value: &Value,
    store: &Store,
    saved: bool,
) -> Result<bool, Fault> {
    let text = value.render();
    let stored = match (kind, field) {
        (Kind::System, "modify_interface") => {
            modify_interfaces(item, value, store, saved)?;
            return Ok(true);
        }
        (_, "name") => {
            if !NAME_RE.is_match(&text) {
                return Err(value_error(format!("Invalid characters in name: '{text}'")));
            }
            Value::String(text)
        }
        (_, "virt_ram" | "virt_cpus") if item.contains_key(field) => whole_number(field, value)?,
        (_, "virt_file_size") if item.contains_key(field) => size_in_gb(value)?,
        (_, f) if BOOLEAN_FIELDS.contains(&f) && item.contains_key(field) => match value {
            Value::String(s) if s == INHERIT => value.clone(),
            Value::Boolean(_) => value.clone(),
            Value::Integer(n) => Value::Boolean(*n != 0),
            other => Value::Boolean(truthy(&other.render())),
        },
        (Kind::Distro, "kernel") => Value::String(check_kernel(&text)?),
        (Kind::Distro, "initrd") => {
            if !Path::new(&text).is_file() {
                return Err(value_error("initrd not found"));
            }
            Value::String(text)
        }
        (Kind::Distro | Kind::Image, "arch") => {
            let arch = text.to_lowercase();
            if !ARCHES.contains(&arch.as_str()) {
                return Err(value_error(format!(
                    "{text} must be one of [{}]",
                    arch_list()
                )));
            }
            Value::String(arch)
        }
        (Kind::Distro | Kind::Image, "breed") => {
            let breed = text.to_lowercase();
            if !BREEDS.contains(&breed.as_str()) {
                return Err(value_error(format!(
                    "Invalid value for breed (\"{text}\"). Must be one of {}, different breeds have different levels of support!",
                    BREEDS.join(", ")
                )));
            }
            Value::String(breed)
        }
        (Kind::Distro | Kind::Image, "os_version") => {
            let breed = item.get("breed").map(ValueExt::render).unwrap_or_default();
            if let Some(versions) = recorded::os_versions(&breed)
                && !versions.contains(&text)
            {
                return Err(value_error(format!(
                    "os_version for breed \"{breed}\" must be one of {}, given was \"{text}\"",
                    versions.join(", ")
                )));
            }
            Value::String(text)
        }
        (Kind::Image, "image_type") => {
            if !IMAGE_TYPES.contains(&text.as_str()) {
                return Err(value_error(
                    "image_type choices include: ['ImageTypes.DIRECT', 'ImageTypes.ISO', 'ImageTypes.MEMDISK', 'ImageTypes.VIRT_CLONE']",
                ));
            }
            Value::String(text)
        }
        (Kind::Profile, "distro") => {
            if !text.is_empty() && store.get(Kind::Distro, &text).is_none() {
                return Err(value_error(format!("distribution \"{text}\" not found")));
            }
            Value::String(text)
        }
        (Kind::System, "profile") => {
            if !text.is_empty() && store.get(Kind::Profile, &text).is_none() {
                return Err(value_error(format!(
                    "Profile with the name \"{text}\" is not existing"
                )));
            }
            Value::String(text)
        }
        // cobblerd 3.3.10 logs "Setting the parent of a distribution is not supported" and
        // answers true.
        (Kind::Distro, "parent") => return Ok(true),
        (kind, "parent") if kind != Kind::Distro => {
            let own_name = item.get("name").map(ValueExt::render).unwrap_or_default();
            match check_parent(kind, &own_name, value, store)? {
                None => Value::String(String::new()),
                Some((parent, depth)) => {
                    if let Some(depth) = depth {
                        item.insert("depth".to_owned(), depth);
                    }
                    Value::String(parent)
                }
            }
        }
        // `validate_virt_bridge`: an empty bridge inherits.
        (Kind::Profile | Kind::Image, "virt_bridge") if matches!(value, Value::String(_)) => {
            Value::String(if text.is_empty() {
                INHERIT.to_owned()
            } else {
                text
            })
        }
        // An empty filename inherits in a sub-profile, and is empty otherwise.
        (Kind::Profile, "filename") if matches!(value, Value::String(_)) => {
            let sub = !field_text(item, "parent").is_empty();
            Value::String(match text.as_str() {
                "" | INHERIT if sub => INHERIT.to_owned(),
                INHERIT => String::new(),
                _ => text,
            })
        }
        (Kind::Profile | Kind::Image, "menu") => {
            if !text.is_empty() && store.get(Kind::Menu, &text).is_none() {
                return Err(cx(format!("menu {text} not found")));
            }
            Value::String(text)
        }
        (Kind::Profile, "repos") => {
            let names: Vec<String> = match value {
                Value::Array(items) => items.iter().map(ValueExt::render).collect(),
                other => other
                    .render()
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
            };
            if let Some(missing) = names.iter().find(|n| store.get(Kind::Repo, n).is_none()) {
                return Err(value_error(format!("repo {missing} is not defined")));
            }
            Value::Array(names.into_iter().map(Value::String).collect())
        }
        (Kind::Repo, "breed") => one_of(value, "RepoBreeds", &REPO_BREEDS)?,
        (Kind::Repo, "arch") => one_of(value, "RepoArchs", &REPO_ARCHS)?,
        (Kind::File | Kind::Package, "action") => {
            one_of(value, "ResourceAction", &["create", "remove"])?
        }
        (Kind::Repo, "mirror_type") => {
            if !MIRROR_TYPES.contains(&text.as_str()) {
                return Err(value_error(
                    "mirror_type choices include: ['MirrorType.METALINK', 'MirrorType.MIRRORLIST', 'MirrorType.BASEURL']",
                ));
            }
            Value::String(text)
        }
        (Kind::Repo, "priority") => match value {
            Value::Integer(n) if (0..=99).contains(n) => Value::Integer(*n),
            Value::Boolean(b) => Value::Boolean(*b),
            Value::Integer(_) => {
                return Err(value_error(
                    "Repository priority must be between 0 and 99 (inclusive)!",
                ));
            }
            _ => {
                return Err(exception(
                    "TypeError",
                    "Repository priority must be of type int.",
                ));
            }
        },
        (Kind::Mgmtclass, "class_name") => {
            let Value::String(class) = value else {
                return Err(exception("TypeError", "class name must be a string"));
            };
            if !CLASS_NAME_RE.is_match(class) {
                return Err(value_error(format!(
                    "invalid characters in class name: '{class}'"
                )));
            }
            value.clone()
        }
        (Kind::System, "power_type") => {
            if !text.is_empty() && !recorded::power_types().contains(&text) {
                return Err(cx(format!(
                    "power management type must be one of: {}",
                    recorded::power_types().join(",")
                )));
            }
            Value::String(text)
        }
        _ => match item.get(field) {
            None => return Ok(false),
            Some(current) => coerce(field, current, value)?,
        },
    };
    item.insert(field.to_owned(), stored);
    Ok(true)
}

/// `<Archs.I386: 'i386'>, <Archs.X86_64: 'x86_64'>, …` as in Cobbler's message.
fn arch_list() -> String {
    ARCHES
        .iter()
        .map(|a| format!("<Archs.{}: '{a}'>", a.to_uppercase()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The kernel must be a file on the server whose base name matches [`KERNEL_PATTERN`].
fn check_kernel(path: &str) -> Result<String, Fault> {
    let file = Path::new(path);
    if file.is_dir() {
        // cobblerd finds no file, then reads `.groups()` of a failed match.
        return Err(none_has_no("groups"));
    }
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if file.is_file() && KERNEL_RE.is_match(name) {
        Ok(path.to_owned())
    } else {
        Err(value_error(format!(
            "kernel not found or it does not match with allowed kernel filename pattern [{KERNEL_PATTERN}]: {path}."
        )))
    }
}

/// `virt_ram` and `virt_cpus`: a whole number of at least 0, given as a number or as text
/// (`""` is 0), or `<<inherit>>` (cobblerd's `validate_virt_ram`, `validate_virt_cpus`).
fn whole_number(field: &str, value: &Value) -> Result<Value, Fault> {
    let number = match value {
        Value::String(s) if s == INHERIT => return Ok(value.clone()),
        Value::String(s) if s.is_empty() => 0,
        Value::String(s) => s
            .parse::<i64>()
            .map_err(|_| exception("TypeError", format!("{field} needs to be an integer")))?,
        Value::Integer(n) => i64::from(*n),
        Value::Long(n) => *n,
        Value::Boolean(b) => i64::from(*b),
        _ => {
            return Err(exception(
                "TypeError",
                format!("{field} must be of type int or the str '<<inherit>>'!"),
            ));
        }
    };
    if number < 0 {
        return Err(value_error(if field == "virt_ram" {
            "The virt_ram needs to have a value greater or equal to zero. Zero means default RAM."
                .to_owned()
        } else {
            format!("{field} needs to be 0 or greater")
        }));
    }
    Ok(i32::try_from(number).map_or(Value::Long(number), Value::Integer))
}

/// `virt_file_size`: gigabytes as a float of at least 0 (`""` is 0), or `<<inherit>>`.
fn size_in_gb(value: &Value) -> Result<Value, Fault> {
    let size = match value {
        Value::String(s) if s == INHERIT => return Ok(value.clone()),
        Value::String(s) if s.is_empty() => return Ok(Value::Integer(0)),
        Value::String(s) => s
            .parse::<f64>()
            .map_err(|_| exception("TypeError", "virt_file_size needs to be a float"))?,
        Value::Integer(n) => f64::from(*n),
        Value::Double(d) => *d,
        _ => return Err(exception("TypeError", "virt_file_size needs to be a float")),
    };
    if size < 0.0 {
        return Err(value_error(format!("invalid virt_file_size ({size:?})")));
    }
    Ok(Value::Double(size))
}

/// Converts `value` to the type of the field's default, as Cobbler's `input_*` helpers do.
fn coerce(field: &str, current: &Value, value: &Value) -> Result<Value, Fault> {
    if matches!(value, Value::String(s) if s == "<<inherit>>") {
        return Ok(value.clone());
    }
    let target = match current {
        Value::String(s) if s == "<<inherit>>" => recorded::typed_default(field).unwrap_or(current),
        other => other,
    };
    Ok(match (target, value) {
        (Value::Boolean(_), Value::String(s)) => Value::Boolean(truthy(s)),
        (Value::Boolean(_), Value::Integer(n)) => Value::Boolean(*n != 0),
        (Value::Integer(_), Value::String(s)) => match s.trim().parse::<i32>() {
            Ok(n) => Value::Integer(n),
            Err(_) => {
                return Err(value_error(format!(
                    "invalid literal for int() with base 10: '{s}'"
                )));
            }
        },
        (Value::Double(_), Value::String(s)) => match s.trim().parse::<f64>() {
            Ok(d) => Value::Double(d),
            Err(_) => {
                return Err(value_error(format!(
                    "could not convert string to float: '{s}'"
                )));
            }
        },
        (Value::Array(_), Value::String(s)) => Value::Array(
            s.split_whitespace()
                .map(|w| Value::String(w.to_owned()))
                .collect(),
        ),
        (Value::Struct(_), Value::String(s)) => Value::Struct(
            s.split_whitespace()
                // A key without a value reads back as `~` (cobblerd's None over XML-RPC).
                .map(|pair| match pair.split_once('=') {
                    Some((k, v)) => (k.to_owned(), Value::String(v.to_owned())),
                    None => (pair.to_owned(), Value::String("~".to_owned())),
                })
                .collect(),
        ),
        (Value::Struct(_), Value::Struct(_)) | (Value::Array(_), Value::Array(_)) => value.clone(),
        (_, Value::Struct(_) | Value::Array(_)) => {
            return Err(exception(
                "TypeError",
                format!("{field}: unexpected {}", value.type_name()),
            ));
        }
        (_, other) => other.clone(),
    })
}

/// Cobbler's `input_boolean`.
pub fn truthy(text: &str) -> bool {
    matches!(
        text.trim().to_lowercase().as_str(),
        "true" | "1" | "on" | "yes" | "y"
    )
}

/// The text of `item`'s `name` field, `""` when absent.
fn field_text<'a>(item: &'a Item, name: &str) -> &'a str {
    item.get(name).and_then(ValueExt::as_str).unwrap_or("")
}

/// What cobblerd's setters make of a copy's fields (`make_clone` sets every field again): an
/// empty `virt_bridge` (of an image, a profile or an interface) and a sub-profile's empty
/// `filename` inherit.
pub fn as_copied(kind: Kind, item: &mut Item) {
    let empty = |item: &Item, key: &str| item.get(key).and_then(ValueExt::as_str) == Some("");
    if matches!(kind, Kind::Image | Kind::Profile) && empty(item, "virt_bridge") {
        item.insert("virt_bridge".into(), Value::String(INHERIT.into()));
    }
    if kind == Kind::Profile && empty(item, "filename") && !field_text(item, "parent").is_empty() {
        item.insert("filename".into(), Value::String(INHERIT.into()));
    }
}
