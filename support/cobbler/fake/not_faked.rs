//! The fault for what the fake does not answer as cobblerd would: it says so rather than
//! answering differently, and the README's table of differences lists each case.

use super::python::cx;
use crate::cobbler::protocol::Fault;

/// The fault for what the fake does not answer as cobblerd would (it says so rather than
/// answering differently); listed in the README's table.
pub fn not_faked(what: &str) -> Fault {
    cx(format!(
        "provspec's fake Cobbler does not implement {what}; see the README's table of differences"
    ))
}
