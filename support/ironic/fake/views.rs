//! A record shown as the real server shows it: the fields of its table (each with the
//! microversion that brought it) in the real order, those asked for or all, `links` always.

use super::errors::ApiError;
use super::json::Json;

/// The fields of `table` shown at `version` that `wanted` names (all when `None`), plus
/// `links`, each valued by `value`.
pub fn select(
    table: &[(&str, u32)],
    wanted: Option<&[String]>,
    version: u32,
    value: impl Fn(&str) -> Json,
) -> Json {
    Json::Object(
        table
            .iter()
            .filter(|(f, since)| {
                version >= *since
                    && (*f == "links" || wanted.is_none_or(|w| w.iter().any(|x| x == f)))
            })
            .map(|(f, _)| (f.to_string(), value(f)))
            .collect(),
    )
}

/// Checks `?fields=` against `selectable` (the real schema's list, as its error prints it).
pub fn check_selectable(fields: &[String], selectable: &str) -> Result<(), ApiError> {
    match fields
        .iter()
        .find(|f| !selectable.contains(&format!("'{f}'")))
    {
        Some(bad) => Err(ApiError::client(
            400,
            format!(
                "Schema error: {} is not one of {selectable}",
                Json::str(bad.as_str()).repr()
            ),
        )),
        None => Ok(()),
    }
}
