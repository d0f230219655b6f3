//! OpenStack Ironic (REST + JSON, microversions, asynchronous provision states).
//!
//! - [`exchange`]: one HTTP request and response as data, and the trait that carries them.
//! - [`http`]: the exchange over the network (reqwest).
//! - [`rest`]: the REST client: microversion header, credentials, the three error shapes.
//! - [`catalogue`]: nodes, ports, portgroups and allocations as data for the backend seam.
//! - [`relations`]: the items a kind names, sent by uuid and read back by name.
//! - [`node_actions`]: maintenance, traits and retirement of a node as requests.
//! - [`backend`]: [`backend::IronicBackend`], the [`crate::backend::Backend`] verbs.
//! - [`connect`]: the up-front check of a server and the run's connectors.
//! - [`conformance`]: `provspec conformance --backend ironic`: the differential probe.
//! - [`fake`]: an Ironic 39 that answers as the real one does, in process or over HTTP.

pub mod backend;
pub mod bmc;
pub mod catalogue;
pub mod conformance;
pub mod connect;
pub mod error;
pub mod exchange;
pub mod fake;
pub mod family;
pub mod http;
pub mod layered;
pub mod node_actions;
pub mod relations;
pub mod rest;
