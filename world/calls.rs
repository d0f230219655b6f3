//! The World's view of its scenario's calls: the journal (what the steps sent and got),
//! injected faults, and the scenario's captured log. Backend-neutral: call names are whatever
//! the family's layer records (`save_system`, `POST /v1/nodes`), shown with aliases, and a
//! feature names them one way for checks and faults alike ([`crate::calls::call_name`]).

use crate::calls::call_name;
use crate::calls::faults::{FaultKind, FaultRule};
use crate::calls::journal::{self, Expectation};
use crate::world::{StepResult, WorldError};
use serde_json::Value;

use super::ProvWorld;

impl ProvWorld {
    /// Ok when the steps made exactly `times` calls to `name`; otherwise what they made.
    pub fn expect_calls(&self, name: &str, times: usize) -> StepResult {
        Expectation::calls_to(name)
            .times(times)
            .verify(&self.calls.calls())
            .map_err(WorldError::from)
    }

    /// Ok when the steps called `names` in this order (other calls may come between).
    pub fn expect_calls_in_order(&self, names: &[String]) -> StepResult {
        let calls = self.calls.calls();
        let mut next = names.iter().peekable();
        for call in &calls {
            if next
                .peek()
                .is_some_and(|name| call_name::names(name, &call.name))
            {
                next.next();
            }
        }
        match next.next() {
            None => Ok(()),
            Some(missing) => Err(crate::assertion!(
                "expected the calls {} in this order, but found no {missing} after the ones before it; the server received {}:\n{}",
                names.join(", "),
                calls.len(),
                journal::report(&calls)
            )),
        }
    }

    /// Ok when some call to `name` has every `(path, value)` among its arguments (`1.hostname`
    /// for XML-RPC's second argument's `hostname`, `driver` for a JSON body's member).
    pub fn expect_call_with(&self, name: &str, rows: &[(String, String)]) -> StepResult {
        let calls = self.calls.calls();
        let matches = |arguments: &Value| {
            rows.iter().all(|(path, want)| {
                journal::at_path(arguments, path)
                    .is_some_and(|got| journal::contains(got, &Value::String(want.clone())))
            })
        };
        if calls
            .iter()
            .any(|c| call_name::names(name, &c.name) && matches(&c.arguments))
        {
            return Ok(());
        }
        let wanted: Vec<String> = rows.iter().map(|(p, v)| format!("{p} = {v:?}")).collect();
        Err(crate::assertion!(
            "expected a call to {name} with {}; the server received {}:\n{}",
            wanted.join(", "),
            calls.len(),
            journal::report(&calls)
        ))
    }

    /// Makes the next `times` calls (to `call`, or any; every one with `None`) fail as `fault`
    /// says, or be slowed by it.
    pub fn inject(&self, call: Option<&str>, times: Option<u32>, fault: FaultKind) {
        self.calls.inject(FaultRule {
            call: call.map(str::to_owned),
            times,
            fault,
        });
    }

    /// Ok when the scenario's log has (or, with `present` false, has not) a line containing
    /// `text`; otherwise the log.
    pub fn expect_log(&self, text: &str, present: bool) -> StepResult {
        let lines = self.calls.log_lines();
        if lines.iter().any(|l| l.contains(text)) == present {
            return Ok(());
        }
        let shown = if lines.is_empty() {
            "  (empty)".to_owned()
        } else {
            lines
                .iter()
                .map(|l| format!("  {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        Err(crate::assertion!(
            "the scenario's log should {}contain {text:?}; it holds:\n{shown}",
            if present { "" } else { "not " }
        ))
    }
}
