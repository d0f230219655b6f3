//! What the run's writers share: a scenario's event with the feature and rule it belongs to
//! (cucumber nests it two ways, under a rule or not), and a report file written once, when the
//! run finishes, from what its [`ReportBody`] gathered.

use std::io::Write;

use cucumber::event::{self, Cucumber, Feature, Rule, Source};
use cucumber::{Event, gherkin, parser, writer};

use crate::world::ProvWorld;

/// One event of the run, a scenario's with where it belongs.
pub enum RunEvent {
    /// An event of one scenario.
    Scenario {
        /// The feature.
        feature: Source<gherkin::Feature>,
        /// The rule the scenario is under, if any.
        rule: Option<Source<gherkin::Rule>>,
        /// The scenario.
        scenario: Source<gherkin::Scenario>,
        /// What happened.
        event: event::Scenario<ProvWorld>,
        /// Which try of the scenario this is, when it may be retried (`--retry`, `@retry(N)`).
        retries: Option<event::Retries>,
    },
    /// Any other event, as cucumber sent it.
    Other(Cucumber<ProvWorld>),
}

impl From<Cucumber<ProvWorld>> for RunEvent {
    fn from(event: Cucumber<ProvWorld>) -> Self {
        match event {
            Cucumber::Feature(feature, Feature::Scenario(scenario, event)) => RunEvent::Scenario {
                feature,
                rule: None,
                scenario,
                event: event.event,
                retries: event.retries,
            },
            Cucumber::Feature(feature, Feature::Rule(rule, Rule::Scenario(scenario, event))) => {
                RunEvent::Scenario {
                    feature,
                    rule: Some(rule),
                    scenario,
                    event: event.event,
                    retries: event.retries,
                }
            }
            other => RunEvent::Other(other),
        }
    }
}

/// What a report file gathers from the run's events, and how it is written.
pub trait ReportBody {
    /// The report's name, for the message when it cannot be written ("JUnit").
    const NAME: &'static str;

    /// Takes one event of the run (normalised: each scenario's events together, in order);
    /// `at` is when it happened.
    fn take(&mut self, event: RunEvent, at: std::time::SystemTime);

    /// Writes the report.
    fn write_to(&self, output: &mut dyn Write) -> Result<(), String>;
}

/// A report written to its file once the run has finished (normalise it).
pub struct ReportFile<Body, Out> {
    body: Body,
    output: Option<Out>,
}

impl<Body: ReportBody, Out: Write> ReportFile<Body, Out> {
    /// `body`'s report, to be written to `output`.
    pub fn new(body: Body, output: Out) -> Self {
        ReportFile {
            body,
            output: Some(output),
        }
    }

    fn write(&mut self) {
        if let Some(mut output) = self.output.take() {
            self.body
                .write_to(&mut output)
                .and_then(|()| output.flush().map_err(|e| e.to_string()))
                .unwrap_or_else(|e| panic!("provspec cannot write the {} report: {e}", Body::NAME));
        }
    }
}

impl<Body: ReportBody, Out: Write> cucumber::Writer<ProvWorld> for ReportFile<Body, Out> {
    type Cli = cucumber::cli::Empty;

    async fn handle_event(
        &mut self,
        event: parser::Result<Event<Cucumber<ProvWorld>>>,
        _: &Self::Cli,
    ) {
        // A feature that cannot be read stops the run before any scenario (the runner reads
        // every feature first and says which), so only events reach here.
        let Ok(event) = event else {
            return;
        };
        let at = event.at;
        match event.value {
            Cucumber::Finished => self.write(),
            other => self.body.take(RunEvent::from(other), at),
        }
    }
}

impl<Body, Out> writer::NonTransforming for ReportFile<Body, Out> {}
