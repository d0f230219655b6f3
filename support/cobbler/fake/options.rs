//! Options given as text (`kernel_options`, `autoinstall_meta` … as `"a=1 c=3 c=4 b"`) read as
//! cobblerd's `utils.input_string_or_dict` reads them: shell words, `key=value` or a bare key,
//! a key given again collecting its values in a list; and written back as its
//! `utils.dict_to_string` writes them.

use crate::cobbler::protocol::{Value, ValueExt};

/// What a bare key (`quiet`) holds: cobblerd's `None`, which the fake keeps as `~` (what
/// cobblerd sends for it over XML-RPC).
pub const NO_VALUE: &str = "~";

/// The dict `text` gives, keys in the order given: a repeated key's values as a list, the
/// empty key dropped.
pub fn string_to_dict(text: &str) -> Vec<(String, Value)> {
    let mut dict: Vec<(String, Value)> = Vec::new();
    for word in shell_words(text) {
        let (key, value) = match word.split_once('=') {
            Some((key, value)) => (key.to_owned(), Value::String(value.to_owned())),
            None => (word, Value::String(NO_VALUE.to_owned())),
        };
        match dict.iter_mut().find(|(k, _)| *k == key) {
            Some((_, Value::Array(values))) => values.push(value),
            Some((_, first)) => *first = Value::Array(vec![first.clone(), value]),
            None => dict.push((key, value)),
        }
    }
    dict.retain(|(key, _)| !key.is_empty());
    dict
}

/// `shlex.split` for the plain words features and the CLI give (quotes group words).
pub fn shell_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            (None, c) => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
}

/// Cobbler's `dict_to_string`: `key=value ` for each entry, `key ` for an empty one, values
/// with a space in single quotes, a list as one `key=item` per item; keys in the order they
/// were given (`orders`).
pub fn dict_to_string(dict: &Value, orders: &super::wire::DictOrders) -> String {
    let Some(members) = dict.as_struct() else {
        return dict.render();
    };
    let sorted: Vec<String> = members.keys().cloned().collect();
    let keys: Vec<&String> = match orders.get(&sorted) {
        Some(order) => order.iter().collect(),
        None => sorted.iter().collect(),
    };
    let members: Vec<(&String, &Value)> = keys
        .into_iter()
        .filter_map(|k| members.get_key_value(k))
        .collect();
    let one = |key: &str, value: &str| {
        let value = value.trim();
        if value.contains(' ') {
            format!("{key}='{value}' ")
        } else {
            format!("{key}={value} ")
        }
    };
    let mut out = String::new();
    for (key, value) in members {
        match value {
            Value::Nil => out.push_str(&format!("{key} ")),
            Value::String(s) if s.is_empty() || s == "~" => out.push_str(&format!("{key} ")),
            Value::Array(items) if items.is_empty() => out.push_str(&format!("{key} ")),
            Value::Array(items) => {
                for item in items {
                    out.push_str(&one(key, &item.render()));
                }
            }
            other => out.push_str(&one(key, &other.render())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Value {
        Value::String(s.to_owned())
    }

    #[test]
    fn a_repeated_key_collects_its_values_in_a_list() {
        assert_eq!(
            string_to_dict("a=1 c=3 c=4 c=5 b"),
            vec![
                ("a".to_owned(), text("1")),
                (
                    "c".to_owned(),
                    Value::Array(vec![text("3"), text("4"), text("5")])
                ),
                ("b".to_owned(), text(NO_VALUE)),
            ]
        );
    }

    #[test]
    fn quotes_group_words_and_the_empty_key_is_dropped() {
        assert_eq!(
            string_to_dict("x='1 2' =3"),
            vec![("x".to_owned(), text("1 2"))]
        );
    }
}
