//! Positional arguments of one fake call, checked like Python checks a method's signature.

use super::python::exception;
use crate::cobbler::protocol::{Fault, Value, ValueExt};

/// The arguments of one call, with the method's parameter names for messages.
pub struct Args<'a> {
    method: &'a str,
    values: &'a [Value],
    params: &'a [&'a str],
}

impl<'a> Args<'a> {
    /// Checks the count: `required` parameters must be given, then up to `optional` more.
    pub fn new(
        method: &'a str,
        values: &'a [Value],
        params: &'a [&'a str],
        required: usize,
    ) -> Result<Self, Fault> {
        if values.len() < required {
            let missing = &params[values.len()..required];
            let names = missing
                .iter()
                .map(|n| format!("'{n}'"))
                .collect::<Vec<_>>()
                .join(" and ");
            let plural = if missing.len() == 1 {
                "argument"
            } else {
                "arguments"
            };
            return Err(exception(
                "TypeError",
                format!(
                    "{method}() missing {} required positional {plural}: {names}",
                    missing.len()
                ),
            ));
        }
        if values.len() > params.len() {
            // Python counts `self`.
            return Err(exception(
                "TypeError",
                format!(
                    "{method}() takes from {} to {} positional arguments but {} were given",
                    required + 1,
                    params.len() + 1,
                    values.len() + 1
                ),
            ));
        }
        Ok(Self {
            method,
            values,
            params,
        })
    }

    /// The `i`th argument, if given.
    pub fn get(&self, i: usize) -> Option<&'a Value> {
        self.values.get(i)
    }

    /// The `i`th argument as a string.
    pub fn str(&self, i: usize) -> Result<&'a str, Fault> {
        let value = &self.values[i];
        value.as_str().ok_or_else(|| {
            exception(
                "TypeError",
                format!(
                    "{}(): '{}' must be a string, not {}",
                    self.method,
                    self.params[i],
                    value.type_name()
                ),
            )
        })
    }

    /// The `i`th argument as Python truthiness, or `default` when not given.
    pub fn truthy_or(&self, i: usize, default: bool) -> bool {
        match self.values.get(i) {
            None => default,
            Some(Value::Boolean(b)) => *b,
            Some(Value::Integer(n)) => *n != 0,
            Some(Value::Long(n)) => *n != 0,
            Some(Value::String(s)) => !s.is_empty(),
            Some(Value::Nil) => false,
            Some(_) => true,
        }
    }
}
