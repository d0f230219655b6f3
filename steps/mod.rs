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

use crate::world::StepResult;
use cucumber::gherkin::Step;

use crate::world::step_definitions::Steps;
use crate::world::tables;

/// The source of every file that defines built-in steps, as compiled (so the catalogue
/// describes this build, wherever it runs): the generic files and each family's.
pub fn sources() -> Vec<(&'static str, &'static str)> {
    let mut sources = vec![
        ("steps/bmc.rs", include_str!("bmc.rs")),
        ("steps/calls.rs", include_str!("calls.rs")),
        ("steps/factories.rs", include_str!("factories.rs")),
        ("steps/faults.rs", include_str!("faults.rs")),
        ("steps/lifecycle.rs", include_str!("lifecycle.rs")),
        ("steps/outcomes.rs", include_str!("outcomes.rs")),
        ("steps/power.rs", include_str!("power.rs")),
        ("steps/processes.rs", include_str!("processes.rs")),
        ("steps/searches.rs", include_str!("searches.rs")),
        ("steps/servers.rs", include_str!("servers.rs")),
        ("steps/session.rs", include_str!("session.rs")),
        ("steps/states.rs", include_str!("states.rs")),
    ];
    sources.extend_from_slice(cobbler::SOURCES);
    sources.extend_from_slice(ironic::SOURCES);
    sources
}

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
) -> StepResult<Vec<(String, String)>> {
    let mut rows = vec![(attribute.to_owned(), alias.into())];
    rows.extend(tables::key_values(step)?);
    Ok(rows)
}
