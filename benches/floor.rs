//! The floor for provspec's own overhead: a bare cucumber-rs runner with exactly the step
//! patterns provspec registers (read from the same registered steps, so none is missing
//! or extra), each step doing nothing, no hooks, cucumber's default writer, on the same
//! multi-threaded tokio runtime and with cucumber's default concurrency.
//!
//! `scripts/bench.sh` runs it over a generated suite (`scripts/gen-suite.py`) beside the feature
//! runner and prints the ratio. Run by hand:
//!
//! ```sh
//! scripts/gen-suite.py 1000 target/bench-suite/1000
//! cd target/bench-suite/1000 && cargo bench --bench floor -- --input '*.feature'
//! ```
//!
//! It reads provspec's step patterns only; no provspec code runs.

use clap::Parser as _;
use cucumber::gherkin::StepType;
use cucumber::step::{Collection, Context};
use cucumber::writer::Stats as _;
use cucumber::{World as _, cli};
use futures::future::LocalBoxFuture;
use provspec::world::step_definitions::Steps;

/// A World that holds nothing.
#[derive(Debug, Default, cucumber::World)]
struct Floor;

/// Every step: no work at all.
fn nothing(_: &mut Floor, _: Context) -> LocalBoxFuture<'_, ()> {
    Box::pin(async {})
}

/// provspec's step patterns, each bound to [`nothing`].
fn collection() -> Collection<Floor> {
    Steps::built_in()
        .definitions()
        .iter()
        .fold(Collection::new(), |collection, definition| {
            let regex = definition.regex.clone();
            match definition.ty {
                StepType::Given => collection.given(None, regex, nothing),
                StepType::When => collection.when(None, regex, nothing),
                StepType::Then => collection.then(None, regex, nothing),
            }
        })
}

fn main() {
    // cucumber's own options (`--input GLOB`, `--concurrency`, …); `cargo bench` adds `--bench`.
    let opts =
        cli::Opts::<_, _, _, cli::Empty>::parse_from(std::env::args().filter(|a| a != "--bench"));
    let failed = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
        .block_on(async {
            let writer = Floor::cucumber()
                .steps(collection())
                .fail_on_skipped()
                .with_cli(opts)
                .run("features")
                .await;
            writer.execution_has_failed()
        });
    if failed {
        std::process::exit(1);
    }
}
