//! What deploy templates and runbooks share: items found by name, listed `uuid,name` by
//! default with `detail=` and no `/detail` path, their names and uuids unique.

use super::super::deploy_templates::DeployTemplate;
use super::super::errors::ApiError;
use super::super::json::Json;
use super::super::list;
use super::super::runbooks::Runbook;
use super::{Ctx, NextLink, Reply, listing};

/// A stored item of such a list.
pub(crate) trait NamedItem {
    /// The database id (list order).
    fn id(&self) -> u64;
    /// The uuid.
    fn uuid(&self) -> &str;
    /// The name.
    fn name(&self) -> Option<&str>;
    /// The stored document.
    fn doc(&self) -> &Json;
    /// The fields in `wanted` (all when `None`) shown at `version`.
    fn only(&self, wanted: Option<&[String]>, version: u32, base: &str) -> Json;
}

/// How one such resource lists.
pub(crate) struct NamedList {
    /// The path and body key (`deploy_templates`).
    pub(crate) resource: &'static str,
    /// The kind in a `not found` text (`Deploy template`).
    pub(crate) kind: &'static str,
    /// Sort keys refused with the real text.
    pub(crate) unsortable: &'static [&'static str],
    /// Filters besides the common parameters.
    pub(crate) filters: &'static [&'static str],
    /// Sort keys accepted.
    pub(crate) sortable: &'static [&'static str],
}

/// `GET /v1/<resource>` of `items`, `check` judging `?fields=`.
pub(crate) fn list_named<T: NamedItem>(
    ctx: &Ctx,
    query: &[(String, String)],
    items: &[T],
    how: &NamedList,
    check: impl Fn(&[String]) -> Result<(), ApiError>,
) -> Result<Reply, ApiError> {
    list::refuse_sort_keys(query, how.unsortable)?;
    let p = list::params(query, how.filters, how.sortable)?;
    if let Some(fields) = &p.fields {
        check(fields)?;
    }
    let candidates: Vec<&T> = items.iter().collect();
    let rows = list::rows(&candidates, &p.sort_key, |t| (t.id(), t.uuid(), t.doc()));
    let kept = list::page(&rows, &p, |m| ApiError::not_found(how.kind, m))?;
    let detail = p.detail == Some(true);
    let short = vec!["uuid".to_owned(), "name".to_owned()];
    let wanted = (!detail).then(|| p.fields.as_deref().unwrap_or(&short));
    let shown = kept
        .iter()
        .map(|i| {
            let item = candidates[*i];
            (item.only(wanted, ctx.version, ctx.base), item.uuid())
        })
        .collect();
    let next = NextLink {
        resource: how.resource.to_owned(),
        fields: (!detail).then(|| p.fields_raw.as_deref().unwrap_or("uuid,name")),
    };
    listing(ctx, &p, how.resource, shown, next)
}

/// 409 when another item of `items` than `except` (a uuid) has `new`'s name or uuid;
/// `label` names the kind in the text (`deploy template`).
pub(crate) fn check_unique<T: NamedItem>(
    items: &[T],
    label: &str,
    name: Option<&str>,
    uuid: &str,
    except: Option<&str>,
) -> Result<(), ApiError> {
    let others = || items.iter().filter(|t| Some(t.uuid()) != except);
    if let Some(name) = name
        && others().any(|t| t.name() == Some(name))
    {
        return Err(ApiError::client(
            409,
            format!("A {label} with name {name} already exists."),
        ));
    }
    if except.is_none() && others().any(|t| t.uuid() == uuid) {
        return Err(ApiError::client(
            409,
            format!("A {label} with UUID {uuid} already exists."),
        ));
    }
    Ok(())
}

/// Deploy templates and runbooks, each through its own record's accessors.
macro_rules! named_item {
    ($type:ty) => {
        impl NamedItem for $type {
            fn id(&self) -> u64 {
                self.id
            }
            fn uuid(&self) -> &str {
                <$type>::uuid(self)
            }
            fn name(&self) -> Option<&str> {
                <$type>::name(self)
            }
            fn doc(&self) -> &Json {
                &self.doc
            }
            fn only(&self, wanted: Option<&[String]>, version: u32, base: &str) -> Json {
                <$type>::only(self, wanted, version, base)
            }
        }
    };
}

named_item!(DeployTemplate);
named_item!(Runbook);
