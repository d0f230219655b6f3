//! The built-in steps: thin and typed, one file per domain concept. Each parses its
//! parameters and table, makes one call into the World, and records or checks the result.
//! Each file lists its steps in its `register` (see [`crate::world::step_definitions`]);
//! [`register`] adds them all.
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
pub mod parameters;
mod power;
mod processes;
mod searches;
mod servers;
mod session;
mod states;

use cucumber::gherkin::Step;

use crate::world::step_definitions::Steps;
use crate::world::tables;

/// Registers every built-in step and parameter type.
pub fn register(steps: &mut Steps) {
    steps
        .parameter::<parameters::Attempt>()
        .parameter::<parameters::KindWord>()
        .parameter::<parameters::Field>()
        .parameter::<parameters::PowerWord>()
        .parameter::<parameters::OnOff>()
        .parameter::<parameters::BrokenReply>();
    bmc::register(steps);
    calls::register(steps);
    factories::register(steps);
    faults::register(steps);
    lifecycle::register(steps);
    outcomes::register(steps);
    power::register(steps);
    processes::register(steps);
    searches::register(steps);
    servers::register(steps);
    session::register(steps);
    states::register(steps);
    cobbler::register(steps);
    ironic::register(steps);
}

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
