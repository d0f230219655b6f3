//! OpenStack Ironic (REST + JSON, microversions, asynchronous provision states).

pub mod exchange;
pub mod fake;
