//! Phrasing that belongs to Ironic: provision actions and maintenance on nodes, ports on
//! nodes, portgroups, traits, retirement, allocations, deploy templates and runbooks.

mod allocations;
mod deploy_templates;
mod nodes;
mod portgroups;
mod ports;
mod retirement;
mod runbooks;
mod traits;

/// Registers this family's steps.
pub(crate) fn register(steps: &mut crate::world::step_definitions::Steps) {
    nodes::register(steps);
    ports::register(steps);
    portgroups::register(steps);
    traits::register(steps);
    retirement::register(steps);
    allocations::register(steps);
    deploy_templates::register(steps);
    runbooks::register(steps);
}

/// The source of this family's steps files, for the catalogue.
pub(crate) const SOURCES: &[(&str, &str)] = &[
    ("steps/ironic/nodes.rs", include_str!("nodes.rs")),
    ("steps/ironic/ports.rs", include_str!("ports.rs")),
    ("steps/ironic/portgroups.rs", include_str!("portgroups.rs")),
    ("steps/ironic/traits.rs", include_str!("traits.rs")),
    ("steps/ironic/retirement.rs", include_str!("retirement.rs")),
    (
        "steps/ironic/allocations.rs",
        include_str!("allocations.rs"),
    ),
    (
        "steps/ironic/deploy_templates.rs",
        include_str!("deploy_templates.rs"),
    ),
    ("steps/ironic/runbooks.rs", include_str!("runbooks.rs")),
];
