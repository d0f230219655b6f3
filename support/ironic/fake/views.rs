//! A record shown as the real server shows it: the fields of its table (each with the
//! microversion that brought it) in the real order, those asked for or all, `links` always.

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
