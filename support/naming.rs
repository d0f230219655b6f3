//! Real names for the aliases features use.
//!
//! A feature says `"web-01"`; the server sees `web-01--k3x9-4`: the alias, then a suffix made
//! of the run's id and the scenario's number. Two scenarios, or two runs against one shared
//! server, never collide, and everything a run created can be found by its run id.

use std::sync::LazyLock;

use regex::Regex;

/// Characters of a run id.
const RUN_ID_LEN: usize = 4;

/// A fresh random run id: four lower-case letters and digits.
pub fn new_run_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..RUN_ID_LEN)
        .map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// The marker every real name of run `run_id` contains: `--{run_id}-`.
pub fn run_marker(run_id: &str) -> String {
    format!("--{run_id}-")
}

/// Maps one scenario's aliases to real names and back.
#[derive(Clone, Debug)]
pub struct Namer {
    suffix: String,
    suffix_re: Regex,
}

impl Namer {
    /// Names for scenario number `scenario` of run `run_id`.
    pub fn new(run_id: &str, scenario: u64) -> Self {
        let suffix = format!("{}{scenario}", run_marker(run_id));
        let suffix_re =
            Regex::new(&format!(r"{}\b", regex::escape(&suffix))).expect("suffix regex compiles");
        Self { suffix, suffix_re }
    }

    /// The real name of `alias` (also of a glob: `web-*` finds only this scenario's `web-…`).
    pub fn real_name(&self, alias: &str) -> String {
        format!("{alias}{}", self.suffix)
    }

    /// The alias of a real name, if the name is this scenario's.
    pub fn alias_of<'a>(&self, real_name: &'a str) -> Option<&'a str> {
        real_name.strip_suffix(self.suffix.as_str())
    }

    /// `text` with this scenario's real names replaced by their aliases.
    pub fn to_aliases(&self, text: &str) -> String {
        static NOTHING: LazyLock<String> = LazyLock::new(String::new);
        self.suffix_re
            .replace_all(text, NOTHING.as_str())
            .into_owned()
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
}
