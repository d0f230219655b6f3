//! XML-RPC as Cobbler speaks it: values, faults, call errors, and the [`Transport`] trait that
//! every backend (the embedded fake, an HTTP server) implements.

mod error;
mod fault;
mod http;
mod layered;
mod quick_read;
mod transport;
mod value;

pub use crate::http::HttpOptions;
pub use error::CallError;
pub use fault::Fault;
pub use http::HttpTransport;
pub use layered::{GARBAGE_REPLY, LayeredTransport, TRUNCATED_REPLY};
pub use transport::Transport;
pub use value::{Value, ValueExt, from_json, to_json};
