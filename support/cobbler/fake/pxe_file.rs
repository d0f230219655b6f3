//! The PXE file of a system with netboot enabled, as `get_system_as_rendered` shows it under
//! `pxelinux.cfg` (cobblerd's `tftpgen.write_pxe_file` with the stock `pxe.template` and
//! `build_kernel_options`), for what provspec's systems are: a Red Hat (or breed-less) x86
//! distro with local kernel and initrd, no serial console. Anything else faults `not_faked`.

use indexmap::IndexMap;

use super::cheetah::python_str;
use super::not_faked::not_faked;
use super::options::dict_to_string;
use super::parents::root;
use super::recorded::Item;
use super::store::{Store, field};
use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Fault, Value, ValueExt};

/// The Red Hat releases whose installer takes `kssendmac ks=` instead of `inst.ks=`.
const OLD_ANACONDA: [&str; 4] = ["rhel4", "rhel5", "rhel6", "fedora16"];

/// The PXE file of `system`, netboot enabled, from its blended data (dicts kept as dicts).
pub fn netboot_pxe_file(
    store: &Store,
    system: &Item,
    blended: &IndexMap<String, Value>,
) -> Result<String, Fault> {
    let distro =
        distro_of(store, system).ok_or_else(|| unsupported("a system without a distro"))?;
    check_supported(system, distro, blended)?;
    let name = field(system, "name");
    let images = format!("/images/{}", field(distro, "name"));
    let kernel = format!("{images}/{}", base_name(field(distro, "kernel")));
    let initrd = format!("{images}/{}", base_name(field(distro, "initrd")));
    let options = kernel_options(store, distro, name, blended);
    Ok(format!(
        "timeout 1\nprompt 0\ndefault {name}\nontimeout {name}\nLABEL {name}\n\tMENU LABEL {name}\n\
         \tkernel {kernel}\n\tappend initrd={initrd}{options}\n\tipappend 2\n"
    ))
}

/// `build_kernel_options` for a Red Hat or breed-less distro: the kernel options, then where
/// the installer finds its autoinstall file.
fn kernel_options(
    store: &Store,
    distro: &Item,
    name: &str,
    blended: &IndexMap<String, Value>,
) -> String {
    let options = blended
        .get("kernel_options")
        .map(|o| dict_to_string(o, store.dict_orders()))
        .unwrap_or_default();
    let mut line = format!(" {options}");
    let autoinstall = blended
        .get("autoinstall")
        .map(python_str)
        .unwrap_or_default();
    if autoinstall.is_empty() || field(distro, "breed") != "redhat" {
        return line;
    }
    let url = if autoinstall.contains("://") {
        autoinstall
    } else {
        let server = blended
            .get("http_server")
            .map(python_str)
            .unwrap_or_default();
        format!("http://{server}/cblr/svc/op/autoinstall/system/{name}")
    };
    if OLD_ANACONDA.contains(&field(distro, "os_version")) {
        line.push_str(&format!(" kssendmac ks={url}"));
    } else {
        line.push_str(&format!(" inst.ks.sendmac inst.ks={url}"));
    }
    if blended.get("enable_ipxe").and_then(ValueExt::as_bool) == Some(true) {
        line = line.replace("ksdevice=bootif", "ksdevice=${net0/mac}");
    }
    line
}

/// True when `convert_server_to_ip` leaves `http_server` as it is: an address, or one with a
/// port, which `gethostbyname_ex` cannot resolve either; a name would be resolved.
fn server_stays(blended: &IndexMap<String, Value>) -> bool {
    let server = blended
        .get("http_server")
        .map(python_str)
        .unwrap_or_default();
    server.contains(':') || server.parse::<std::net::IpAddr>().is_ok()
}

/// What the fake does not follow of `write_pxe_file`: it says so rather than answer otherwise.
fn check_supported(
    system: &Item,
    distro: &Item,
    blended: &IndexMap<String, Value>,
) -> Result<(), Fault> {
    let on = |key: &str| blended.get(key).and_then(ValueExt::as_bool) == Some(true);
    let number = |key: &str| match system.get(key) {
        Some(Value::Integer(n)) => i64::from(*n),
        Some(Value::Long(n)) => *n,
        _ => -1,
    };
    let has = |dict: &str, key: &str| {
        blended
            .get(dict)
            .and_then(ValueExt::as_struct)
            .is_some_and(|d| d.contains_key(key))
    };
    let pxe = blended
        .get("boot_loaders")
        .and_then(ValueExt::as_array)
        .is_some_and(|l| l.iter().any(|b| b.as_str() == Some("pxe")));
    let checks = [
        (
            !matches!(field(distro, "breed"), "redhat" | ""),
            "a distro of another breed than redhat",
        ),
        (
            !matches!(field(distro, "arch"), "x86_64" | "i386"),
            "a distro of another arch than x86",
        ),
        (
            field(distro, "kernel").contains("http"),
            "a kernel given as a URL",
        ),
        (
            number("serial_device") > -1 || number("serial_baud_rate") > -1,
            "a serial console",
        ),
        (
            on("convert_server_to_ip") && !server_stays(blended),
            "convert_server_to_ip with a server name",
        ),
        (has("kernel_options", "initrd"), "an initrd kernel option"),
        (
            ["tree", "kernel", "initrd"]
                .iter()
                .any(|k| has("autoinstall_meta", k)),
            "tree, kernel or initrd in autoinstall_meta",
        ),
        (!pxe, "boot loaders without pxe"),
    ];
    match checks.iter().find(|(unsupported, _)| *unsupported) {
        Some((_, what)) => Err(unsupported(what)),
        None => Ok(()),
    }
}

fn unsupported(what: &str) -> Fault {
    not_faked(&format!(
        "the PXE file of a system with netboot enabled for {what} (pxelinux.cfg of get_system_as_rendered)"
    ))
}

/// The distro a system's profile chain ends at.
fn distro_of<'a>(store: &'a Store, system: &Item) -> Option<&'a Item> {
    let profile = store.get(Kind::Profile, field(system, "profile"))?;
    store.get(
        Kind::Distro,
        field(root(store, Kind::Profile, profile), "distro"),
    )
}

/// `os.path.basename`.
fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_server(server: &str) -> IndexMap<String, Value> {
        IndexMap::from([("http_server".to_owned(), Value::String(server.to_owned()))])
    }

    #[test]
    fn only_a_server_name_would_be_resolved() {
        assert!(server_stays(&with_server("192.0.2.10")));
        assert!(server_stays(&with_server("192.0.2.10:25180")));
        assert!(!server_stays(&with_server("cobbler.example")));
        assert_eq!(base_name("/srv/boot/vmlinuz"), "vmlinuz");
    }
}
