//! Setting one field of an item, with the real server's coercions and validation faults.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::interfaces::{delete_interface, modify_interfaces, rename_interface};
use super::options::{shell_words, string_to_dict};
use super::parents::check_parent;
use super::python::{cx, exception, none_has_no, py_repr, py_str, value_error};
use super::recorded::{self, Item};
use super::store::{Store, field as item_text};
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
const BOOLEAN_FIELDS: [&str; 11] = [
    "enable_ipxe",
    "enable_menu",
    "virt_auto_boot",
    "virt_pxe_boot",
    "netboot_enabled",
    "ipv6_autoconfiguration",
    "repos_enabled",
    "keep_updated",
    "mirror_locally",
    "is_dir",
    "is_definition",
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
        .map(|v| {
            let member = if *v == INHERIT {
                "INHERITED".to_owned()
            } else {
                v.to_uppercase()
            };
            format!("<{name}.{member}: '{v}'>")
        })
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
    if let Some(fault) = wrong_type(kind, field, value, item) {
        return Err(fault);
    }
    if let Some(stored) = by_setter(kind, field, value, item, store)? {
        item.insert(field.to_owned(), stored);
        return Ok(true);
    }
    match (kind, field) {
        (Kind::System, "modify_interface") => {
            modify_interfaces(item, value, store, saved)?;
            return Ok(true);
        }
        (Kind::System, "delete_interface") => {
            delete_interface(item, value)?;
            return Ok(true);
        }
        (Kind::System, "rename_interface") => {
            rename_interface(item, value)?;
            return Ok(true);
        }
        // cobblerd 3.3.10 logs "Setting the parent of a distribution is not supported" and
        // answers true.
        (Kind::Distro, "parent") => return Ok(true),
        _ => {}
    }
    let text = value.render();
    // The first group that has the field stores it (as the arms of one match would).
    let mut stored = scalar_field(kind, field, value, text.clone(), item)?;
    if stored.is_none() {
        stored = boot_field(kind, field, text.clone(), item)?;
    }
    if stored.is_none() {
        stored = reference_field(kind, field, value, text.clone(), item, store)?;
    }
    if stored.is_none() {
        stored = enum_field(kind, field, value, text)?;
    }
    let stored = match stored {
        Some(stored) => stored,
        None => match item.get(field) {
            None => return Ok(false),
            Some(current) => coerce(field, current, value)?,
        },
    };
    item.insert(field.to_owned(), stored);
    Ok(true)
}

/// The name, the virtual machine's numbers and the boolean fields as their setters store
/// them; `None` for another field.
fn scalar_field(
    kind: Kind,
    field: &str,
    value: &Value,
    text: String,
    item: &Item,
) -> Result<Option<Value>, Fault> {
    Ok(Some(match (kind, field) {
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
            // `input_boolean(str(value))`: only 1 of the numbers is true.
            Value::Integer(n) => Value::Boolean(*n == 1),
            other => Value::Boolean(truthy(&other.render())),
        },
        _ => return Ok(None),
    }))
}

/// What a distro or image boots: kernel, initrd, arch, breed, os_version, image type; `None`
/// for another field.
fn boot_field(kind: Kind, field: &str, text: String, item: &Item) -> Result<Option<Value>, Fault> {
    Ok(Some(match (kind, field) {
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
            // `validate_os_version`: without a breed (or a version) it is reset.
            if breed.is_empty() || text.is_empty() {
                return Ok(Some(Value::String(String::new())));
            }
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
        _ => return Ok(None),
    }))
}

/// The fields naming other items (distro, profile, parent, menu, repos) and the empty values
/// that inherit; `None` for another field.
fn reference_field(
    kind: Kind,
    field: &str,
    value: &Value,
    text: String,
    item: &mut Item,
    store: &Store,
) -> Result<Option<Value>, Fault> {
    Ok(Some(match (kind, field) {
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
            let sub = !item_text(item, "parent").is_empty();
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
        _ => return Ok(None),
    }))
}

/// The fields with a fixed set of values or a pattern (repo breed and arch, action, mirror
/// type, priority, class name, power type); `None` for another field.
fn enum_field(
    kind: Kind,
    field: &str,
    value: &Value,
    text: String,
) -> Result<Option<Value>, Fault> {
    Ok(Some(match (kind, field) {
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
        _ => return Ok(None),
    }))
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
        (Value::Struct(_), Value::String(s)) => {
            Value::Struct(string_to_dict(s).into_iter().collect())
        }
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

/// What cobblerd's setters make of a copy's fields (`make_clone` sets every field again): an
/// empty `virt_bridge` (of an image, a profile or an interface) and a sub-profile's empty
/// `filename` inherit.
pub fn as_copied(kind: Kind, item: &mut Item) {
    let empty = |item: &Item, key: &str| item.get(key).and_then(ValueExt::as_str) == Some("");
    if matches!(kind, Kind::Image | Kind::Profile) && empty(item, "virt_bridge") {
        item.insert("virt_bridge".into(), Value::String(INHERIT.into()));
    }
    if kind == Kind::Profile && empty(item, "filename") && !item_text(item, "parent").is_empty() {
        item.insert("filename".into(), Value::String(INHERIT.into()));
    }
}

/// The fault cobblerd's setter answers for a value of the wrong XML-RPC type, as recorded off
/// 3.3.10 (`recorded/field_faults.json`); `None` when the type is accepted (or is text, whose
/// checks are the code above).
fn wrong_type(kind: Kind, field: &str, value: &Value, item: &Item) -> Option<Fault> {
    if field == "modify_interface" {
        return None;
    }
    let class = match value {
        Value::Boolean(_) => "bool",
        Value::Integer(n) if *n < 0 => "negative",
        Value::Long(n) if *n < 0 => "negative",
        Value::Integer(_) | Value::Long(_) => "int",
        Value::Struct(_) => "dict",
        Value::Array(_) => "list",
        _ => return None,
    };
    let template = recorded::field_fault(kind.name(), field, class)?;
    let text = template
        .replace("{value}", &py_str(value))
        .replace("{name}", item_text(item, "name"));
    Some(Fault::new(1, text))
}

/// Fields cobblerd reads with `input_string_or_list` (text split as a shell would, `""` empty).
const LIST_FIELDS: [&str; 9] = [
    "owners",
    "mgmt_classes",
    "name_servers_search",
    "apt_components",
    "apt_dists",
    "rpm_list",
    "files",
    "packages",
    "boot_loaders",
];

/// Fields whose empty value inherits on a system (their setters turn `""` into `<<inherit>>`).
const SYSTEM_EMPTY_INHERITS: [&str; 3] = ["filename", "server", "virt_path"];

/// Virtualization types, as cobblerd's `VirtType` enum.
const VIRT_TYPES: [&str; 9] = [
    "<<inherit>>",
    "qemu",
    "kvm",
    "xenpv",
    "xenfv",
    "vmware",
    "vmwarew",
    "openvz",
    "auto",
];

/// Serial baud rates, as cobblerd's `BaudRates` enum members.
const BAUD_RATES: [&str; 16] = [
    "DISABLED", "B0", "B110", "B300", "B600", "B1200", "B2400", "B4800", "B9600", "B14400",
    "B19200", "B38400", "B57600", "B115200", "B128000", "B256000",
];

/// Disk drivers, as cobblerd's `VirtDiskDrivers` enum.
const DISK_DRIVERS: [&str; 6] = ["<<inherit>>", "raw", "qcow2", "qed", "vdi", "vdmk"];

/// The boot loaders a distro supports on x86 (`get_supported_distro_boot_loaders`).
const BOOT_LOADERS: [&str; 3] = ["grub", "pxe", "ipxe"];

/// The setters written from cobblerd 3.3.10's items and `validate.py` for values the general
/// rules below do not cover; `None` leaves the field to them.
fn by_setter(
    kind: Kind,
    field: &str,
    value: &Value,
    item: &Item,
    store: &Store,
) -> Result<Option<Value>, Fault> {
    // The first group that has the field answers (as the arms of one match would).
    if let Some(stored) = list_setter(kind, field, value, item)? {
        return Ok(stored);
    }
    if let Some(stored) = distro_setter(kind, field, value)? {
        return Ok(stored);
    }
    if let Some(stored) = reference_setter(kind, field, value, store)? {
        return Ok(stored);
    }
    if let Some(stored) = number_setter(kind, field, value)? {
        return Ok(stored);
    }
    Ok(None)
}

/// The comment, kept as given, and the list fields (boot loaders, name servers …): `Some(None)`
/// leaves the field to the general rules; `None` is another field.
fn list_setter(
    kind: Kind,
    field: &str,
    value: &Value,
    item: &Item,
) -> Result<Option<Option<Value>>, Fault> {
    let text = value.render();
    let is_text = matches!(value, Value::String(_));
    let inherit = is_text && text == INHERIT;
    Ok(Some(Some(match (kind, field) {
        // Any XML-RPC value is stored as it came.
        (_, "comment") | (Kind::Menu, "display_name") => value.clone(),
        // Emptied with "", not [].
        (Kind::Profile | Kind::System, "name_servers" | "name_servers_search")
            if is_text && text.is_empty() =>
        {
            Value::String(String::new())
        }
        (_, f) if LIST_FIELDS.contains(&f) && item.contains_key(f) => {
            if inherit && item.get(f).and_then(ValueExt::as_str) == Some(INHERIT) {
                return Ok(Some(Some(value.clone())));
            }
            let list = match value {
                Value::Array(items) => items.clone(),
                Value::String(s) if s.is_empty() || s == "delete" => Vec::new(),
                Value::String(s) => shell_words(s).into_iter().map(Value::String).collect(),
                _ => return Ok(Some(None)),
            };
            if f == "boot_loaders" {
                check_boot_loaders(kind, item, &list)?;
            }
            if f == "name_servers_search" {
                for name in &list {
                    let name = name.render();
                    if !HOSTNAME_RE.is_match(&name) {
                        return Err(value_error(format!("Invalid hostname format ({name})")));
                    }
                }
            }
            Value::Array(list)
        }
        (Kind::Profile | Kind::System, "name_servers")
            if is_text || matches!(value, Value::Array(_)) =>
        {
            let list: Vec<String> = match value {
                Value::Array(items) => items.iter().map(ValueExt::render).collect(),
                _ => shell_words(&text),
            };
            for address in &list {
                if address.parse::<std::net::IpAddr>().is_err() {
                    return Err(exception(
                        "netaddr.core.AddrFormatError",
                        format!(
                            "failed to detect a valid IP address from {}",
                            py_repr(address)
                        ),
                    ));
                }
            }
            Value::Array(list.into_iter().map(Value::String).collect())
        }
        _ => return Ok(None),
    })))
}

/// A distro's source repos, remote boot files, empty initrd and breed: `Some(None)` leaves the
/// field to the general rules; `None` is another field.
fn distro_setter(kind: Kind, field: &str, value: &Value) -> Result<Option<Option<Value>>, Fault> {
    let text = value.render();
    let is_text = matches!(value, Value::String(_));
    Ok(Some(Some(match (kind, field) {
        (Kind::Distro, "source_repos") if matches!(value, Value::Array(_)) => value.clone(),
        (Kind::Distro, "source_repos") => {
            return Err(exception(
                "TypeError",
                "Field source_repos in object distro needs to be of type list.",
            ));
        }
        (Kind::Distro, "remote_boot_kernel") if !is_text => {
            return Err(exception(
                "TypeError",
                "Field remote_boot_kernel of distro needs to be of type str!",
            ));
        }
        (Kind::Distro, "remote_boot_initrd") if !is_text => {
            return Err(exception(
                "TypeError",
                "remote_boot_initrd must be of type str!",
            ));
        }
        (Kind::Distro, "remote_boot_kernel" | "remote_boot_initrd") => {
            if text.is_empty() {
                Value::String(text)
            } else {
                check_remote_file(field, &text)?;
                Value::String(text)
            }
        }
        (Kind::Distro, "initrd") if is_text && text.is_empty() => {
            return Err(value_error("initrd not specified"));
        }
        (Kind::Distro | Kind::Image, "breed") if is_text && text.is_empty() => Value::String(text),
        _ => return Ok(None),
    })))
}

/// Virtualisation enums, next servers and gateway, a system's image and empty inherited
/// fields, an image's file: `Some(None)` leaves the field to the general rules; `None` is
/// another field.
fn reference_setter(
    kind: Kind,
    field: &str,
    value: &Value,
    store: &Store,
) -> Result<Option<Option<Value>>, Fault> {
    let text = value.render();
    let is_text = matches!(value, Value::String(_));
    let inherit = is_text && text == INHERIT;
    Ok(Some(Some(match (kind, field) {
        (Kind::Profile | Kind::System | Kind::Image, "virt_type") if is_text => {
            one_of(value, "VirtType", &VIRT_TYPES)?
        }
        (Kind::Profile | Kind::System | Kind::Image, "virt_disk_driver") if is_text => {
            one_of(value, "VirtDiskDrivers", &DISK_DRIVERS)?
        }
        (Kind::Profile | Kind::System, "next_server_v4") | (Kind::System, "gateway")
            if is_text && !inherit && !text.is_empty() =>
        {
            if text.parse::<std::net::Ipv4Addr>().is_err() {
                return Err(exception(
                    "ipaddress.AddressValueError",
                    format!("Invalid IPv4 address format ({text})"),
                ));
            }
            Value::String(text)
        }
        (Kind::Profile | Kind::System, "next_server_v6")
            if is_text && !inherit && !text.is_empty() =>
        {
            if text.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(exception(
                    "ipaddress.AddressValueError",
                    format!("Invalid IPv6 address format ({text})"),
                ));
            }
            Value::String(text)
        }
        (Kind::System, f) if is_text && text.is_empty() && SYSTEM_EMPTY_INHERITS.contains(&f) => {
            Value::String(INHERIT.to_owned())
        }
        (Kind::System, "image") if is_text => {
            if !text.is_empty() && store.get(Kind::Image, &text).is_none() {
                return Err(value_error(format!(
                    "Image with the name \"{text}\" is not existing"
                )));
            }
            Value::String(text)
        }
        (Kind::Image, "file") if is_text && !text.is_empty() => {
            check_image_file(&text)?;
            Value::String(text)
        }
        _ => return Ok(None),
    })))
}

/// Serial console, network count, virtual disk size given as a boolean, management
/// parameters given as text: `Some(None)` leaves the field to the general rules; `None` is
/// another field.
fn number_setter(kind: Kind, field: &str, value: &Value) -> Result<Option<Option<Value>>, Fault> {
    let text = value.render();
    let is_text = matches!(value, Value::String(_));
    let inherit = is_text && text == INHERIT;
    Ok(Some(Some(match (kind, field) {
        (Kind::System, "serial_device") => match value {
            Value::Boolean(b) => Value::Integer(i32::from(*b)),
            Value::String(s) if s.trim().parse::<i32>().is_err() => {
                return Err(exception(
                    "TypeError",
                    "serial_device needs to be an integer",
                ));
            }
            _ => return Ok(Some(None)),
        },
        (Kind::System, "serial_baud_rate") if is_text && text.trim().parse::<i32>().is_err() => {
            return Err(value_error(format!(
                "vtype choices include: [{}]",
                BAUD_RATES
                    .iter()
                    .map(|b| format!("'BaudRates.{b}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        (Kind::Image, "network_count") if is_text => match text.trim() {
            "" => Value::Integer(1),
            t => match t.parse::<i32>() {
                Ok(n) => Value::Integer(n),
                Err(_) => {
                    return Err(exception(
                        "TypeError",
                        "Field network_count of object image needs to be of type int.",
                    ));
                }
            },
        },
        (_, "virt_file_size") if matches!(value, Value::Boolean(_)) => {
            Value::Double(if value.as_bool() == Some(true) {
                1.0
            } else {
                0.0
            })
        }
        (_, "mgmt_parameters") if is_text => {
            if inherit {
                value.clone()
            } else if text.trim().is_empty() {
                Value::Struct(Default::default())
            } else if !text.contains(':') {
                return Err(exception(
                    "TypeError",
                    "Input YAML in Puppet Parameter field must evaluate to a dictionary.",
                ));
            } else {
                return Err(super::not_faked::not_faked(
                    "YAML mappings given as text in mgmt_parameters (give a struct)",
                ));
            }
        }
        _ => return Ok(None),
    })))
}

/// What a hostname may be (cobblerd's `validate.hostname`: RFC 1123 labels).
static HOSTNAME_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$")
        .expect("hostname pattern compiles")
});

/// Each boot loader must be one the item's chain supports, with each kind's own wording.
fn check_boot_loaders(kind: Kind, item: &Item, list: &[Value]) -> Result<(), Fault> {
    let given: Vec<String> = list.iter().map(ValueExt::render).collect();
    if given.iter().all(|l| BOOT_LOADERS.contains(&l.as_str())) {
        return Ok(());
    }
    let name = item_text(item, "name");
    let quoted = |items: &[&str]| {
        format!(
            "[{}]",
            items
                .iter()
                .map(|i| format!("'{i}'"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let given_refs: Vec<&str> = given.iter().map(String::as_str).collect();
    Err(match kind {
        Kind::Distro => value_error(format!(
            "Invalid boot loader names: {}. Supported boot loaders are: {}",
            quoted(&given_refs),
            BOOT_LOADERS.join(" ")
        )),
        Kind::Image => value_error(format!(
            "Error with image {name} - not all boot_loaders {} are supported {}",
            quoted(&given_refs),
            quoted(&BOOT_LOADERS)
        )),
        _ => cx(format!(
            "Error with {kind} \"{name}\" - not all boot_loaders are supported (given: \"{}\"; supported:\"{}\")",
            quoted(&given_refs),
            quoted(&BOOT_LOADERS)
        )),
    })
}

/// `validate.validate_boot_remote_file`: tftp or http, and a host that is an IP address.
fn check_remote_file(field: &str, url: &str) -> Result<(), Fault> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(value_error(format!(
            "{field} needs to be a valid URL starting with tftp or http!"
        )));
    };
    if !matches!(scheme, "tftp" | "http") {
        return Err(value_error(format!(
            "{field} needs to be a valid URL starting with tftp or http!"
        )));
    }
    let host = rest.split('/').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    if host.parse::<std::net::IpAddr>().is_err() {
        return Err(value_error(format!(
            "Invalid remote file format {url}\n{host} is not a valid IP address"
        )));
    }
    Ok(())
}

/// An image's `file`: no protocol, and a path (after an optional `user@host:`) from the root.
fn check_image_file(file: &str) -> Result<(), Fault> {
    if file.contains("://") {
        return Err(exception(
            "SyntaxError",
            "Invalid image file path location, it should not contain a protocol",
        ));
    }
    let rest = file.rsplit_once('@').map_or(file, |(_, r)| r);
    let path = match rest.split_once(':') {
        Some((_, path)) => path,
        None if !rest.starts_with('/') => {
            return Err(exception("SyntaxError", format!("invalid file: {rest}")));
        }
        None => rest,
    };
    if !path.is_empty() && !path.starts_with('/') {
        return Err(exception(
            "SyntaxError",
            format!("file contains an invalid path: {path}"),
        ));
    }
    Ok(())
}
