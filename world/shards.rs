//! A run split over threads: each shard is a cucumber run of its own over some of the
//! features, on a thread of its own, and every shard's events go to one writer, which sees
//! them as the events of a single run (one start, the parsing totals summed, one finish).
//!
//! On an embedded fake every scenario has a fake of its own, so shards share nothing but the
//! run-wide lists (cleanup stacks, the manifest, the tallies), which are made for it: a run of
//! many scenarios then uses every core. On a server over HTTP a run is one shard.

use std::collections::VecDeque;

use cucumber::event::Cucumber;
use cucumber::feature::Ext as _;
use cucumber::gherkin::Feature;
use cucumber::{Event, Writer, cli, parser, writer};
use futures::stream;
use tokio::sync::mpsc;

use super::ProvWorld;

/// One event of a shard's run.
pub type ShardEvent = parser::Result<Event<Cucumber<ProvWorld>>>;

/// An event on its way from a shard's thread to the run's writer.
pub struct Sent(ShardEvent);

// SAFETY: what keeps a cucumber event from being `Send` by type is the panic payload of a
// failed step or hook (`Arc<dyn Any + Send>`, not `Sync`) shared between the event and the
// `after` hook. provspec's steps and hooks panic with strings (`String`, `&str`: `Sync`), and
// both sides only read the payload (`downcast_ref`), so reading it from the writer's thread
// while the shard still holds a clone is sound. The World (`Arc<ProvWorld>`) is `Send` and
// `Sync`.
unsafe impl Send for Sent {}

/// A shard's writer: sends every event to the run's writer ([`merge`]).
pub struct Forward(mpsc::UnboundedSender<Sent>);

impl Forward {
    /// A writer sending into `to`.
    pub fn new(to: mpsc::UnboundedSender<Sent>) -> Self {
        Self(to)
    }
}

impl Writer<ProvWorld> for Forward {
    type Cli = cli::Empty;

    async fn handle_event(&mut self, event: ShardEvent, _: &Self::Cli) {
        // The run's writer is gone only when the run was stopped.
        let _ = self.0.send(Sent(event));
    }
}

// The run's writer normalizes what it gets from every shard.
impl writer::Normalized for Forward {}

/// Features already read and checked ([`super::feature_files::load`]), handed to cucumber as
/// its parser's output: a run parses each file once.
pub struct Preparsed(pub Vec<parser::Result<Feature>>);

impl<I> cucumber::Parser<I> for Preparsed {
    type Cli = cucumber::parser::basic::Cli;
    type Output = stream::Iter<std::vec::IntoIter<parser::Result<Feature>>>;

    fn parse(self, _: I, _: Self::Cli) -> Self::Output {
        stream::iter(self.0)
    }
}

/// Splits `features` into at most `shards` groups of about as many scenarios each (whole
/// features, in order within a group), with their examples expanded as cucumber's parser
/// does.
pub fn split(features: Vec<Feature>, shards: usize) -> Vec<Vec<parser::Result<Feature>>> {
    let shards = shards.clamp(1, features.len().max(1));
    let mut groups: Vec<(usize, Vec<parser::Result<Feature>>)> =
        (0..shards).map(|_| (0, Vec::new())).collect();
    for feature in features {
        let scenarios = feature.scenarios.len()
            + feature
                .rules
                .iter()
                .map(|r| r.scenarios.len())
                .sum::<usize>();
        let lightest = groups
            .iter_mut()
            .min_by_key(|(count, _)| *count)
            .expect("at least one shard");
        lightest.0 += scenarios;
        lightest
            .1
            .push(feature.expand_examples().map_err(parser::Error::from));
    }
    groups.into_iter().map(|(_, group)| group).collect()
}

/// Feeds every shard's events to `writer` as one run's: the first start, the parsing totals
/// summed once every shard has parsed (events that come earlier wait for them), and the
/// finish once every shard has finished. Returns the writer when all are done, or when every
/// shard was dropped (a stopped run).
pub async fn merge<Wr: Writer<ProvWorld>>(
    mut writer: Wr,
    cli: &Wr::Cli,
    shards: usize,
    mut from: mpsc::UnboundedReceiver<Sent>,
) -> Wr {
    let (mut started, mut parsed, mut finished) = (false, 0, 0);
    let mut totals = [0_usize; 5];
    let mut waiting = VecDeque::new();
    while let Some(Sent(event)) = from.recv().await {
        if let Ok(Event { value, .. }) = &event {
            match value {
                Cucumber::Started => {
                    if !std::mem::replace(&mut started, true) {
                        writer.handle_event(event, cli).await;
                    }
                    continue;
                }
                Cucumber::ParsingFinished {
                    features,
                    rules,
                    scenarios,
                    steps,
                    parser_errors,
                } => {
                    for (total, n) in
                        totals
                            .iter_mut()
                            .zip([features, rules, scenarios, steps, parser_errors])
                    {
                        *total += n;
                    }
                    parsed += 1;
                    if parsed == shards {
                        let [features, rules, scenarios, steps, parser_errors] = totals;
                        let all = Cucumber::ParsingFinished {
                            features,
                            rules,
                            scenarios,
                            steps,
                            parser_errors,
                        };
                        writer.handle_event(Ok(Event::new(all)), cli).await;
                        while let Some(early) = waiting.pop_front() {
                            writer.handle_event(early, cli).await;
                        }
                    }
                    continue;
                }
                Cucumber::Finished => {
                    finished += 1;
                    if finished == shards {
                        writer.handle_event(event, cli).await;
                        break;
                    }
                    continue;
                }
                Cucumber::Feature(..) => {}
            }
        }
        if parsed < shards {
            waiting.push_back(event);
        } else {
            writer.handle_event(event, cli).await;
        }
    }
    writer
}

/// How many shards a run gets: one per core on an embedded fake whose scenarios each have a
/// fake of their own, unless `--concurrency` limits how many scenarios run at once; one on a
/// server.
pub fn count(isolated_scenarios: bool, concurrency_given: bool) -> usize {
    if isolated_scenarios && !concurrency_given {
        std::thread::available_parallelism().map_or(1, usize::from)
    } else {
        1
    }
}
