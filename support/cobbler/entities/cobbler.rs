//! The verbs of every kind over one session.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use super::{InterfaceSpec, PowerAction, check_attribute};
use crate::backend::Record;
use crate::cobbler::error::Error;
use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Value, ValueExt, to_json};
use crate::cobbler::session::{Arg, Session};

/// Distros, profiles, systems and images on one Cobbler, through one session.
#[derive(Clone, Debug)]
pub struct Cobbler {
    session: Arc<Session>,
    /// Handles looked up (`get_*_handle`), so that one item is looked up once: a saved item's
    /// handle names it (`system::web-01`), so it holds while the name does. Forgotten on every
    /// removal and rename, and when a call with one fails.
    handles: Arc<Mutex<HashMap<(Kind, String), String>>>,
}

impl Cobbler {
    /// The API over `session`.
    pub fn new(session: Arc<Session>) -> Self {
        Self {
            session,
            handles: Arc::default(),
        }
    }

    fn handles(&self) -> std::sync::MutexGuard<'_, HashMap<(Kind, String), String>> {
        self.handles.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Forgets every handle looked up (names changed or went away).
    fn forget_handles(&self) {
        self.handles().clear();
    }

    /// The session the calls go through.
    pub fn session(&self) -> &Arc<Session> {
        &self.session
    }

    pub(super) async fn call(
        &self,
        action: impl FnOnce() -> String,
        method: &str,
        args: Vec<Arg>,
    ) -> Result<Value, Error> {
        let writes = method.starts_with("save_") || method.starts_with("remove_");
        // Only a write may be sent again; only its arguments are kept for that.
        let again_args = writes.then(|| args.clone());
        let result = match self.session.call(method, args).await {
            // cobblerd 3.3.10 now and then fails a save or a removal while other threads save
            // items of the same profile: a property's parent lookup fails mid-way and Python
            // reports `AttributeError: Attribute "boot_loaders" did not exist on object type …`.
            // The same call a moment later goes through.
            Err(glitch)
                if again_args.is_some() && is_concurrent_write_glitch(&glitch.to_string()) =>
            {
                tracing::debug!(method, error = %glitch, "cobblerd's concurrent-write glitch; calling again");
                tokio::time::sleep(CONCURRENT_WRITE_PAUSE).await;
                match self
                    .session
                    .call(method, again_args.unwrap_or_default())
                    .await
                {
                    // The first save did store the item after all.
                    Err(again)
                        if method.starts_with("save_")
                            && again.to_string().contains("already exists") =>
                    {
                        Ok(Value::Boolean(true))
                    }
                    again => again,
                }
            }
            other => other,
        };
        result.map_err(|source| Error::Server {
            action: action(),
            source,
        })
    }

    /// Creates `kind` called `name`: `new_*`, `modify_*` for the name and each attribute,
    /// `modify_interface` for systems, then `save_*` with editmode `new`, so that an existing
    /// item of that name is refused rather than replaced.
    pub async fn create(
        &self,
        kind: Kind,
        name: &str,
        attributes: &[(String, String)],
        interfaces: &[InterfaceSpec],
    ) -> Result<(), Error> {
        check_request(kind, attributes, interfaces)?;
        let action = || format!("creating {kind} {name:?}");
        let new = format!("new_{kind}");
        let handle = self.call(action, &new, vec![Arg::Token]).await?;
        let handle = expect_string(&new, &handle)?;
        self.set_fields(kind, name, &handle, &[("name".to_owned(), name.to_owned())])
            .await?;
        self.set_fields(kind, name, &handle, attributes).await?;
        if !interfaces.is_empty() {
            self.set_interfaces_on(name, &handle, interfaces).await?;
        }
        let save = format!("save_{kind}");
        let saved = self
            .call(action, &save, vec![handle.into(), Arg::Token, "new".into()])
            .await?;
        expect_true(&save, &saved)
    }

    /// The item's fields (XML-RPC values as JSON), or `None` when the server answers `"~"`.
    pub async fn get(&self, kind: Kind, name: &str) -> Result<Option<Record>, Error> {
        let method = format!("get_{kind}");
        let value = self
            .call(
                || format!("reading {kind} {name:?}"),
                &method,
                vec![name.into()],
            )
            .await?;
        match value {
            Value::String(s) if s == "~" => Ok(None),
            Value::Struct(fields) => Ok(Some(Record {
                kind: kind.name(),
                name: name.to_owned(),
                fields: fields
                    .iter()
                    .map(|(k, v)| (k.clone(), to_json(v)))
                    .collect(),
            })),
            other => Err(unexpected(&method, "a struct or \"~\"", &other)),
        }
    }

    /// Names of the items matching every criterion (globs allowed; interface fields too).
    pub async fn find(
        &self,
        kind: Kind,
        criteria: &[(String, String)],
    ) -> Result<Vec<String>, Error> {
        let method = format!("find_{kind}");
        let criteria: BTreeMap<String, Value> = criteria
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        let value = self
            .call(
                || format!("searching {}", kind.plural()),
                &method,
                vec![Value::Struct(criteria).into()],
            )
            .await?;
        let names = value
            .as_array()
            .ok_or_else(|| unexpected(&method, "an array of names", &value))?;
        names
            .iter()
            .map(|n| {
                n.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| unexpected(&method, "a name", n))
            })
            .collect()
    }

    /// Changes attributes and interface fields of an existing item, then saves it once.
    pub async fn modify(
        &self,
        kind: Kind,
        name: &str,
        attributes: &[(String, String)],
        interfaces: &[InterfaceSpec],
    ) -> Result<(), Error> {
        check_request(kind, attributes, interfaces)?;
        let handle = self.handle(kind, name).await?;
        let result = async {
            self.set_fields(kind, name, &handle, attributes).await?;
            if !interfaces.is_empty() {
                self.set_interfaces_on(name, &handle, interfaces).await?;
            }
            self.save(kind, name, handle).await
        }
        .await;
        if result.is_err() {
            self.forget_handles();
        }
        result
    }

    /// Renames an item. Like Cobbler, an existing item called `new_name` is replaced.
    pub async fn rename(&self, kind: Kind, name: &str, new_name: &str) -> Result<(), Error> {
        self.handle_verb("rename", kind, name, new_name).await
    }

    /// Copies an item to `new_name` (a system's copy has no MAC, IP or DNS name).
    pub async fn copy(&self, kind: Kind, name: &str, new_name: &str) -> Result<(), Error> {
        self.handle_verb("copy", kind, name, new_name).await
    }

    /// Removes an item; `recursive` also removes what depends on it. A missing item is no error.
    pub async fn remove(&self, kind: Kind, name: &str, recursive: bool) -> Result<(), Error> {
        self.forget_handles();
        let method = format!("remove_{kind}");
        let value = self
            .call(
                || format!("removing {kind} {name:?}"),
                &method,
                vec![name.into(), Arg::Token, recursive.into()],
            )
            .await?;
        expect_true(&method, &value)
    }

    /// Runs a power action on a system; for [`PowerAction::Status`] the answer is "is it on".
    pub async fn power(&self, name: &str, action: PowerAction) -> Result<bool, Error> {
        let handle = self.handle(Kind::System, name).await?;
        let value = self
            .call(
                || format!("power {action} of system {name:?}"),
                "power_system",
                vec![handle.into(), action.name().into(), Arg::Token],
            )
            .await
            .inspect_err(|_| self.forget_handles())?;
        value
            .as_bool()
            .ok_or_else(|| unexpected("power_system", "a boolean", &value))
    }

    /// The item's handle: looked up once, then remembered (see [`Cobbler::handles`]).
    async fn handle(&self, kind: Kind, name: &str) -> Result<String, Error> {
        if let Some(handle) = self.handles().get(&(kind, name.to_owned())) {
            return Ok(handle.clone());
        }
        let method = format!("get_{kind}_handle");
        let value = self
            .call(
                || format!("finding {kind} {name:?}"),
                &method,
                vec![name.into(), Arg::Token],
            )
            .await?;
        let handle = expect_string(&method, &value)?;
        self.handles()
            .insert((kind, name.to_owned()), handle.clone());
        Ok(handle)
    }

    async fn handle_verb(
        &self,
        verb: &str,
        kind: Kind,
        name: &str,
        new_name: &str,
    ) -> Result<(), Error> {
        let handle = self.handle(kind, name).await?;
        if verb == "rename" {
            self.forget_handles();
        }
        let method = format!("{verb}_{kind}");
        let value = self
            .call(
                || format!("{verb} of {kind} {name:?} to {new_name:?}"),
                &method,
                vec![handle.into(), new_name.into(), Arg::Token],
            )
            .await
            .inspect_err(|_| self.forget_handles())?;
        expect_true(&method, &value)
    }

    async fn set_fields(
        &self,
        kind: Kind,
        name: &str,
        handle: &str,
        attributes: &[(String, String)],
    ) -> Result<(), Error> {
        let method = format!("modify_{kind}");
        for (attribute, value) in attributes {
            let answer = self
                .call(
                    || format!("setting {attribute:?} of {kind} {name:?} to {value:?}"),
                    &method,
                    vec![
                        handle.into(),
                        attribute.as_str().into(),
                        Arg::Value(super::attributes::wire_value(kind, attribute, value)),
                        Arg::Token,
                    ],
                )
                .await?;
            match answer {
                Value::Boolean(true) => {}
                Value::Boolean(false) => {
                    return Err(Error::FieldRefused {
                        method: method.clone(),
                        kind,
                        name: name.to_owned(),
                        attribute: attribute.clone(),
                    });
                }
                other => return Err(unexpected(&method, "True", &other)),
            }
        }
        Ok(())
    }

    async fn set_interfaces_on(
        &self,
        name: &str,
        handle: &str,
        interfaces: &[InterfaceSpec],
    ) -> Result<(), Error> {
        let value = self
            .call(
                || format!("setting interfaces of system {name:?}"),
                "modify_system",
                vec![
                    handle.into(),
                    "modify_interface".into(),
                    InterfaceSpec::to_modify_interface(interfaces).into(),
                    Arg::Token,
                ],
            )
            .await?;
        expect_true("modify_system", &value)
    }

    async fn save(&self, kind: Kind, name: &str, handle: String) -> Result<(), Error> {
        let method = format!("save_{kind}");
        let value = self
            .call(
                || format!("saving {kind} {name:?}"),
                &method,
                vec![handle.into(), Arg::Token],
            )
            .await?;
        expect_true(&method, &value)
    }
}

/// How long to wait before calling again after cobblerd's concurrent-write glitch.
const CONCURRENT_WRITE_PAUSE: std::time::Duration = std::time::Duration::from_millis(200);

/// True for cobblerd 3.3.10's transient failure of a save or removal under concurrent saves.
fn is_concurrent_write_glitch(error: &str) -> bool {
    error.contains("<class 'AttributeError'>") && error.contains("did not exist on object type")
}

/// Ok when `kind` has every attribute, and interfaces are given only to a system.
fn check_request(
    kind: Kind,
    attributes: &[(String, String)],
    interfaces: &[InterfaceSpec],
) -> Result<(), Error> {
    for (attribute, _) in attributes {
        check_attribute(kind, attribute)?;
    }
    if !interfaces.is_empty() && kind != Kind::System {
        return Err(Error::Invalid(format!(
            "only systems have interfaces, not a {kind}"
        )));
    }
    Ok(())
}

fn unexpected(method: &str, expected: &str, got: &Value) -> Error {
    Error::UnexpectedResult {
        method: method.to_owned(),
        expected: expected.to_owned(),
        got: format!("{} {:?}", got.type_name(), got.render()),
    }
}

pub(super) fn expect_true(method: &str, value: &Value) -> Result<(), Error> {
    match value {
        Value::Boolean(true) => Ok(()),
        other => Err(unexpected(method, "True", other)),
    }
}

pub(super) fn expect_string(method: &str, value: &Value) -> Result<String, Error> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| unexpected(method, "a string", value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_cobblerds_concurrent_write_glitch_is_called_again() {
        assert!(is_concurrent_write_glitch(
            "save_system: fault 1: <class 'AttributeError'>:Attribute \"boot_loaders\" did not exist on object type Profile."
        ));
        assert!(!is_concurrent_write_glitch(
            "save_system: fault 1: <class 'cobbler.cexceptions.CX'>:'profile not found'"
        ));
        assert!(!is_concurrent_write_glitch(
            "remove_profile: fault 1: <class 'AttributeError'>:'NoneType' object has no attribute 'name'"
        ));
    }
}
