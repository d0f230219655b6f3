//! Methods of cobblerd 3.3.10 that no provspec step calls, answered as it answers them on a
//! server set up by `scripts/real-cobbler.sh` (found by `conformance-methods.probe`, which calls
//! every method of the real server's interface).

use super::args::Args;
use super::python::{cx, exception, value_error};
use super::resolved_value::item_with_uid;
use super::state::State;
use crate::cobbler::protocol::{Fault, Value, ValueExt};

/// The user of a token from `login("", shared_secret)` (cobblerd's `<DIRECT>`).
pub const DIRECT_USER: &str = "<DIRECT>";

/// What XML-RPC cannot send: cobblerd's answer when a method returns None.
fn cannot_marshal_none() -> Fault {
    exception(
        "TypeError",
        "cannot marshal None unless allow_none is enabled",
    )
}

/// `xmlrpc_hacks(data)` (`utils.strip_none`): the data with every None as `~`.
pub fn xmlrpc_hacks(values: &[Value]) -> Value {
    fn strip(value: &Value) -> Value {
        match value {
            Value::Nil => Value::String("~".to_owned()),
            Value::Array(items) => Value::Array(items.iter().map(strip).collect()),
            Value::Struct(members) => {
                Value::Struct(members.iter().map(|(k, v)| (k.clone(), strip(v))).collect())
            }
            other => other.clone(),
        }
    }
    values.first().map_or(Value::Nil, strip)
}

impl State {
    /// One of the methods no step calls, answered; `None` for any other method.
    pub fn rare_call(&mut self, method: &str, values: &[Value]) -> Option<Result<Value, Fault>> {
        Some(match method {
            "xmlrpc_hacks" => Ok(xmlrpc_hacks(values)),
            "get_authn_module_name" => self.authn_module_name(values),
            "check_access_no_fail" => Ok(self.check_access_no_fail(values)),
            "dump_vars" => self.dump_vars(values),
            "register_new_system" => self.register_new_system(),
            "upload_log_data" => self.upload_log_data(),
            "auto_add_repos" => self.auto_add_repos(method, values),
            _ => return None,
        })
    }

    /// `get_authn_module_name(token)`: only the shared secret's user may ask.
    pub fn authn_module_name(&self, values: &[Value]) -> Result<Value, Fault> {
        let user = self.tokens.user_of(values.first())?;
        if user != DIRECT_USER {
            return Err(cx(format!(
                "authorization failure for user {user} attempting to access authn module name"
            )));
        }
        Ok(Value::String("authentication.configfile".to_owned()))
    }

    /// `check_access_no_fail(token, resource, arg1=None, arg2=None)`: 1 for a valid token, 0
    /// otherwise (cobblerd's `authorization.allowall`).
    pub fn check_access_no_fail(&self, values: &[Value]) -> Value {
        Value::Integer(i32::from(self.tokens.user_of(values.first()).is_ok()))
    }

    /// `dump_vars(item_uuid, formatted_output=False, remove_dicts=True)`: cobblerd dumps the
    /// variables to its log and returns None, which XML-RPC cannot send.
    pub fn dump_vars(&self, values: &[Value]) -> Result<Value, Fault> {
        let uid = values.first().map(ValueExt::render).unwrap_or_default();
        if item_with_uid(&self.store, &uid).is_none() {
            return Err(value_error(format!(
                "Item with uuid \"{uid}\" does not exist!"
            )));
        }
        Err(cannot_marshal_none())
    }

    /// `register_new_system(info, token=None)`: refused unless `register_new_installs` is on.
    pub fn register_new_system(&self) -> Result<Value, Fault> {
        if self.store.settings().flag("register_new_installs") == Some(true) {
            return Err(super::not_faked::not_faked(
                "register_new_system with register_new_installs on",
            ));
        }
        Err(cx("registration is disabled in cobbler settings"))
    }

    /// `upload_log_data(sys_name, file, size, offset, data, token=None)`: False unless
    /// `anamon_enabled` is on (the fake keeps no anamon logs).
    pub fn upload_log_data(&self) -> Result<Value, Fault> {
        if self.store.settings().flag("anamon_enabled") == Some(true) {
            return Err(super::not_faked::not_faked(
                "upload_log_data with anamon_enabled on",
            ));
        }
        Ok(Value::Boolean(false))
    }

    /// `auto_add_repos(token)`: cobblerd asks dnf for the machine's repos; a Debian server has
    /// no dnf.
    pub fn auto_add_repos(&self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["token"], 1)?;
        self.tokens.user_of(args.get(0))?;
        Err(exception("ImportError", "dnf is not installed"))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn none_becomes_a_tilde_at_any_depth() {
        let data = Value::Struct(BTreeMap::from([(
            "b".to_owned(),
            Value::Array(vec![Value::Nil, Value::Integer(1)]),
        )]));
        let expected = Value::Struct(BTreeMap::from([(
            "b".to_owned(),
            Value::Array(vec![Value::String("~".into()), Value::Integer(1)]),
        )]));
        assert_eq!(xmlrpc_hacks(&[data]), expected);
        assert_eq!(xmlrpc_hacks(&[Value::Nil]), Value::String("~".into()));
    }
}
