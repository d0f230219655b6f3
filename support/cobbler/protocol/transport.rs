use std::fmt;

use super::{CallError, Value};

/// Carries one XML-RPC call to a Cobbler API and brings back its value or why there is none.
///
/// Implemented by the embedded fake (in process) and by [`super::HttpTransport`]. Callers (the
/// session) never know which one they talk to.
#[async_trait::async_trait]
pub trait Transport: Send + Sync + fmt::Debug {
    /// Calls `method` with positional `args`.
    async fn call(&self, method: &str, args: Vec<Value>) -> Result<Value, CallError>;

    /// Where the calls go, for messages: a URL, or "embedded fake".
    fn endpoint(&self) -> String;
}
