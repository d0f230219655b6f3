//! JSON as the real Ironic (Python) reads and writes it: objects keep their key order, parse
//! errors carry Python's `json` messages, and output uses `json.dumps` spacing
//! (`", "`, `": "`, non-ASCII escaped). [`Json::repr`] renders Python's `repr()` of the same
//! value, which Ironic quotes in many error texts.

use std::fmt::Write as _;

/// How deep arrays and objects may nest in a value the fake reads or keeps. Its parser and
/// writers recurse, so it stops there; Python's `json.loads` in the real server reads about
/// 500 levels and its worker dies with SIGSEGV at about 900 (a body sent with a JSON content
/// type is refused at 26 levels before, see [`super::limits`]).
pub const MAX_NESTING: usize = 256;

/// Python's `RecursionError` text for a value nested too deeply to read (`what`: `array` or
/// `object`).
fn recursion_error(doing: &str, what: &str) -> String {
    format!("maximum recursion depth exceeded while {doing} a JSON {what}")
}

/// What Python's `json.dumps` says about a value nested too deeply to write.
pub fn too_deep_to_write() -> String {
    recursion_error("encoding", "object")
}

/// A JSON value whose objects keep their insertion order.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null` (`None`).
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer (Python `int`).
    Int(i128),
    /// A float (Python `float`).
    Float(f64),
    /// A string.
    Str(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, in insertion order.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// A string value.
    pub fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }

    /// A string, or null for `None`.
    pub fn opt(s: Option<&str>) -> Json {
        s.map_or(Json::Null, Json::str)
    }

    /// An empty object.
    pub fn empty() -> Json {
        Json::Object(Vec::new())
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The member `key` of an object, mutable.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        match self {
            Json::Object(members) => members.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Sets `key` (kept in place if present, appended otherwise). No-op on non-objects.
    pub fn set(&mut self, key: &str, value: Json) {
        if let Json::Object(members) = self {
            match members.iter_mut().find(|(k, _)| k == key) {
                Some((_, v)) => *v = value,
                None => members.push((key.to_owned(), value)),
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Json> {
        match self {
            Json::Object(members) => {
                let at = members.iter().position(|(k, _)| k == key)?;
                Some(members.remove(at).1)
            }
            _ => None,
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    /// How deeply arrays and objects nest in this value (a scalar is 0), found without
    /// recursion.
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(self, 0usize)];
        while let Some((value, depth)) = stack.pop() {
            match value {
                Json::Array(items) => {
                    deepest = deepest.max(depth + 1);
                    stack.extend(items.iter().map(|v| (v, depth + 1)));
                }
                Json::Object(members) => {
                    deepest = deepest.max(depth + 1);
                    stack.extend(members.iter().map(|(_, v)| (v, depth + 1)));
                }
                _ => {}
            }
        }
        deepest
    }

    /// Whether this is null.
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// Python's `json.dumps(value)`.
    pub fn dumps(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Json::Float(f) => out.push_str(&float_repr(*f, true)),
            Json::Str(s) => json_string(s, out),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    json_string(k, out);
                    out.push_str(": ");
                    v.write_json(out);
                }
                out.push('}');
            }
        }
    }

    /// Python's `repr(value)` (`{'op': 'add', 'value': True}`).
    pub fn repr(&self) -> String {
        let mut out = String::new();
        self.write_repr(&mut out);
        out
    }

    fn write_repr(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("None"),
            Json::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
            Json::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Json::Float(f) => out.push_str(&float_repr(*f, false)),
            Json::Str(s) => out.push_str(&py_str_repr(s)),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_repr(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&py_str_repr(k));
                    out.push_str(": ");
                    v.write_repr(out);
                }
                out.push('}');
            }
        }
    }

    /// Python's truthiness of a value coerced to a boolean by Ironic's API types
    /// (`"yes"`, `"true"`, `1`, `true`); `None` when not a recognised boolean.
    pub fn as_bool_like(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            Json::Int(i) => Some(*i != 0),
            Json::Str(s) => parse_bool(s),
            _ => None,
        }
    }
}

/// oslo's `bool_from_string(strict=True)` accepted values.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "t" | "true" | "on" | "y" | "yes" => Some(true),
        "0" | "f" | "false" | "off" | "n" | "no" => Some(false),
        _ => None,
    }
}

fn float_repr(f: f64, json: bool) -> String {
    if f.is_nan() {
        return if json { "NaN" } else { "nan" }.to_owned();
    }
    if f.is_infinite() {
        let s = if json { "Infinity" } else { "inf" };
        return if f < 0.0 {
            format!("-{s}")
        } else {
            s.to_owned()
        };
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        // Python: 1e+20, 1e-05
        let s = format!("{f:e}");
        match s.split_once('e') {
            Some((m, e)) => {
                let (sign, digits) = match e.strip_prefix('-') {
                    Some(d) => ('-', d),
                    None => ('+', e),
                };
                format!("{m}e{sign}{digits:0>2}")
            }
            None => s,
        }
    } else {
        format!("{f:?}")
    }
}

fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Python's `repr()` of a `str`.
pub fn py_str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::new();
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (0x80..0xa0).contains(&(c as u32)) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Parses `text` as Python's `json.loads` would; the error is Python's message
/// (`Expecting value: line 1 column 1 (char 0)`).
pub fn parse(text: &str) -> Result<Json, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut p = Parser {
        s: &chars,
        doc: &chars,
        depth: 0,
    };
    let mut pos = p.ws(0);
    let (value, end) = p.value(pos)?;
    pos = p.ws(end);
    if pos != chars.len() {
        return Err(p.err("Extra data", pos));
    }
    Ok(value)
}

struct Parser<'a> {
    s: &'a [char],
    doc: &'a [char],
    /// Arrays and objects open around the current position.
    depth: usize,
}

impl Parser<'_> {
    fn err(&self, msg: &str, pos: usize) -> String {
        let line = self.doc[..pos].iter().filter(|c| **c == '\n').count() + 1;
        let col = match self.doc[..pos].iter().rposition(|c| *c == '\n') {
            Some(nl) => pos - nl,
            None => pos + 1,
        };
        format!("{msg}: line {line} column {col} (char {pos})")
    }

    fn ws(&self, mut pos: usize) -> usize {
        while pos < self.s.len() && matches!(self.s[pos], ' ' | '\t' | '\n' | '\r') {
            pos += 1;
        }
        pos
    }

    fn starts(&self, pos: usize, lit: &str) -> bool {
        let lit: Vec<char> = lit.chars().collect();
        self.s.len() >= pos + lit.len() && self.s[pos..pos + lit.len()] == lit[..]
    }

    fn value(&mut self, pos: usize) -> Result<(Json, usize), String> {
        let Some(&c) = self.s.get(pos) else {
            return Err(self.err("Expecting value", pos));
        };
        match c {
            '"' => {
                let (s, end) = self.string(pos + 1)?;
                Ok((Json::Str(s), end))
            }
            '{' | '[' => {
                if self.depth >= MAX_NESTING {
                    let what = if c == '{' { "object" } else { "array" };
                    return Err(format!(
                        "{} from a unicode string",
                        recursion_error("decoding", what)
                    ));
                }
                self.depth += 1;
                let parsed = if c == '{' {
                    self.object(pos + 1)
                } else {
                    self.array(pos + 1)
                };
                self.depth -= 1;
                parsed
            }
            'n' if self.starts(pos, "null") => Ok((Json::Null, pos + 4)),
            't' if self.starts(pos, "true") => Ok((Json::Bool(true), pos + 4)),
            'f' if self.starts(pos, "false") => Ok((Json::Bool(false), pos + 5)),
            'N' if self.starts(pos, "NaN") => Ok((Json::Float(f64::NAN), pos + 3)),
            'I' if self.starts(pos, "Infinity") => Ok((Json::Float(f64::INFINITY), pos + 8)),
            '-' if self.starts(pos, "-Infinity") => Ok((Json::Float(f64::NEG_INFINITY), pos + 9)),
            '-' | '0'..='9' => self.number(pos),
            _ => Err(self.err("Expecting value", pos)),
        }
    }

    fn number(&self, start: usize) -> Result<(Json, usize), String> {
        let s = self.s;
        let mut pos = start;
        if s.get(pos) == Some(&'-') {
            pos += 1;
        }
        match s.get(pos) {
            Some('0') => pos += 1,
            Some('1'..='9') => {
                while matches!(s.get(pos), Some('0'..='9')) {
                    pos += 1;
                }
            }
            _ => return Err(self.err("Expecting value", start)),
        }
        let mut float = false;
        if s.get(pos) == Some(&'.') && matches!(s.get(pos + 1), Some('0'..='9')) {
            float = true;
            pos += 1;
            while matches!(s.get(pos), Some('0'..='9')) {
                pos += 1;
            }
        }
        if matches!(s.get(pos), Some('e' | 'E')) {
            let mut e = pos + 1;
            if matches!(s.get(e), Some('+' | '-')) {
                e += 1;
            }
            if matches!(s.get(e), Some('0'..='9')) {
                while matches!(s.get(e), Some('0'..='9')) {
                    e += 1;
                }
                float = true;
                pos = e;
            }
        }
        let text: String = s[start..pos].iter().collect();
        if float {
            Ok((Json::Float(text.parse().unwrap_or(f64::INFINITY)), pos))
        } else {
            match text.parse::<i128>() {
                Ok(i) => Ok((Json::Int(i), pos)),
                Err(_) => Ok((Json::Float(text.parse().unwrap_or(f64::INFINITY)), pos)),
            }
        }
    }

    fn string(&self, start: usize) -> Result<(String, usize), String> {
        let s = self.s;
        let mut out = String::new();
        let mut pos = start;
        loop {
            let Some(&c) = s.get(pos) else {
                return Err(self.err("Unterminated string starting at", start - 1));
            };
            match c {
                '"' => return Ok((out, pos + 1)),
                '\\' => {
                    let Some(&e) = s.get(pos + 1) else {
                        return Err(self.err("Unterminated string starting at", start - 1));
                    };
                    match e {
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        '/' => out.push('/'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => {
                            let unit = self
                                .hex4(pos + 2)
                                .ok_or_else(|| self.err("Invalid \\uXXXX escape", pos + 1))?;
                            pos += 6;
                            if (0xd800..0xdc00).contains(&unit)
                                && s.get(pos) == Some(&'\\')
                                && s.get(pos + 1) == Some(&'u')
                                && let Some(low) = self.hex4(pos + 2)
                                && (0xdc00..0xe000).contains(&low)
                            {
                                let cp = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                                out.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                                pos += 6;
                                continue;
                            }
                            out.push(char::from_u32(unit).unwrap_or('\u{fffd}'));
                            continue;
                        }
                        _ => return Err(self.err("Invalid \\escape", pos)),
                    }
                    pos += 2;
                }
                c if (c as u32) < 0x20 => {
                    return Err(self.err("Invalid control character at", pos));
                }
                c => {
                    out.push(c);
                    pos += 1;
                }
            }
        }
    }

    fn hex4(&self, pos: usize) -> Option<u32> {
        let digits: String = self.s.get(pos..pos + 4)?.iter().collect();
        if digits.chars().all(|c| c.is_ascii_hexdigit()) {
            u32::from_str_radix(&digits, 16).ok()
        } else {
            None
        }
    }

    fn object(&mut self, start: usize) -> Result<(Json, usize), String> {
        let mut members: Vec<(String, Json)> = Vec::new();
        let mut pos = self.ws(start);
        if self.s.get(pos) == Some(&'}') {
            return Ok((Json::Object(members), pos + 1));
        }
        loop {
            if self.s.get(pos) != Some(&'"') {
                return Err(self.err("Expecting property name enclosed in double quotes", pos));
            }
            let (key, end) = self.string(pos + 1)?;
            pos = self.ws(end);
            if self.s.get(pos) != Some(&':') {
                return Err(self.err("Expecting ':' delimiter", pos));
            }
            pos = self.ws(pos + 1);
            let (value, end) = self.value(pos)?;
            match members.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => *v = value,
                None => members.push((key, value)),
            }
            pos = self.ws(end);
            match self.s.get(pos) {
                Some('}') => return Ok((Json::Object(members), pos + 1)),
                Some(',') => pos = self.ws(pos + 1),
                _ => return Err(self.err("Expecting ',' delimiter", pos)),
            }
        }
    }

    fn array(&mut self, start: usize) -> Result<(Json, usize), String> {
        let mut items = Vec::new();
        let mut pos = self.ws(start);
        if self.s.get(pos) == Some(&']') {
            return Ok((Json::Array(items), pos + 1));
        }
        loop {
            let (value, end) = self.value(pos)?;
            items.push(value);
            pos = self.ws(end);
            match self.s.get(pos) {
                Some(']') => return Ok((Json::Array(items), pos + 1)),
                Some(',') => pos = self.ws(pos + 1),
                _ => return Err(self.err("Expecting ',' delimiter", pos)),
            }
        }
    }
}

/// Builds an object from `(key, value)` pairs, in order.
pub fn obj(pairs: Vec<(&str, Json)>) -> Json {
    Json::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_error_messages() {
        assert_eq!(
            parse("not json").unwrap_err(),
            "Expecting value: line 1 column 1 (char 0)"
        );
        assert_eq!(
            parse("{\"driver\":\"fake-hardware\"").unwrap_err(),
            "Expecting ',' delimiter: line 1 column 26 (char 25)"
        );
        assert_eq!(
            parse("{\"driver\":\"fake-hardware\"} x").unwrap_err(),
            "Extra data: line 1 column 28 (char 27)"
        );
        assert_eq!(
            parse("{'a':1}").unwrap_err(),
            "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
        );
        assert_eq!(
            parse("\n\n  [1,").unwrap_err(),
            "Expecting value: line 3 column 6 (char 7)"
        );
    }

    #[test]
    fn nesting_is_bounded_with_pythons_recursion_error() {
        let nested = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(parse(&nested(MAX_NESTING)).unwrap().depth(), MAX_NESTING);
        assert_eq!(
            parse(&nested(100_000)).unwrap_err(),
            "maximum recursion depth exceeded while decoding a JSON array from a unicode string"
        );
        let objects = format!(
            "{}1{}",
            "{\"a\":".repeat(MAX_NESTING + 1),
            "}".repeat(MAX_NESTING + 1)
        );
        assert_eq!(
            parse(&objects).unwrap_err(),
            "maximum recursion depth exceeded while decoding a JSON object from a unicode string"
        );
    }

    #[test]
    fn keeps_order_and_dumps_like_python() {
        let v = parse(r#"{"z": 1, "a": [true, null, 1.5, "é"]}"#).unwrap();
        assert_eq!(v.dumps(), r#"{"z": 1, "a": [true, null, 1.5, "\u00e9"]}"#);
        assert_eq!(v.repr(), "{'z': 1, 'a': [True, None, 1.5, 'é']}");
        assert_eq!(Json::str("it's").repr(), "\"it's\"");
        assert_eq!(Json::Float(1e20).dumps(), "1e+20");
        assert_eq!(Json::Float(100000.0).dumps(), "100000.0");
    }
}
