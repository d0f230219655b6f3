//! Fault strings the way Cobbler's Python server formats them:
//! `"%s:%s" % (type(exc), exc)`, where a `CX` quotes its message like Python's `repr`.

use std::fmt::Display;

use crate::cobbler::protocol::Fault;

/// Python's `repr()` of a string: single quotes unless the text has a single quote and no
/// double quote.
pub fn py_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// A `cobbler.cexceptions.CX` fault: `<class 'cobbler.cexceptions.CX'>:'message'`.
pub fn cx(message: impl AsRef<str>) -> Fault {
    Fault::new(
        1,
        format!(
            "<class 'cobbler.cexceptions.CX'>:{}",
            py_repr(message.as_ref())
        ),
    )
}

/// Any other Python exception: `<class 'ValueError'>:message`.
pub fn exception(class: &str, message: impl Display) -> Fault {
    Fault::new(1, format!("<class '{class}'>:{message}"))
}

/// `ValueError` with `message`.
pub fn value_error(message: impl Display) -> Fault {
    exception("ValueError", message)
}

/// What Python says when code reads an attribute of a missing (`None`) object.
pub fn none_has_no(attribute: &str) -> Fault {
    exception(
        "AttributeError",
        format!("'NoneType' object has no attribute '{attribute}'"),
    )
}

/// Python's `str()` of an XML-RPC value as cobblerd received it (`7`, `True`, `['a']`,
/// `{'k': 'v'}`), for messages that format the value.
pub fn py_str(value: &crate::cobbler::protocol::Value) -> String {
    use crate::cobbler::protocol::Value;
    match value {
        Value::String(s) => s.clone(),
        other => py_value_repr(other),
    }
}

/// Python's `repr()` of an XML-RPC value.
fn py_value_repr(value: &crate::cobbler::protocol::Value) -> String {
    use crate::cobbler::protocol::Value;
    match value {
        Value::String(s) => py_repr(s),
        Value::Integer(i) => i.to_string(),
        Value::Long(l) => l.to_string(),
        Value::Boolean(true) => "True".to_owned(),
        Value::Boolean(false) => "False".to_owned(),
        Value::Double(d) => format!("{d:?}"),
        Value::Nil => "None".to_owned(),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(py_value_repr)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Struct(members) => format!(
            "{{{}}}",
            members
                .iter()
                .map(|(k, v)| format!("{}: {}", py_repr(k), py_value_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_picks_quotes_like_python() {
        assert_eq!(py_repr("login failed (x)"), "'login failed (x)'");
        assert_eq!(
            py_repr("An object already exists with that name. Try 'edit'?"),
            "\"An object already exists with that name. Try 'edit'?\""
        );
        assert_eq!(py_repr("both ' and \""), "'both \\' and \"'");
    }

    #[test]
    fn cx_matches_the_real_server_text() {
        assert_eq!(
            cx("invalid token: abc").string,
            "<class 'cobbler.cexceptions.CX'>:'invalid token: abc'"
        );
    }
}
