//! OpenStack Ironic (REST + JSON, microversions, asynchronous provision states).

pub mod backend;
pub mod catalogue;
pub mod connect;
pub mod error;
pub mod exchange;
pub mod http;
pub mod rest;
