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

use provspec::Kind;

use crate::world::Mode;

/// `Try` when the step's verb began with "try to ".
fn mode(try_to: &str) -> Mode {
    Mode::from_try(!try_to.is_empty())
}

/// The kind a `(distro|profile|system|image)` capture names (plural accepted).
fn kind(text: &str) -> Kind {
    Kind::parse(text)
        .unwrap_or_else(|| unreachable!("the step's regex only captures kind names, got {text:?}"))
}
