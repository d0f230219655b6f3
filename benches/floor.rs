//! The floor for provspec's own overhead: a bare cucumber-rs runner with exactly the step
//! patterns provspec registers (read from the same `inventory` registry, so none is missing
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
//! It compiles `world/` and `steps/` only to read their step patterns; no provspec code runs.

#[path = "../steps/mod.rs"]
#[allow(dead_code, unused_imports)]
mod steps;
#[path = "../world/mod.rs"]
#[allow(dead_code, unused_imports)]
mod world;

use clap::Parser as _;
use cucumber::codegen::{StepConstructor, WorldInventory};
use cucumber::gherkin::StepType;
use cucumber::step::{Collection, Context};
use cucumber::writer::Stats as _;
use cucumber::{World as _, cli};
use futures::future::LocalBoxFuture;

use world::ProvWorld;

/// A World that holds nothing.
#[derive(Debug, Default, cucumber::World)]
struct Floor;

/// Every step: no work at all.
fn nothing(_: &mut Floor, _: Context) -> LocalBoxFuture<'_, ()> {
    Box::pin(async {})
}

/// provspec's step patterns, each bound to [`nothing`].
fn collection() -> Collection<Floor> {
    let mut collection = Collection::new();
    collection = add::<<ProvWorld as WorldInventory>::Given>(collection, StepType::Given);
    collection = add::<<ProvWorld as WorldInventory>::When>(collection, StepType::When);
    add::<<ProvWorld as WorldInventory>::Then>(collection, StepType::Then)
}

fn add<T>(mut collection: Collection<Floor>, ty: StepType) -> Collection<Floor>
where
    T: cucumber::codegen::inventory::Collect + StepConstructor<ProvWorld> + 'static,
{
    for constructor in cucumber::codegen::inventory::iter::<T> {
        let (location, regex, _) = constructor.inner();
        collection = match ty {
            StepType::Given => collection.given(Some(location), regex(), nothing),
            StepType::When => collection.when(Some(location), regex(), nothing),
            StepType::Then => collection.then(Some(location), regex(), nothing),
        };
    }
    collection
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
