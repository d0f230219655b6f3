//! No input crashes the fakes: random sequences of calls, with random method names and
//! argument shapes, get a result or a fault from the fake Cobbler and an HTTP answer with a
//! JSON body (or an empty 202/204) from the fake Ironic, never a panic, a hang or a stack
//! overflow. Parent cycles are attempted on purpose and must be refused.
//!
//! The sequence comes from a seeded generator: a failure prints the seed and the calls that
//! led to it, and `PROVSPEC_FUZZ_SEED=<seed>` (decimal or `0x…`) replays them (tokens, handles
//! and uuids the fakes make up differ between runs, the calls do not).

#[path = "robustness/cobbler.rs"]
mod cobbler;
#[path = "robustness/ironic.rs"]
mod ironic;

/// The seed used unless `PROVSPEC_FUZZ_SEED` names another.
const DEFAULT_SEED: u64 = 0x7072_6f76_7370_6563;

/// How many of the last calls a failure shows.
const SHOWN: usize = 40;

fn seed() -> u64 {
    let Ok(text) = std::env::var("PROVSPEC_FUZZ_SEED") else {
        return DEFAULT_SEED;
    };
    let text = text.trim();
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    parsed.unwrap_or_else(|e| panic!("PROVSPEC_FUZZ_SEED={text:?} is not a number: {e}"))
}

/// The calls made so far, to show with the seed when one of them goes wrong.
struct Journal {
    fake: &'static str,
    seed: u64,
    calls: Vec<String>,
}

impl Journal {
    fn new(fake: &'static str, seed: u64) -> Self {
        Self {
            fake,
            seed,
            calls: Vec::new(),
        }
    }

    fn record(&mut self, call: String) {
        self.calls.push(call);
    }

    fn fail(&self, what: &str) -> ! {
        let skipped = self.calls.len().saturating_sub(SHOWN);
        let shown: Vec<String> = self.calls[skipped..]
            .iter()
            .enumerate()
            .map(|(i, call)| format!("  #{} {call}", skipped + i + 1))
            .collect();
        panic!(
            "the fake {} {what}\nseed {:#x} (replay with PROVSPEC_FUZZ_SEED={:#x}); the last {} of {} calls:\n{}",
            self.fake,
            self.seed,
            self.seed,
            shown.len(),
            self.calls.len(),
            shown.join("\n")
        );
    }
}

/// Shortens long call texts for the journal.
fn clip(text: String) -> String {
    const MAX: usize = 400;
    if text.len() <= MAX {
        return text;
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &text[..end], text.len())
}
