//! provspec's own log, captured per scenario: a `tracing` layer that appends every event
//! raised inside a scenario's steps to that scenario's [`CallLayer`] log, for steps such as
//! `Then the log should contain "logging in again"`.

use std::fmt::Write as _;

use tracing::field::{Field, Visit};
use tracing_subscriber::layer::Context;

use super::layer;

/// The `tracing` layer that captures scenario logs.
#[derive(Debug, Default)]
pub struct ScenarioLogCapture;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for ScenarioLogCapture {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let Some(layer) = layer::current() else {
            return;
        };
        let mut line = Line::default();
        event.record(&mut line);
        let metadata = event.metadata();
        let text = format!(
            "{} {}: {}{}",
            metadata.level(),
            metadata.target(),
            line.message,
            line.fields
        );
        layer.log(layer.in_aliases(&text));
    }
}

/// An event as one line: its message, then `key=value` for the other fields.
#[derive(Default)]
struct Line {
    message: String,
    fields: String,
}

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.fields, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.fields, " {}={value}", field.name());
        }
    }
}
