//! JSON patch (RFC 6902 `add`, `replace`, `remove`) with Ironic's schema and the
//! `jsonpatch` library's error texts, applied one operation at a time as Ironic does.

use super::errors::ApiError;
use super::json::{Json, MAX_NESTING, py_str_repr, too_deep_to_write};

/// One validated operation.
#[derive(Clone, Debug)]
pub struct Op {
    /// The operation as sent, for error messages.
    pub raw: Json,
    /// `add`, `replace` or `remove`.
    pub op: String,
    /// The JSON pointer.
    pub path: String,
    /// The value (`None` when absent).
    pub value: Option<Json>,
}

impl Op {
    /// The first path segment (`/properties/cpus` gives `properties`).
    pub fn field(&self) -> &str {
        self.path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or("")
    }

    /// Whether the path names a top-level field only.
    pub fn is_top_level(&self) -> bool {
        self.path.matches('/').count() == 1
    }
}

fn schema(msg: String) -> ApiError {
    ApiError::client(400, format!("Schema error for patch: {msg}"))
}

fn path_ok(path: &str) -> bool {
    path.starts_with('/')
        && path[1..].split('/').all(|seg| {
            !seg.is_empty()
                && seg
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        })
}

/// Validates the body against Ironic's patch schema.
pub fn parse(body: &Json) -> Result<Vec<Op>, ApiError> {
    let Json::Array(items) = body else {
        return Err(schema(format!("{} is not of type 'array'", body.repr())));
    };
    let mut ops = Vec::new();
    for item in items {
        let Json::Object(members) = item else {
            return Err(schema(format!("{} is not of type 'object'", item.repr())));
        };
        for required in ["op", "path"] {
            if item.get(required).is_none() {
                return Err(schema(format!("'{required}' is a required property")));
            }
        }
        if let Some((k, _)) = members
            .iter()
            .find(|(k, _)| !matches!(k.as_str(), "op" | "path" | "value"))
        {
            return Err(schema(format!(
                "Additional properties are not allowed ('{k}' was unexpected)"
            )));
        }
        let op = item.get("op").cloned().unwrap_or(Json::Null);
        let op = match op.as_str() {
            Some(o @ ("add" | "replace" | "remove")) => o.to_owned(),
            _ => {
                return Err(schema(format!(
                    "{} is not one of ['add', 'replace', 'remove']",
                    op.repr()
                )));
            }
        };
        let path = item.get("path").cloned().unwrap_or(Json::Null);
        let Some(path) = path.as_str() else {
            return Err(schema(format!("{} is not of type 'string'", path.repr())));
        };
        if !path_ok(path) {
            return Err(schema(format!(
                "{} does not match {}",
                py_str_repr(path),
                py_str_repr(r"^(/[\w-]+)+$")
            )));
        }
        ops.push(Op {
            raw: item.clone(),
            op,
            path: path.to_owned(),
            value: item.get("value").cloned(),
        });
    }
    Ok(ops)
}

/// `Cannot patch /x. Only the following can be updated: ...` for a field outside `allowed`.
pub fn check_allowed(ops: &[Op], allowed: &[&str]) -> Result<(), ApiError> {
    for op in ops {
        if !allowed.contains(&op.field()) {
            return Err(ApiError::client(
                400,
                format!(
                    "Cannot patch /{}. Only the following can be updated: {}",
                    op.field(),
                    allowed.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// Gives the fields a patch removed their empty value again: `{}` for `maps`, null for
/// `others` (the real server stores a removed field as its default).
pub fn refill_removed(doc: &mut Json, maps: &[&str], others: &[&str]) {
    for field in maps {
        if doc.get(field).is_none_or(Json::is_null) {
            doc.set(field, Json::empty());
        }
    }
    for field in others {
        if doc.get(field).is_none() {
            doc.set(field, Json::Null);
        }
    }
}

/// Applies `ops` to `doc`, one at a time.
///
/// Patches can nest a document without bound, a level per path segment, one request after
/// another; a result nested deeper than [`MAX_NESTING`] gets the 500 that Python's JSON
/// encoder would raise writing it (unverified: the real server was not driven that far).
pub fn apply(doc: &mut Json, ops: &[Op]) -> Result<(), ApiError> {
    for op in ops {
        apply_one(doc, op).map_err(|reason| {
            ApiError::client(
                400,
                format!("Couldn't apply patch '{}'. Reason: {reason}", op.raw.repr()),
            )
        })?;
        if doc.depth() > MAX_NESTING {
            return Err(ApiError::server(too_deep_to_write()));
        }
    }
    Ok(())
}

fn unescape(seg: &str) -> String {
    seg.replace("~1", "/").replace("~0", "~")
}

fn apply_one(doc: &mut Json, op: &Op) -> Result<(), String> {
    let segments: Vec<String> = op.path[1..].split('/').map(unescape).collect();
    let (last, parents) = segments.split_last().ok_or("empty path")?;
    let mut target = doc;
    for seg in parents {
        let repr = target.repr();
        target = match target {
            Json::Object(_) => target
                .get_mut(seg)
                .ok_or_else(|| format!("member '{seg}' not found in {repr}"))?,
            Json::Array(items) => {
                let i: usize = seg
                    .parse()
                    .map_err(|_| format!("'{seg}' is not a valid sequence index"))?;
                let len = items.len();
                items.get_mut(i).ok_or_else(|| {
                    format!("index '{i}' is out of bounds for sequence of length {len}")
                })?
            }
            _ => {
                return Err(format!(
                    "document '{repr}' does not support indexing, must be mapping/sequence or support __getitem__"
                ));
            }
        };
    }
    let value = || {
        op.value
            .clone()
            .ok_or_else(|| "The operation does not contain a 'value' member".to_owned())
    };
    match (op.op.as_str(), target) {
        ("add", Json::Object(members)) => {
            let v = value()?;
            match members.iter_mut().find(|(k, _)| k == last) {
                Some((_, slot)) => *slot = v,
                None => members.push((last.clone(), v)),
            }
        }
        ("add", Json::Array(items)) => {
            let v = value()?;
            if last == "-" {
                items.push(v);
            } else {
                let i: usize = last
                    .parse()
                    .map_err(|_| format!("'{last}' is not a valid sequence index"))?;
                if i > items.len() {
                    return Err("can't insert outside of list".to_owned());
                }
                items.insert(i, v);
            }
        }
        ("replace", Json::Object(members)) => {
            let v = value()?;
            match members.iter_mut().find(|(k, _)| k == last) {
                Some((_, slot)) => *slot = v,
                None => return Err(format!("can't replace a non-existent object '{last}'")),
            }
        }
        ("replace", Json::Array(items)) => {
            let v = value()?;
            let i: usize = last
                .parse()
                .map_err(|_| format!("'{last}' is not a valid sequence index"))?;
            match items.get_mut(i) {
                Some(slot) => *slot = v,
                None => return Err("can't replace outside of list".to_owned()),
            }
        }
        ("remove", Json::Object(members)) => match members.iter().position(|(k, _)| k == last) {
            Some(at) => {
                members.remove(at);
            }
            None => return Err(format!("can't remove a non-existent object '{last}'")),
        },
        ("remove", Json::Array(items)) => {
            let i = last.parse::<usize>().ok().filter(|i| *i < items.len());
            match i {
                Some(i) => {
                    items.remove(i);
                }
                None => return Err(format!("can't remove a non-existent object '{last}'")),
            }
        }
        (_, other) => {
            return Err(format!(
                "document '{}' does not support indexing, must be mapping/sequence or support __getitem__",
                other.repr()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ironic::fake::json::parse as json;

    fn fault(e: &ApiError) -> String {
        let outer = json(&e.body).unwrap();
        let inner = json(outer.get("error_message").unwrap().as_str().unwrap()).unwrap();
        inner
            .get("faultstring")
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn schema_errors() {
        let e = parse(&json(r#"{"op":"replace"}"#).unwrap()).unwrap_err();
        assert_eq!(
            fault(&e),
            "Schema error for patch: {'op': 'replace'} is not of type 'array'"
        );
        let e =
            parse(&json(r#"[{"op":"bogus","path":"/extra/a","value":1}]"#).unwrap()).unwrap_err();
        assert_eq!(
            fault(&e),
            "Schema error for patch: 'bogus' is not one of ['add', 'replace', 'remove']"
        );
        let e = parse(&json(r#"[{"op":"add","path":"extra/a","value":1}]"#).unwrap()).unwrap_err();
        assert_eq!(
            fault(&e),
            r"Schema error for patch: 'extra/a' does not match '^(/[\\w-]+)+$'"
        );
        let e = parse(&json(r#"[{"op":"move","from":"/a","path":"/b"}]"#).unwrap()).unwrap_err();
        assert_eq!(
            fault(&e),
            "Schema error for patch: Additional properties are not allowed ('from' was unexpected)"
        );
    }

    #[test]
    fn apply_texts() {
        let mut doc =
            json(r#"{"extra": {}, "properties": {"cpus": 4, "memory_mb": 8192}}"#).unwrap();
        let ops = parse(
            &json(r#"[{"op":"add","path":"/properties/local_gb","value":100},{"op":"replace","path":"/properties/cpus","value":8},{"op":"remove","path":"/properties/memory_mb"}]"#)
                .unwrap(),
        )
        .unwrap();
        apply(&mut doc, &ops).unwrap();
        assert_eq!(
            doc.get("properties").unwrap().dumps(),
            r#"{"cpus": 8, "local_gb": 100}"#
        );
        let ops =
            parse(&json(r#"[{"op":"remove","path":"/extra/nonexistent"}]"#).unwrap()).unwrap();
        assert_eq!(
            fault(&apply(&mut doc, &ops).unwrap_err()),
            "Couldn't apply patch '{'op': 'remove', 'path': '/extra/nonexistent'}'. Reason: can't remove a non-existent object 'nonexistent'"
        );
        let ops = parse(&json(r#"[{"op":"add","path":"/extra/a/b","value":1}]"#).unwrap()).unwrap();
        assert_eq!(
            fault(&apply(&mut doc, &ops).unwrap_err()),
            "Couldn't apply patch '{'op': 'add', 'path': '/extra/a/b', 'value': 1}'. Reason: member 'a' not found in {}"
        );
        let ops = parse(&json(r#"[{"op":"add","path":"/extra/a"}]"#).unwrap()).unwrap();
        assert_eq!(
            fault(&apply(&mut doc, &ops).unwrap_err()),
            "Couldn't apply patch '{'op': 'add', 'path': '/extra/a'}'. Reason: The operation does not contain a 'value' member"
        );
    }
}
