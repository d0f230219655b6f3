//! Real names for the aliases features use.
//!
//! A feature says `"web-01"`; the server sees `web-01--k3x9-4`: the alias, then a suffix made
//! of the run's id and the scenario's number. Two scenarios, or two runs against one shared
//! server, never collide, and everything a run created can be found by its run id.

use std::sync::LazyLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use regex::Regex;

/// The digits of a run id, and of the base-36 numbers in it.
const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// Characters of a generated run id: the start time, then random ones.
const RUN_ID_LEN: usize = 8;

/// Base-36 characters holding the start time (seconds since 1970) in a generated run id.
const TIME_LEN: usize = 6;

/// The earliest start time a generated run id can carry (2024-01-01): an id of the right
/// shape whose time is earlier was chosen by hand and carries none.
const EARLIEST_START: u64 = 1_704_067_200;

/// A fresh run id: its start time (seconds since 1970, six base-36 digits) and two random
/// characters, e.g. `tf2k9qx7`. [`run_started_at`] reads the time back, so that `provspec
/// sweep --older-than` can tell an old run's leftovers from a running one's.
pub fn new_run_id() -> String {
    run_id_at(SystemTime::now())
}

/// A run id started at `start`.
fn run_id_at(start: SystemTime) -> String {
    let mut seconds = start
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let mut id = vec![b'0'; TIME_LEN];
    for slot in id.iter_mut().rev() {
        *slot = ALPHABET[(seconds % 36) as usize];
        seconds /= 36;
    }
    id.extend((TIME_LEN..RUN_ID_LEN).map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())]));
    String::from_utf8(id).expect("the alphabet is ASCII")
}

/// When the run `run_id` started, for an id [`new_run_id`] made; `None` for an id chosen by
/// hand (`--run-id ci42`), which carries no time.
pub fn run_started_at(run_id: &str) -> Option<SystemTime> {
    if run_id.len() != RUN_ID_LEN {
        return None;
    }
    let mut seconds: u64 = 0;
    for byte in run_id[..TIME_LEN].bytes() {
        let digit = ALPHABET.iter().position(|&a| a == byte)? as u64;
        seconds = seconds * 36 + digit;
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    // A day of clock skew between machines is tolerated; later than that is not a start time.
    (EARLIEST_START..=now + 86_400)
        .contains(&seconds)
        .then(|| UNIX_EPOCH + Duration::from_secs(seconds))
}

/// The run id and scenario number a real name carries (`web-01--tf2k9qx7-4` gives
/// `("tf2k9qx7", 4)`), or `None` for a name no run made.
pub fn parse_real_name(real_name: &str) -> Option<(&str, u64)> {
    static MARKED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"--([a-z0-9]{1,12})-([0-9]+)$").expect("the marker pattern compiles")
    });
    let captures = MARKED.captures(real_name)?;
    let run_id = captures.get(1)?.as_str();
    let scenario = captures.get(2)?.as_str().parse().ok()?;
    Some((run_id, scenario))
}

/// The marker every real name of run `run_id` contains: `--{run_id}-`.
pub fn run_marker(run_id: &str) -> String {
    format!("--{run_id}-")
}

/// Maps one scenario's aliases to real names and back.
#[derive(Clone, Debug)]
pub struct Namer {
    suffix: String,
}

impl Namer {
    /// Names for scenario number `scenario` of run `run_id`.
    pub fn new(run_id: &str, scenario: u64) -> Self {
        Self {
            suffix: format!("{}{scenario}", run_marker(run_id)),
        }
    }

    /// The real name of `alias` (also of a glob: `web-*` finds only this scenario's `web-…`).
    pub fn real_name(&self, alias: &str) -> String {
        format!("{alias}{}", self.suffix)
    }

    /// The alias of a real name, if the name is this scenario's.
    pub fn alias_of<'a>(&self, real_name: &'a str) -> Option<&'a str> {
        real_name.strip_suffix(self.suffix.as_str())
    }

    /// `text` with this scenario's real names replaced by their aliases: every occurrence of
    /// the suffix not followed by a letter, digit or `_` (scenario 4's `--k3x9-4` is not
    /// scenario 41's `--k3x9-41`). No regex: this runs on every message and journal entry.
    pub fn to_aliases(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find(self.suffix.as_str()) {
            let after = &rest[at + self.suffix.len()..];
            let word_goes_on = after
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
            out.push_str(&rest[..at]);
            if word_goes_on {
                out.push_str(&self.suffix);
            }
            rest = after;
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_messages_read_in_aliases() {
        let namer = Namer::new("k3x9", 4);
        let real = namer.real_name("web-01");
        assert_eq!(real, "web-01--k3x9-4");
        assert_eq!(namer.alias_of(&real), Some("web-01"));
        assert_eq!(namer.alias_of("web-01--k3x9-41"), None);
        assert_eq!(
            namer.to_aliases("MAC address duplicate found. Object with the conflict has the name \"web-01--k3x9-4\""),
            "MAC address duplicate found. Object with the conflict has the name \"web-01\""
        );
        assert_eq!(namer.to_aliases("db--k3x9-41"), "db--k3x9-41");
        assert_eq!(
            namer.to_aliases("a--k3x9-4 b--k3x9-4_x c--k3x9-4"),
            "a b--k3x9-4_x c"
        );
        assert_eq!(namer.to_aliases(""), "");
    }

    #[test]
    fn run_ids_are_short_and_fresh() {
        let a = new_run_id();
        assert_eq!(a.len(), RUN_ID_LEN);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
    }

    #[test]
    fn run_ids_carry_their_start_time_and_hand_made_ones_do_not() {
        let start = UNIX_EPOCH + Duration::from_secs(1_795_000_000);
        let id = run_id_at(start);
        assert_eq!(&id[..TIME_LEN], "top2v4", "{id}");
        assert_eq!(run_started_at(&id), Some(start));
        assert!(run_started_at(&new_run_id()).is_some());
        // Hand-made ids: the wrong length, a time before 2024, or a time far in the future.
        assert_eq!(run_started_at("ci42"), None);
        assert_eq!(run_started_at("ci000001"), None);
        assert_eq!(run_started_at("zzzzzz00"), None);
    }

    #[test]
    fn real_names_tell_their_run_and_scenario() {
        assert_eq!(parse_real_name("web-01--tf2k9qx7-4"), Some(("tf2k9qx7", 4)));
        assert_eq!(parse_real_name("a--b--ci42-17"), Some(("ci42", 17)));
        assert_eq!(parse_real_name("web-01"), None);
        assert_eq!(parse_real_name("web--01"), None);
        assert_eq!(parse_real_name("web--Ab-1"), None);
    }
}
