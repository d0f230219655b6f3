//! Phrasing that belongs to Ironic: provision actions and maintenance on nodes, ports on
//! nodes.

mod nodes;
mod ports;

/// Registers this family's steps.
pub(crate) fn register(steps: &mut crate::world::step_definitions::Steps) {
    nodes::register(steps);
    ports::register(steps);
}

/// The source of this family's steps files, for the catalogue.
pub(crate) const SOURCES: &[(&str, &str)] = &[
    ("steps/ironic/nodes.rs", include_str!("nodes.rs")),
    ("steps/ironic/ports.rs", include_str!("ports.rs")),
];
