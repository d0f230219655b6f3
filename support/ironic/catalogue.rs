//! Ironic's kinds as data for the backend seam (Ironic 39, microversion 1.115).

use crate::backend::{Catalogue, KindSpec, NameRule};

/// A logical name, as Ironic checks node names (and port names where it looks one up):
/// RFC 3986 unreserved characters, at most 255 of them.
const LOGICAL_NAME: NameRule = NameRule {
    accepts: |name| {
        NameRule::chars(name, 255, |c| {
            c.is_ascii_alphanumeric() || "._~-".contains(c)
        })
    },
    description: "1 to 255 letters, digits and . _ ~ - (a logical name)",
};

/// Node fields a client may set: at creation, or by PATCH (the list the real server gives
/// in its "Cannot patch" error), sorted.
const NODE: &[&str] = &[
    "automated_clean",
    "bios_interface",
    "boot_interface",
    "chassis_uuid",
    "conductor_group",
    "console_interface",
    "deploy_interface",
    "description",
    "disable_power_off",
    "driver",
    "driver_info",
    "extra",
    "firmware_interface",
    "inspect_interface",
    "instance_info",
    "instance_name",
    "instance_uuid",
    "lessee",
    "maintenance",
    "management_interface",
    "network_data",
    "network_interface",
    "owner",
    "parent_node",
    "power_interface",
    "properties",
    "protected",
    "protected_reason",
    "raid_interface",
    "rescue_interface",
    "resource_class",
    "retired",
    "retired_reason",
    "shard",
    "storage_interface",
    "uuid",
    "vendor_interface",
];

/// Port fields a client may set; `node` names the node (an alias in features).
const PORT: &[&str] = &[
    "address",
    "category",
    "description",
    "extra",
    "is_smartnic",
    "local_link_connection",
    "node",
    "physical_network",
    "portgroup",
    "pxe_enabled",
    "uuid",
    "vendor",
];

/// Portgroup fields a client may set; `node` names the node (an alias in features).
const PORTGROUP: &[&str] = &[
    "address",
    "category",
    "extra",
    "mode",
    "node",
    "physical_network",
    "properties",
    "standalone_ports_supported",
    "uuid",
];

/// Allocation fields a client may set; `candidate_nodes` names nodes (aliases separated by
/// spaces in features), `traits` are words separated by spaces.
const ALLOCATION: &[&str] = &[
    "candidate_nodes",
    "extra",
    "owner",
    "resource_class",
    "traits",
    "uuid",
];

/// Deploy template fields a client may set: `steps` is JSON (a list of steps), features give
/// it as a table (`steps/ironic/deploy_templates.rs`).
const DEPLOY_TEMPLATE: &[&str] = &["description", "extra", "steps", "uuid"];

/// Runbook fields a client may set (`owner` by a patch only: a caller without a project may
/// not create one with it; traits have a sub-resource). `steps` is JSON, given by features as
/// a table.
const RUNBOOK: &[&str] = &[
    "description",
    "disable_ramdisk",
    "extra",
    "owner",
    "public",
    "steps",
    "uuid",
];

/// The kinds provspec drives on Ironic: nodes, ports and portgroups on them, allocations
/// of them.
pub static CATALOGUE: Catalogue = Catalogue {
    // A port names its portgroup and an allocation its candidates without going with them:
    // a portgroup holding ports is not deleted, a node goes without its allocation's consent.
    naming_references: &[("port", "portgroup"), ("allocation", "candidate_nodes")],
    login_call: None,
    concurrent_creates: 4,
    state_paths: &[
        ("enroll", &[]),
        ("manageable", &[("manage", "manageable")]),
        (
            "available",
            &[("manage", "manageable"), ("provide", "available")],
        ),
        (
            "active",
            &[
                ("manage", "manageable"),
                ("provide", "available"),
                ("deploy", "active"),
            ],
        ),
    ],
    family: "ironic",
    kinds: &[
        KindSpec {
            name: "node",
            plural: "nodes",
            attributes: NODE,
            maps: &[
                "driver_info",
                "extra",
                "instance_info",
                "network_data",
                "properties",
            ],
            references: &[],
            defaults: &[("driver", "fake-hardware")],
            names: LOGICAL_NAME,
        },
        KindSpec {
            name: "port",
            plural: "ports",
            attributes: PORT,
            maps: &["extra", "local_link_connection"],
            references: &[("node", "node"), ("portgroup", "portgroup")],
            defaults: &[],
            // Ironic 39 creates a port with any name, but finds one by name (to read or
            // delete it) only when it is a logical name.
            names: LOGICAL_NAME,
        },
        KindSpec {
            name: "portgroup",
            plural: "portgroups",
            attributes: PORTGROUP,
            maps: &["extra", "properties"],
            references: &[("node", "node")],
            defaults: &[],
            names: LOGICAL_NAME,
        },
        KindSpec {
            name: "deploy_template",
            plural: "deploy_templates",
            attributes: DEPLOY_TEMPLATE,
            maps: &["extra"],
            references: &[],
            defaults: &[],
            // The server's name is made from it (`relations::api_name`).
            names: LOGICAL_NAME,
        },
        KindSpec {
            name: "runbook",
            plural: "runbooks",
            attributes: RUNBOOK,
            maps: &["extra"],
            references: &[],
            defaults: &[],
            names: LOGICAL_NAME,
        },
        KindSpec {
            name: "allocation",
            plural: "allocations",
            attributes: ALLOCATION,
            maps: &["extra"],
            references: &[("candidate_nodes", "node")],
            defaults: &[],
            names: LOGICAL_NAME,
        },
    ],
    built_in_factory_book: include_str!("../../factories/ironic.toml"),
};
