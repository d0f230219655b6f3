//! The server and session calls that need no item: `ping`, the versions, `login` and the
//! token calls, `check`, `last_modified_time`; and what the dispatcher answers last, the item
//! verbs by method name or "unknown remote method".

use super::args::Args;
use super::check;
use super::not_faked::not_faked;
use super::python::cx;
use super::rare_calls::DIRECT_USER;
use super::signatures;
use super::state::State;
use super::verbs::{generic_item_verb, parse_item_method};
use super::{VERSION, extended_version};
use crate::cobbler::protocol::{Fault, Value, ValueExt};

impl State {
    /// A session or server-identity call, answered; `None` for any other method.
    pub fn session_call(&mut self, method: &str, values: &[Value]) -> Option<Result<Value, Fault>> {
        Some(match method {
            "ping" => Ok(Value::Boolean(true)),
            "version" => Ok(Value::Double(VERSION)),
            "extended_version" => Ok(extended_version()),
            "login" => self.login(method, values),
            "logout" => self.logout(method, values),
            "token_check" => self.token_check(method, values),
            "get_user_from_token" => self.user_from_token(method, values),
            "check" => self.check(method, values),
            "last_modified_time" => self.last_modified_time(method, values),
            _ => return None,
        })
    }

    /// `login(user, password)`: a token, or cobblerd's fault; `login("", shared_secret)` is
    /// `<DIRECT>`.
    fn login(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["login_user", "login_password"], 2)?;
        let (user, password) = (args.str(0)?, args.str(1)?);
        let shared_secret = user.is_empty() && self.shared_secret.as_deref() == Some(password);
        if shared_secret {
            Ok(Value::String(self.tokens.issue(DIRECT_USER)))
        } else if self.users.iter().any(|(u, p)| u == user && p == password) {
            Ok(Value::String(self.tokens.issue(user)))
        } else {
            Err(cx(format!("login failed ({user})")))
        }
    }

    /// `logout(token)`: true when the token was known.
    fn logout(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["token"], 1)?;
        let token = args.get(0).and_then(ValueExt::as_str).unwrap_or("");
        Ok(Value::Boolean(self.tokens.forget(token)))
    }

    /// `token_check(token)`.
    fn token_check(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["token"], 1)?;
        let token = args.get(0).and_then(ValueExt::as_str).unwrap_or("");
        Ok(Value::Boolean(self.tokens.check(token)))
    }

    /// `get_user_from_token(token)`.
    fn user_from_token(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["token"], 1)?;
        Ok(Value::String(self.tokens.user_of(args.get(0))?.to_owned()))
    }

    /// `check(token)`: the advice before a first sync.
    fn check(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["token"], 1)?;
        self.tokens.validate(args.get(0))?;
        Ok(check::check(self.store.settings()))
    }

    /// `last_modified_time(token=None)`.
    fn last_modified_time(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        Args::new(method, values, &["token"], 0)?;
        Ok(Value::Double(self.store.last_modified()))
    }

    /// An item verb written per kind or generically; a method of the real server the fake does
    /// not implement faults `not_faked`; anything else is unknown, as to cobblerd.
    pub fn item_call_or_unknown(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        if let Some((verb, kind)) = parse_item_method(method) {
            return self.item_call(verb, kind, method, values);
        }
        if let Some(verb) = generic_item_verb(method) {
            return self.generic_item_call(verb, method, values);
        }
        if signatures::signature(method).is_some() {
            return Err(not_faked(&format!("the method {method}")));
        }
        Err(cx(format!("unknown remote method '{method}'")))
    }
}
