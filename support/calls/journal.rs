//! The call journal: every call a scenario made, as it was sent and answered (secrets
//! redacted, real names shown as aliases), and expectations on it in wiremock's spirit.

use std::time::Duration;

use serde_json::Value;

use crate::assertions::{AssertionFailed, Verdict};

/// One call as the journal keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// What was called: an XML-RPC method (`save_system`), or an HTTP verb and path
    /// (`PATCH /v1/nodes/n1`), with aliases for this scenario's real names.
    pub name: String,
    /// The arguments: XML-RPC's positional ones as a JSON array, or the HTTP body's JSON
    /// (`null` without one); passwords, tokens and secrets redacted.
    pub arguments: Value,
    /// The answer: the result (an XML-RPC value, or `{"status": …, "body": …}`), or the error
    /// in words (a fault, an HTTP error, no answer).
    pub outcome: Result<Value, String>,
    /// How long the call took, injected latency included.
    pub duration: Duration,
    /// The injected fault that shaped this call, if any (`"HTTP 503"`, `"dropped connection"`).
    pub injected: Option<String>,
}

impl std::fmt::Display for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.name, self.arguments)?;
        match &self.outcome {
            Ok(_) => write!(f, " -> ok")?,
            Err(error) => write!(f, " -> {error}")?,
        }
        if let Some(fault) = &self.injected {
            write!(f, " (injected: {fault})")?;
        }
        Ok(())
    }
}

/// True when `actual` holds everything `expected` has: objects by key (extra keys allowed),
/// arrays element by element (a shorter expected array matches a prefix), scalars equal; a
/// string matches a number or boolean that prints the same (tables hold text).
pub fn contains(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => e
            .iter()
            .all(|(key, value)| a.get(key).is_some_and(|got| contains(got, value))),
        (Value::Array(a), Value::Array(e)) => {
            e.len() <= a.len() && a.iter().zip(e).all(|(got, want)| contains(got, want))
        }
        (Value::String(a), Value::String(e)) => a == e,
        (got, Value::String(e)) if !got.is_object() && !got.is_array() => {
            let shown = got.to_string();
            shown.as_str() == e.as_str()
        }
        (a, e) => a == e,
    }
}

/// The value at a dotted path (`1.hostname`, `interfaces.0.mac`) in `value`: array elements
/// by index, object members by key.
pub fn at_path<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |here, part| match here {
        Value::Array(items) => part.parse::<usize>().ok().and_then(|i| items.get(i)),
        Value::Object(members) => members.get(part),
        _ => None,
    })
}

/// An expectation on the journal: how many calls to a name (and with which arguments) a
/// scenario should have made, checked with [`Expectation::verify`].
#[derive(Clone, Debug)]
pub struct Expectation {
    name: String,
    arguments: Option<Value>,
    times: Times,
}

/// How many matching calls an [`Expectation`] wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Times {
    /// Exactly this many.
    Exactly(usize),
    /// At least this many.
    AtLeast(usize),
}

impl Expectation {
    /// Calls to `name` (exactly as the journal names them), by default at least one.
    pub fn calls_to(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            arguments: None,
            times: Times::AtLeast(1),
        }
    }

    /// Only calls whose arguments contain `arguments` (see [`contains`]).
    pub fn with_arguments(mut self, arguments: Value) -> Self {
        self.arguments = Some(arguments);
        self
    }

    /// Exactly `n` matching calls.
    pub fn times(mut self, n: usize) -> Self {
        self.times = Times::Exactly(n);
        self
    }

    /// No matching call at all.
    pub fn never(self) -> Self {
        self.times(0)
    }

    /// At least `n` matching calls.
    pub fn at_least(mut self, n: usize) -> Self {
        self.times = Times::AtLeast(n);
        self
    }

    /// Ok when `calls` meet the expectation; otherwise what was wanted and every call received.
    pub fn verify(&self, calls: &[Call]) -> Verdict {
        let matching = calls
            .iter()
            .filter(|c| super::call_name::names(&self.name, &c.name))
            .filter(|c| {
                self.arguments
                    .as_ref()
                    .is_none_or(|a| contains(&c.arguments, a))
            })
            .count();
        let met = match self.times {
            Times::Exactly(n) => matching == n,
            Times::AtLeast(n) => matching >= n,
        };
        if met {
            return Ok(());
        }
        let wanted = match self.times {
            Times::Exactly(n) => format!("exactly {n}"),
            Times::AtLeast(n) => format!("at least {n}"),
        };
        let with = self
            .arguments
            .as_ref()
            .map_or_else(String::new, |a| format!(" with {a}"));
        Err(AssertionFailed::new(format!(
            "expected {wanted} call(s) to {}{with}, got {matching}; the server received {}:\n{}",
            self.name,
            calls.len(),
            report(calls)
        )))
    }
}

/// Every call, one per line, numbered.
pub fn report(calls: &[Call]) -> String {
    if calls.is_empty() {
        return "  (no call)".to_owned();
    }
    calls
        .iter()
        .enumerate()
        .map(|(i, c)| format!("  {:>3}. {c}", i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Replaces what must never be shown: values of keys that name a password or secret, and
/// strings shaped like a Cobbler token (36 characters of base64 ending in `==`).
pub fn redact(value: &mut Value) {
    match value {
        Value::Object(members) => {
            for (key, member) in members.iter_mut() {
                let key = key.to_ascii_lowercase();
                if key.contains("password") || key.contains("secret") || key.contains("token") {
                    *member = Value::String("[redacted]".to_owned());
                } else {
                    redact(member);
                }
            }
        }
        Value::Array(items) => {
            // XML-RPC sets fields positionally: `modify_system(h, "power_pass", VALUE, token)`.
            let mut secret_next = false;
            for item in items.iter_mut() {
                if std::mem::take(&mut secret_next) && item.is_string() {
                    *item = Value::String("[redacted]".to_owned());
                    continue;
                }
                secret_next = item.as_str().is_some_and(names_a_secret);
                redact(item);
            }
        }
        Value::String(text) if is_token_shaped(text) => *text = "[token]".to_owned(),
        _ => {}
    }
}

/// A field name whose value is a secret: Cobbler's `power_pass`, any `…password`.
fn names_a_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name == "power_pass" || name.ends_with("password")
}

/// 25 random bytes in base64, as Cobbler's tokens are.
/// `text` with every token-shaped word in it replaced by `[token]` (a server's error text can
/// quote the token it refused). A `___NEW___` handle has the same shape after its `::` and is
/// no secret: it is kept.
pub fn redact_text(text: &str) -> String {
    let bytes = text.as_bytes();
    let is_token_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < bytes.len() {
        let starts_word = at == 0 || !(is_token_byte(bytes[at - 1]) || bytes[at - 1] == b':');
        let candidate = text.get(at..at + 36);
        if starts_word && candidate.is_some_and(is_token_shaped) {
            out.push_str("[token]");
            at += 36;
            continue;
        }
        let next = text[at..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&text[at..at + next]);
        at += next;
    }
    out
}

fn is_token_shaped(text: &str) -> bool {
    text.len() == 36
        && text.ends_with("==")
        && text[..34]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_token_quoted_in_an_error_text_is_redacted_and_a_handle_kept() {
        let token = "9dSveWVQmHlPlZTjNJfPMx5HCOz8ObIDyQ==";
        assert_eq!(
            redact_text(&format!("CX:'invalid token: {token}'")),
            "CX:'invalid token: [token]'"
        );
        let handle = format!("___NEW___distro::{token}");
        assert_eq!(redact_text(&handle), handle);
        assert_eq!(redact_text("é ok"), "é ok");
    }

    fn call(name: &str, arguments: Value) -> Call {
        Call {
            name: name.to_owned(),
            arguments,
            outcome: Ok(Value::Bool(true)),
            duration: Duration::from_millis(1),
            injected: None,
        }
    }

    #[test]
    fn partial_matches_and_paths() {
        let args = json!(["___NEW___system::x", {"hostname": "web", "virt_ram": 512}, "[token]"]);
        assert!(contains(&args, &json!([])));
        assert!(contains(
            &args,
            &json!(["___NEW___system::x", {"hostname": "web"}])
        ));
        assert!(contains(
            &args,
            &json!(["___NEW___system::x", {"virt_ram": "512"}])
        ));
        assert!(!contains(
            &args,
            &json!(["___NEW___system::x", {"hostname": "db"}])
        ));
        assert_eq!(at_path(&args, "1.hostname"), Some(&json!("web")));
        assert_eq!(at_path(&args, "3"), None);
    }

    #[test]
    fn expectations_report_what_was_received() {
        let calls = [
            call("new_system", json!([])),
            call("save_system", json!(["h", "new"])),
        ];
        assert!(
            Expectation::calls_to("save_system")
                .times(1)
                .verify(&calls)
                .is_ok()
        );
        assert!(
            Expectation::calls_to("remove_distro")
                .never()
                .verify(&calls)
                .is_ok()
        );
        let error = Expectation::calls_to("save_system")
            .with_arguments(json!(["h", "edit"]))
            .verify(&calls)
            .unwrap_err();
        assert!(
            error.to_string().starts_with(
                "expected at least 1 call(s) to save_system with [\"h\",\"edit\"], got 0; the server received 2:\n    1. new_system [] -> ok\n    2. save_system"
            ),
            "{error}"
        );
    }

    #[test]
    fn secrets_are_redacted() {
        let token = format!("{}==", "Ab+/".repeat(9).get(..34).unwrap());
        let mut value = json!({"driver_info": {"ipmi_password": "s3cret", "ipmi_address": "a"},
                               "args": ["cobbler", token, "___NEW___system::x"]});
        redact(&mut value);
        assert_eq!(value["driver_info"]["ipmi_password"], "[redacted]");
        assert_eq!(value["driver_info"]["ipmi_address"], "a");
        assert_eq!(
            value["args"],
            json!(["cobbler", "[token]", "___NEW___system::x"])
        );
        let mut positional = json!(["system::web", "power_pass", "bmc-secret", "x"]);
        redact(&mut positional);
        assert_eq!(
            positional,
            json!(["system::web", "power_pass", "[redacted]", "x"])
        );
    }
}
