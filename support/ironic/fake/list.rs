//! Query strings of list requests: `limit`, `marker`, `sort_key`, `sort_dir`, `detail`,
//! `fields`, with the real texts for bad values, and the `next` link.

use super::errors::ApiError;
use super::ids::is_uuid_like;
use super::json::{Json, parse_bool};

/// Decodes `%XX` and `+` in a query or path component.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                    }
                    Err(_) => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The query pairs, decoded, in order.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                percent_decode(&k.replace('+', " ")),
                percent_decode(&v.replace('+', " ")),
            )
        })
        .collect()
}

/// The common list parameters.
#[derive(Clone, Debug, Default)]
pub struct ListParams {
    /// `limit`.
    pub limit: Option<usize>,
    /// `marker` (a uuid).
    pub marker: Option<String>,
    /// `sort_key` (default `id`).
    pub sort_key: String,
    /// `sort_dir` (default `asc`).
    pub sort_dir: String,
    /// `detail` as Python prints it (`True` / `False`), when given.
    pub detail: Option<bool>,
    /// `fields`, split on commas.
    pub fields: Option<Vec<String>>,
    /// The raw `fields` value.
    pub fields_raw: Option<String>,
    /// Every other parameter.
    pub filters: Vec<(String, String)>,
}

/// Reads the common parameters; `allowed` are the filters this list accepts.
pub fn params(
    pairs: &[(String, String)],
    allowed: &[&str],
    sort_keys: &[&str],
) -> Result<ListParams, ApiError> {
    let mut p = ListParams {
        sort_key: "id".to_owned(),
        sort_dir: "asc".to_owned(),
        ..ListParams::default()
    };
    let unexpected: Vec<String> = pairs
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| {
            !matches!(
                k.as_str(),
                "limit" | "marker" | "sort_key" | "sort_dir" | "detail" | "fields"
            ) && !allowed.contains(&k.as_str())
        })
        .collect();
    if !unexpected.is_empty() {
        return Err(ApiError::unexpected(&unexpected));
    }
    for (k, v) in pairs {
        match k.as_str() {
            "limit" => {
                let n: i64 = v.trim().parse().map_err(|_| {
                    ApiError::client(400, format!("Expected an integer for limit: {v}"))
                })?;
                if n <= 0 {
                    return Err(ApiError::client(400, "Limit must be positive"));
                }
                p.limit = Some((n as usize).min(1000));
            }
            "marker" => {
                if !is_uuid_like(v) {
                    return Err(ApiError::client(
                        400,
                        format!("Expected UUID for marker: {v}"),
                    ));
                }
                p.marker = Some(v.to_ascii_lowercase());
            }
            "sort_dir" => {
                if v != "asc" && v != "desc" {
                    return Err(ApiError::client(
                        400,
                        format!(
                            "Invalid sort direction: {v}. Acceptable values are 'asc' or 'desc'"
                        ),
                    ));
                }
                p.sort_dir = v.clone();
            }
            "sort_key" => {
                if !sort_keys.contains(&v.as_str()) {
                    return Err(ApiError::client(
                        400,
                        format!("The sort_key value \"{v}\" is an invalid field for sorting"),
                    ));
                }
                p.sort_key = v.clone();
            }
            "detail" => {
                p.detail = Some(parse_bool(v).ok_or_else(|| bad_bool("detail", v))?);
            }
            "fields" => {
                p.fields = Some(
                    v.split(',')
                        .map(|f| f.trim().to_owned())
                        .filter(|f| !f.is_empty())
                        .collect(),
                );
                p.fields_raw = Some(v.clone());
            }
            _ => p.filters.push((k.clone(), v.clone())),
        }
    }
    Ok(p)
}

/// 400 for a `sort_key` the resource refuses (its JSON columns), with the real text.
pub fn refuse_sort_keys(pairs: &[(String, String)], refused: &[&str]) -> Result<(), ApiError> {
    match pairs
        .iter()
        .find(|(k, v)| k == "sort_key" && refused.contains(&v.as_str()))
    {
        Some((_, key)) => Err(ApiError::client(
            400,
            format!("The sort_key value {key} is an invalid field for sorting"),
        )),
        None => Ok(()),
    }
}

/// 400 for a value that is not a recognised boolean.
pub fn bad_bool(name: &str, value: &str) -> ApiError {
    ApiError::client(
        400,
        format!(
            "Invalid {name}: Unrecognized value '{value}', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'"
        ),
    )
}

/// The `next` link: `<base>/v1/<resource>?sort_key=..&sort_dir=..[&detail=..][&fields=..]&limit=N&marker=UUID`.
pub fn next_link(
    base: &str,
    resource: &str,
    p: &ListParams,
    fields: Option<&str>,
    limit: usize,
    marker: &str,
) -> String {
    let mut q = format!(
        "{base}/v1/{resource}?sort_key={}&sort_dir={}&",
        p.sort_key, p.sort_dir
    );
    if let Some(d) = p.detail {
        q.push_str(if d { "detail=True&" } else { "detail=False&" });
    }
    if let Some(f) = fields {
        q.push_str(&format!("fields={f}&"));
    }
    q.push_str(&format!("limit={limit}&marker={marker}"));
    q
}

/// The value a list sorts `doc` by (`None` for null or missing: first, as in SQL).
pub fn sort_value(doc: &Json, key: &str) -> Option<String> {
    match doc.get(key)? {
        Json::Null => None,
        Json::Str(s) => Some(s.clone()),
        other => Some(other.dumps()),
    }
}

/// The `(id, uuid, sort value)` rows [`page`] takes, `key` giving an item's database id,
/// uuid and document.
pub fn rows<T>(
    items: &[&T],
    sort_key: &str,
    key: impl Fn(&T) -> (u64, &str, &Json),
) -> Vec<(u64, String, Option<String>)> {
    items
        .iter()
        .map(|item| {
            let (id, uuid, doc) = key(item);
            (id, uuid.to_owned(), sort_value(doc, sort_key))
        })
        .collect()
}

/// Applies marker, sort and limit to `(id, uuid, sort value)` rows; returns the kept indices.
pub fn page(
    rows: &[(u64, String, Option<String>)],
    p: &ListParams,
    not_found: impl Fn(&str) -> ApiError,
) -> Result<Vec<usize>, ApiError> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    if p.sort_key != "id" {
        order.sort_by(|a, b| {
            rows[*a]
                .2
                .cmp(&rows[*b].2)
                .then(rows[*a].0.cmp(&rows[*b].0))
        });
    } else {
        order.sort_by_key(|i| rows[*i].0);
    }
    if p.sort_dir == "desc" {
        order.reverse();
    }
    if let Some(marker) = &p.marker {
        let Some(at) = order.iter().position(|i| rows[*i].1 == *marker) else {
            return Err(not_found(marker));
        };
        order.drain(..=at);
    }
    if let Some(limit) = p.limit {
        order.truncate(limit);
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_and_next() {
        let pairs = parse_query("limit=1&fields=name&provision_state=enroll");
        let p = params(&pairs, &["provision_state"], &["id", "name"]).unwrap();
        assert_eq!(p.limit, Some(1));
        assert_eq!(
            next_link("http://h", "nodes", &p, Some("name"), 1, "u1"),
            "http://h/v1/nodes?sort_key=id&sort_dir=asc&fields=name&limit=1&marker=u1"
        );
        let e = params(&parse_query("limit=abc"), &[], &["id"]).unwrap_err();
        assert!(e.body.contains("Expected an integer for limit: abc"));
        let e = params(&parse_query("limit=0"), &[], &["id"]).unwrap_err();
        assert!(e.body.contains("Limit must be positive"));
        let e = params(&parse_query("name=x"), &[], &["id"]).unwrap_err();
        assert!(e.body.contains("Unexpected arguments: name"));
        let e = params(&parse_query("marker=node-1"), &[], &["id"]).unwrap_err();
        assert!(e.body.contains("Expected UUID for marker: node-1"));
        assert_eq!(percent_decode("bad%20name"), "bad name");
    }
}
