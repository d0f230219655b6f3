//! Phrasing that belongs to Ironic: provision actions and maintenance on nodes, ports on
//! nodes.

mod nodes;
mod ports;
