//! The public methods of cobblerd 3.3.10's XML-RPC interface with their positional parameters
//! (`recorded/remote_methods.json`, read from `cobbler/remote.py` by
//! `scripts/record-remote-methods.py`): which methods the real server has, and the
//! `TypeError` Python raises, before the method runs, for a call with too few or too many
//! arguments.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::python::{cx, exception};
use crate::cobbler::protocol::Fault;

/// One method's positional parameters (without `self`).
#[derive(Debug, serde::Deserialize)]
pub struct Signature {
    /// Their names, in order.
    pub params: Vec<String>,
    /// How many have no default.
    pub required: usize,
    /// True when the method takes `*args` (then any number more is accepted).
    pub varargs: bool,
}

#[derive(serde::Deserialize)]
struct Recorded {
    methods: BTreeMap<String, Signature>,
}

fn recorded() -> &'static BTreeMap<String, Signature> {
    static METHODS: OnceLock<BTreeMap<String, Signature>> = OnceLock::new();
    METHODS.get_or_init(|| {
        let recorded: Recorded = serde_json::from_str(include_str!("recorded/remote_methods.json"))
            .expect("recorded/remote_methods.json lists methods with their parameters");
        recorded.methods
    })
}

/// Every public method of the real server, sorted.
pub fn remote_methods() -> impl Iterator<Item = &'static str> {
    recorded().keys().map(String::as_str)
}

/// The signature of the real server's method `method`, if it has one of that name.
pub fn signature(method: &str) -> Option<&'static Signature> {
    recorded().get(method)
}

/// What cobblerd's `_dispatch` refuses before looking a method up.
pub fn forbidden(method: &str) -> Option<Fault> {
    (method.starts_with('_') || method == "background_load_items").then(|| cx("forbidden method"))
}

impl Signature {
    /// Python's `TypeError` when `given` positional arguments do not fit.
    pub fn check(&self, method: &str, given: usize) -> Result<(), Fault> {
        let callee = format!("CobblerXMLRPCInterface.{method}()");
        if given < self.required {
            let missing = &self.params[given..self.required];
            let s = if missing.len() == 1 { "" } else { "s" };
            return Err(exception(
                "TypeError",
                format!(
                    "{callee} missing {} required positional argument{s}: {}",
                    missing.len(),
                    python_name_list(missing)
                ),
            ));
        }
        if given > self.params.len() && !self.varargs {
            // Python counts `self`.
            let (most, given) = (self.params.len() + 1, given + 1);
            let takes = if self.required == self.params.len() {
                let s = if most == 1 { "" } else { "s" };
                format!("{most} positional argument{s}")
            } else {
                format!("from {} to {most} positional arguments", self.required + 1)
            };
            return Err(exception(
                "TypeError",
                format!("{callee} takes {takes} but {given} were given"),
            ));
        }
        Ok(())
    }
}

/// `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'`, as Python lists missing arguments.
fn python_name_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [first, second] => format!("{first} and {second}"),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault_text(method: &str, given: usize) -> String {
        signature(method)
            .expect("a recorded method")
            .check(method, given)
            .expect_err("a wrong count")
            .string
    }

    #[test]
    fn counts_are_checked_with_pythons_words() {
        assert_eq!(
            fault_text("ping", 1),
            "<class 'TypeError'>:CobblerXMLRPCInterface.ping() takes 1 positional argument but 2 were given"
        );
        assert_eq!(
            fault_text("get_distros", 4),
            "<class 'TypeError'>:CobblerXMLRPCInterface.get_distros() takes from 1 to 4 positional arguments but 5 were given"
        );
        assert_eq!(
            fault_text("modify_distro", 1),
            "<class 'TypeError'>:CobblerXMLRPCInterface.modify_distro() missing 3 required positional arguments: 'attribute', 'arg', and 'token'"
        );
        assert_eq!(
            fault_text("get_item_resolved_value", 0),
            "<class 'TypeError'>:CobblerXMLRPCInterface.get_item_resolved_value() missing 2 required positional arguments: 'item_uuid' and 'attribute'"
        );
        assert!(signature("modify_distro").is_some_and(|s| s.check("modify_distro", 4).is_ok()));
    }

    #[test]
    fn private_names_are_forbidden() {
        assert!(forbidden("_dispatch").is_some());
        assert!(forbidden("background_load_items").is_some());
        assert!(forbidden("ping").is_none());
        assert!(signature("unknown_method_of_provspec").is_none());
    }
}

#[cfg(test)]
mod coverage {
    use super::*;
    use crate::cobbler::fake::FakeCobbler;
    use crate::cobbler::protocol::Value;

    /// The README's section on the fake Cobbler's differences.
    fn readme_differences() -> &'static str {
        let readme = include_str!("../../../README.md");
        let start = readme.find("### Cobbler").unwrap_or(0);
        let end = readme[start..]
            .find("### Ironic")
            .map_or(readme.len(), |at| start + at);
        &readme[start..end]
    }

    /// Every method of the real server, called with as many arguments as it requires: none may
    /// be unknown to the fake, and those the fake does not implement are in the README's table.
    #[test]
    fn every_method_of_the_real_server_is_answered_or_listed_as_not_faked() {
        let fake = FakeCobbler::default();
        let table = readme_differences();
        let (mut unknown, mut unlisted) = (Vec::new(), Vec::new());
        for method in remote_methods() {
            let required = signature(method).map_or(0, |s| s.required);
            let Err(fault) = fake.dispatch(method, &vec![Value::String("x".into()); required])
            else {
                continue;
            };
            if fault.string.contains("unknown remote method") {
                unknown.push(method);
            } else if fault.string.contains("does not implement the method")
                && !table.contains(&format!("`{method}`"))
            {
                unlisted.push(method);
            }
        }
        assert!(unknown.is_empty(), "unknown to the fake: {unknown:?}");
        assert!(
            unlisted.is_empty(),
            "not faked and not in the README's table of differences: {unlisted:?}"
        );
    }

    /// The fake answers no method the real server lacks (cobblerd: "unknown remote method").
    #[test]
    fn the_fake_answers_only_methods_the_real_server_has() {
        let extra: Vec<String> = FakeCobbler::method_names()
            .into_iter()
            .filter(|m| signature(m).is_none())
            .collect();
        assert!(extra.is_empty(), "the real server has none of {extra:?}");
    }
}
