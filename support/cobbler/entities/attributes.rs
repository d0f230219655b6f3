//! The attributes each kind has in Cobbler 3.3 that can be set with `modify_*` (read off a real
//! 3.3.10 server; `name` is given at creation and changed only by rename, `interfaces` through
//! [`super::InterfaceSpec`]).

use crate::cobbler::error::Error;
use crate::cobbler::kind::Kind;

pub(crate) const DISTRO: &[&str] = &[
    "arch",
    "autoinstall_meta",
    "boot_files",
    "boot_loaders",
    "breed",
    "comment",
    "fetchable_files",
    "initrd",
    "kernel",
    "kernel_options",
    "kernel_options_post",
    "mgmt_classes",
    "mgmt_parameters",
    "os_version",
    "owners",
    "parent",
    "redhat_management_key",
    "remote_boot_initrd",
    "remote_boot_kernel",
    "source_repos",
    "template_files",
    "tree_build_time",
];

pub(crate) const PROFILE: &[&str] = &[
    "autoinstall",
    "autoinstall_meta",
    "boot_files",
    "boot_loaders",
    "comment",
    "dhcp_tag",
    "distro",
    "enable_ipxe",
    "enable_menu",
    "fetchable_files",
    "filename",
    "kernel_options",
    "kernel_options_post",
    "menu",
    "mgmt_classes",
    "mgmt_parameters",
    "name_servers",
    "name_servers_search",
    "next_server_v4",
    "next_server_v6",
    "owners",
    "parent",
    "proxy",
    "redhat_management_key",
    "repos",
    "server",
    "template_files",
    "virt_auto_boot",
    "virt_bridge",
    "virt_cpus",
    "virt_disk_driver",
    "virt_file_size",
    "virt_path",
    "virt_ram",
    "virt_type",
];

pub(crate) const SYSTEM: &[&str] = &[
    "autoinstall",
    "autoinstall_meta",
    "boot_files",
    "boot_loaders",
    "comment",
    "enable_ipxe",
    "fetchable_files",
    "filename",
    "gateway",
    "hostname",
    "image",
    "ipv6_autoconfiguration",
    "ipv6_default_device",
    "kernel_options",
    "kernel_options_post",
    "mgmt_classes",
    "mgmt_parameters",
    "name_servers",
    "name_servers_search",
    "netboot_enabled",
    "next_server_v4",
    "next_server_v6",
    "owners",
    "parent",
    "power_address",
    "power_id",
    "power_identity_file",
    "power_options",
    "power_pass",
    "power_type",
    "power_user",
    "profile",
    "proxy",
    "redhat_management_key",
    "repos_enabled",
    "serial_baud_rate",
    "serial_device",
    "server",
    "status",
    "template_files",
    "virt_auto_boot",
    "virt_cpus",
    "virt_disk_driver",
    "virt_file_size",
    "virt_path",
    "virt_pxe_boot",
    "virt_ram",
    "virt_type",
];

pub(crate) const IMAGE: &[&str] = &[
    "arch",
    "autoinstall",
    "autoinstall_meta",
    "boot_files",
    "boot_loaders",
    "breed",
    "comment",
    "fetchable_files",
    "file",
    "image_type",
    "kernel_options",
    "kernel_options_post",
    "menu",
    "mgmt_classes",
    "mgmt_parameters",
    "network_count",
    "os_version",
    "owners",
    "parent",
    "template_files",
    "virt_auto_boot",
    "virt_bridge",
    "virt_cpus",
    "virt_disk_driver",
    "virt_file_size",
    "virt_path",
    "virt_ram",
    "virt_type",
];

pub(crate) const REPO: &[&str] = &[
    "apt_components",
    "apt_dists",
    "arch",
    "autoinstall_meta",
    "boot_files",
    "breed",
    "comment",
    "createrepo_flags",
    "environment",
    "fetchable_files",
    "keep_updated",
    "kernel_options",
    "kernel_options_post",
    "mgmt_classes",
    "mgmt_parameters",
    "mirror",
    "mirror_locally",
    "mirror_type",
    "os_version",
    "owners",
    "parent",
    "priority",
    "proxy",
    "rpm_list",
    "rsyncopts",
    "template_files",
    "yumopts",
];

pub(crate) const MENU: &[&str] = &[
    "autoinstall_meta",
    "boot_files",
    "comment",
    "display_name",
    "fetchable_files",
    "kernel_options",
    "kernel_options_post",
    "mgmt_classes",
    "mgmt_parameters",
    "owners",
    "parent",
    "template_files",
];

pub(crate) const FILE: &[&str] = &[
    "action",
    "autoinstall_meta",
    "boot_files",
    "comment",
    "fetchable_files",
    "group",
    "is_dir",
    "kernel_options",
    "kernel_options_post",
    "mgmt_classes",
    "mgmt_parameters",
    "mode",
    "owner",
    "owners",
    "parent",
    "path",
    "template",
    "template_files",
];

pub(crate) const MGMTCLASS: &[&str] = &[
    "autoinstall_meta",
    "boot_files",
    "class_name",
    "comment",
    "fetchable_files",
    "files",
    "is_definition",
    "kernel_options",
    "kernel_options_post",
    "mgmt_classes",
    "mgmt_parameters",
    "owners",
    "packages",
    "params",
    "parent",
    "template_files",
];

pub(crate) const PACKAGE: &[&str] = &[
    "action",
    "autoinstall_meta",
    "boot_files",
    "comment",
    "fetchable_files",
    "group",
    "installer",
    "kernel_options",
    "kernel_options_post",
    "mgmt_classes",
    "mgmt_parameters",
    "mode",
    "owner",
    "owners",
    "parent",
    "path",
    "template",
    "template_files",
    "version",
];

/// The settable attributes of `kind`, sorted.
pub fn attributes(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Distro => DISTRO,
        Kind::Profile => PROFILE,
        Kind::System => SYSTEM,
        Kind::Image => IMAGE,
        Kind::Repo => REPO,
        Kind::Menu => MENU,
        Kind::File => FILE,
        Kind::Mgmtclass => MGMTCLASS,
        Kind::Package => PACKAGE,
    }
}

/// Attributes cobblerd takes only as XML-RPC integers (a repo's `priority` given as the text
/// `"10"` is refused), where every other attribute takes text.
const INTEGER_ATTRIBUTES: [(Kind, &str); 2] =
    [(Kind::Repo, "priority"), (Kind::Image, "network_count")];

/// The value `modify_<kind>` is sent for `attribute` given as `text` in a feature: text, or
/// an integer where cobblerd wants one (and the text is one).
pub fn wire_value(kind: Kind, attribute: &str, text: &str) -> crate::cobbler::protocol::Value {
    use crate::cobbler::protocol::Value;
    if INTEGER_ATTRIBUTES.contains(&(kind, attribute))
        && let Ok(number) = text.trim().parse::<i32>()
    {
        return Value::Integer(number);
    }
    Value::String(text.to_owned())
}

/// Ok when `kind` has `attribute`; otherwise an error that lists the known ones.
pub fn check_attribute(kind: Kind, attribute: &str) -> Result<(), Error> {
    if attribute == "name" {
        return Err(Error::Invalid(format!(
            "a {kind}'s name is given when it is created and changed only by renaming it; \
             modifying \"name\" corrupts a real Cobbler 3.3's collection"
        )));
    }
    if attributes(kind).contains(&attribute) {
        return Ok(());
    }
    Err(Error::UnknownAttribute {
        kind,
        attribute: attribute.to_owned(),
        known: attributes(kind).join(", "),
    })
}
