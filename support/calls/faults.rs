//! Faults to inject into a scenario's calls, whatever the backend: each family's transport
//! layer turns a [`FaultKind`] into what its client would see from a real server failing
//! that way (an XML-RPC fault, an HTTP status, a reset connection, a broken body).

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How a call fails (or is slowed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum FaultKind {
    /// The server refuses the call with `message`: an XML-RPC fault (code 1, Cobbler's CX
    /// text), or an HTTP 400 with an API error body.
    Refuse {
        /// What the refusal says.
        message: String,
    },
    /// The server answers with this HTTP status (and `body`, or a short text of its own).
    HttpStatus {
        /// The status.
        status: u16,
        /// The body; empty for the family's usual one.
        #[serde(default)]
        body: String,
    },
    /// The call takes `base` longer (plus up to `jitter` at random), then goes through.
    Latency {
        /// The added time, in milliseconds.
        base_ms: u64,
        /// At most this much more, at random, in milliseconds.
        #[serde(default)]
        jitter_ms: u64,
    },
    /// The call takes longer than the call timeout: the client gives up, as it would.
    Stall,
    /// The connection is dropped before an answer.
    Drop,
    /// The reply is not what the protocol promises.
    Malformed {
        /// Which way it is broken.
        form: Malformed,
    },
}

/// The error page a proxy in front of a server answers with (HTTP 502), as a
/// [`Malformed::HtmlPage`] fault gives it, client-side or in a fake's control API.
pub const HTML_ERROR_PAGE: &str =
    "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>";

/// Ways a reply can be broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Malformed {
    /// A body that does not parse (bad XML, bad JSON).
    Garbage,
    /// An HTML error page from a proxy in front of the server (HTTP 502).
    HtmlPage,
    /// A body cut off halfway.
    Truncated,
}

impl FaultKind {
    /// The fault in words, for the journal and messages.
    pub fn describe(&self) -> String {
        match self {
            Self::Refuse { message } => format!("refused with {message:?}"),
            Self::HttpStatus { status, .. } => format!("HTTP {status}"),
            Self::Latency { base_ms, jitter_ms } if *jitter_ms > 0 => {
                format!("{base_ms} ms (± up to {jitter_ms} ms) of latency")
            }
            Self::Latency { base_ms, .. } => format!("{base_ms} ms of latency"),
            Self::Stall => "slower than the call timeout".to_owned(),
            Self::Drop => "dropped connection".to_owned(),
            Self::Malformed { form } => match form {
                Malformed::Garbage => "malformed reply".to_owned(),
                Malformed::HtmlPage => "an HTML error page".to_owned(),
                Malformed::Truncated => "a truncated reply".to_owned(),
            },
        }
    }

    /// The latency to add before the call, if this is latency.
    pub fn delay(&self) -> Option<Duration> {
        match self {
            Self::Latency { base_ms, jitter_ms } => {
                let jitter = if *jitter_ms > 0 {
                    rand::random_range(0..=*jitter_ms)
                } else {
                    0
                };
                Some(Duration::from_millis(base_ms + jitter))
            }
            _ => None,
        }
    }
}

/// One rule: which calls it applies to, how many times, and the fault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    /// The call's name (`save_system`, `POST /v1/nodes`, as [`super::call_name`] reads it);
    /// every call when absent.
    #[serde(default)]
    pub call: Option<String>,
    /// How many matching calls it applies to; every one when absent.
    #[serde(default)]
    pub times: Option<u32>,
    /// The fault.
    #[serde(flatten)]
    pub fault: FaultKind,
}

impl FaultRule {
    /// True when the rule applies to a call named `name`.
    pub fn matches(&self, name: &str) -> bool {
        self.call
            .as_ref()
            .is_none_or(|wanted| super::call_name::names(wanted, name))
    }
}

/// The faults waiting for a scenario's calls, oldest rule first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultPlan {
    /// The rules; a rule whose count reaches zero is dropped.
    pub rules: Vec<FaultRule>,
}

impl FaultPlan {
    /// Adds a rule.
    pub fn add(&mut self, rule: FaultRule) {
        self.rules.push(rule);
    }

    /// The faults for the next call named `name`: the latency to add (all matching latency
    /// rules, summed) and the first matching failure, each counted down once.
    pub fn take(&mut self, name: &str) -> (Duration, Option<FaultKind>) {
        let mut delay = Duration::ZERO;
        let mut failure = None;
        for rule in &mut self.rules {
            if !rule.matches(name) || rule.times == Some(0) {
                continue;
            }
            let is_latency = matches!(rule.fault, FaultKind::Latency { .. });
            if !is_latency && failure.is_some() {
                continue;
            }
            if let Some(times) = rule.times.as_mut() {
                *times -= 1;
            }
            match rule.fault.delay() {
                Some(added) => delay += added,
                None => failure = Some(rule.fault.clone()),
            }
        }
        self.rules.retain(|r| r.times != Some(0));
        (delay, failure)
    }

    /// The rules that were to fail a number of calls and did not get them all: a rule for a
    /// call the scenario never makes is a mistake of the feature (a misspelt method or path),
    /// not a fault that held. Rules for every call (no count) are never owed.
    pub fn unfired(&self) -> Vec<&FaultRule> {
        self.rules
            .iter()
            .filter(|r| r.times.is_some_and(|n| n > 0))
            .collect()
    }
}

impl FaultRule {
    /// The rule in words: "the next 2 calls to save_distor: refused with \"x\"".
    pub fn describe(&self) -> String {
        let times = match self.times {
            Some(1) | None => "the next call".to_owned(),
            Some(n) => format!("the next {n} calls"),
        };
        let call = self
            .call
            .as_ref()
            .map_or_else(String::new, |call| format!(" to {call:?}"));
        format!("{times}{call}: {}", self.fault.describe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_count_down_match_by_name_or_path_and_add_latency() {
        let mut plan = FaultPlan::default();
        plan.add(FaultRule {
            call: Some("save_system".into()),
            times: Some(2),
            fault: FaultKind::Refuse {
                message: "no".into(),
            },
        });
        plan.add(FaultRule {
            call: None,
            times: None,
            fault: FaultKind::Latency {
                base_ms: 5,
                jitter_ms: 0,
            },
        });
        plan.add(FaultRule {
            call: Some("PATCH /v1/nodes".into()),
            times: Some(1),
            fault: FaultKind::Drop,
        });
        assert_eq!(plan.take("get_system"), (Duration::from_millis(5), None));
        let (_, first) = plan.take("save_system");
        assert!(matches!(first, Some(FaultKind::Refuse { .. })));
        assert!(plan.take("save_system").1.is_some());
        assert_eq!(plan.take("save_system").1, None);
        assert_eq!(plan.take("PATCH /v1/nodesx").1, None);
        assert_eq!(plan.take("PATCH /v1/nodes/n1").1, Some(FaultKind::Drop));
        assert_eq!(plan.take("PATCH /v1/nodes/n1").1, None);
        assert_eq!(plan.rules.len(), 1);
    }

    #[test]
    fn rules_read_from_json_as_a_control_endpoint_takes_them() {
        let rule: FaultRule = serde_json::from_str(
            r#"{"call": "save_system", "times": 1, "kind": "http-status", "status": 503}"#,
        )
        .unwrap();
        assert_eq!(
            rule.fault,
            FaultKind::HttpStatus {
                status: 503,
                body: String::new()
            }
        );
    }
}
