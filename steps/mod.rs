//! Step definitions: thin, one file per domain concept. Each parses its captures and table,
//! makes one call into the World, and records or checks the result.

mod distros;
mod images;
mod lifecycle;
mod outcomes;
mod power;
mod profiles;
mod searches;
mod session;
mod systems;

use cucumber::gherkin::Step;
use provspec::Kind;

use crate::world::{Mode, tables};

/// `(attribute, alias)` named in the step's words, then the attribute table's rows.
fn rows_after(
    attribute: &str,
    alias: String,
    step: &Step,
) -> Result<Vec<(String, String)>, String> {
    let mut rows = vec![(attribute.to_owned(), alias)];
    rows.extend(tables::key_values(step)?);
    Ok(rows)
}

/// `Try` when the step's verb began with "try to ".
fn mode(try_to: &str) -> Mode {
    Mode::from_try(!try_to.is_empty())
}

/// The kind a `(distro|profile|system|image)` capture names (plural accepted).
fn kind(text: &str) -> Kind {
    Kind::parse(text)
        .unwrap_or_else(|| unreachable!("the step's regex only captures kind names, got {text:?}"))
}
