//! Step definitions: thin and typed, one file per domain concept. Each parses its
//! parameters and table, makes one call into the World, and records or checks the result.
//!
//! The files at this level are generic: every backend shares them, and they name no
//! backend. Phrasing that belongs to one family lives in its folder (`cobbler/`, `ironic/`).

mod bmc;
mod calls;
mod cobbler;
mod factories;
mod faults;
mod ironic;
mod lifecycle;
mod outcomes;
mod parameters;
mod power;
mod processes;
mod searches;
mod servers;
mod session;
mod states;

use cucumber::gherkin::Step;

use crate::world::tables;

/// `(attribute, alias)` named in the step's words, then the attribute table's rows.
fn rows_after(
    attribute: &str,
    alias: impl Into<String>,
    step: &Step,
) -> Result<Vec<(String, String)>, String> {
    let mut rows = vec![(attribute.to_owned(), alias.into())];
    rows.extend(tables::key_values(step)?);
    Ok(rows)
}
