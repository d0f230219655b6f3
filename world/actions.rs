//! What steps ask of the World: one method per action, each returning a message on failure.
//!
//! An action in "must" mode fails the step; in "try" mode it records the [`Outcome`] for a
//! later "Then it should …" step.

use std::collections::BTreeMap;

use provspec::Kind;
use provspec::entities::{InterfaceSpec, PowerAction, Record, check_attribute};
use provspec::session::{Credentials, Session};

use super::outcome::Outcome;
use super::{ProvWorld, SearchResult};

/// Whether a failure fails the step or is recorded for a later assertion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The action must succeed.
    Must,
    /// The action is tried; its outcome is recorded.
    Try,
}

impl Mode {
    /// `Try` when the step said "I try to".
    pub fn from_try(attempt: bool) -> Self {
        if attempt { Mode::Try } else { Mode::Must }
    }
}

/// Attributes that name another item, and the kind they name.
fn reference_kind(kind: Kind, attribute: &str) -> Option<Kind> {
    match (kind, attribute) {
        (Kind::Profile, "distro") => Some(Kind::Distro),
        (Kind::Profile, "parent") => Some(Kind::Profile),
        (Kind::System, "profile") => Some(Kind::Profile),
        (Kind::System, "image") => Some(Kind::Image),
        _ => None,
    }
}

/// Search keys whose values are item names (so aliases or globs over aliases).
const NAME_KEYS: [&str; 5] = ["name", "distro", "profile", "image", "parent"];

impl ProvWorld {
    /// Runs `result` in `mode`: `Must` returns the error, `Try` records it.
    fn conclude(
        &mut self,
        mode: Mode,
        action: String,
        result: Result<(), String>,
    ) -> Result<(), String> {
        let result = result.map_err(|e| self.namer.to_aliases(&e));
        match mode {
            Mode::Must => result.map_err(|e| format!("{action} failed: {e}")),
            Mode::Try => {
                self.outcome = Some(Outcome { action, result });
                Ok(())
            }
        }
    }

    /// `text` with `{boot}` replaced by the directory of the dummy boot files.
    pub fn expand(&self, text: &str) -> String {
        text.replace("{boot}", &self.config.boot_dir.display().to_string())
    }

    /// The attributes a table gives, checked, with references resolved to real names and
    /// `{boot}` expanded.
    fn prepare(
        &self,
        kind: Kind,
        rows: Vec<(String, String)>,
    ) -> Result<Vec<(String, String)>, String> {
        rows.into_iter()
            .map(|(attribute, value)| {
                check_attribute(kind, &attribute).map_err(|e| e.to_string())?;
                let value = match reference_kind(kind, &attribute) {
                    Some(target) if !value.is_empty() => self.registry.resolve(target, &value)?,
                    _ => self.expand(&value),
                };
                Ok((attribute, value))
            })
            .collect()
    }

    /// Defaults a new item of `kind` gets unless the table sets them.
    fn defaults(&self, kind: Kind) -> Vec<(String, String)> {
        match kind {
            Kind::Distro => vec![
                (
                    "kernel".to_owned(),
                    format!("{{boot}}/{}", provspec::boot_files::KERNEL),
                ),
                (
                    "initrd".to_owned(),
                    format!("{{boot}}/{}", provspec::boot_files::INITRD),
                ),
            ],
            _ => Vec::new(),
        }
    }

    /// Creates `kind` `alias` with the defaults, then `rows` (later rows win), and interfaces.
    pub async fn create(
        &mut self,
        mode: Mode,
        kind: Kind,
        alias: &str,
        rows: Vec<(String, String)>,
        interfaces: Vec<InterfaceSpec>,
    ) -> Result<(), String> {
        let action = format!("creating {kind} {alias:?}");
        let mut merged = self.defaults(kind);
        for (attribute, value) in rows {
            merged.retain(|(a, _)| *a != attribute);
            merged.push((attribute, value));
        }
        let attributes = match self.prepare(kind, merged) {
            Ok(attributes) => attributes,
            Err(e) => return Err(format!("{action}: {e}")),
        };
        let real = self.namer.real_name(alias);
        self.registry.register(kind, alias, &real);
        self.cleanup.push(kind, alias, &real);
        let result = self
            .api
            .create(kind, &real, &attributes, &interfaces)
            .await
            .map_err(|e| e.to_string());
        self.conclude(mode, action, result)
    }

    /// Reserves `alias` for an item that must not exist (to name it in references).
    pub async fn reserve_missing(&mut self, kind: Kind, alias: &str) -> Result<(), String> {
        let real = self.namer.real_name(alias);
        if self
            .api
            .exists(kind, &real)
            .await
            .map_err(|e| e.to_string())?
        {
            return Err(format!(
                "{kind} {alias:?} ({real}) exists, but the step says it does not"
            ));
        }
        self.registry.register(kind, alias, &real);
        Ok(())
    }

    /// Changes attributes of `alias`.
    pub async fn modify(
        &mut self,
        mode: Mode,
        kind: Kind,
        alias: &str,
        rows: Vec<(String, String)>,
    ) -> Result<(), String> {
        let action = format!("modifying {kind} {alias:?}");
        let real = self.registry.resolve(kind, alias)?;
        let attributes = self
            .prepare(kind, rows)
            .map_err(|e| format!("{action}: {e}"))?;
        let result = self
            .api
            .modify(kind, &real, &attributes)
            .await
            .map_err(|e| e.to_string());
        self.conclude(mode, action, result)
    }

    /// Sets interfaces of system `alias`.
    pub async fn set_interfaces(
        &mut self,
        mode: Mode,
        alias: &str,
        interfaces: Vec<InterfaceSpec>,
    ) -> Result<(), String> {
        let action = format!("setting the interfaces of system {alias:?}");
        let real = self.registry.resolve(Kind::System, alias)?;
        let result = self
            .api
            .set_interfaces(&real, &interfaces)
            .await
            .map_err(|e| e.to_string());
        self.conclude(mode, action, result)
    }

    /// Renames (`copy == false`) or copies `alias` to `new_alias`.
    pub async fn rename_or_copy(
        &mut self,
        mode: Mode,
        kind: Kind,
        alias: &str,
        new_alias: &str,
        copy: bool,
    ) -> Result<(), String> {
        let verb = if copy { "copying" } else { "renaming" };
        let action = format!("{verb} {kind} {alias:?} to {new_alias:?}");
        let real = self.registry.resolve(kind, alias)?;
        let new_real = self.namer.real_name(new_alias);
        self.registry.register(kind, new_alias, &new_real);
        self.cleanup.push(kind, new_alias, &new_real);
        let result = if copy {
            self.api.copy(kind, &real, &new_real).await
        } else {
            self.api.rename(kind, &real, &new_real).await
        };
        self.conclude(mode, action, result.map_err(|e| e.to_string()))
    }

    /// Deletes `alias`; `recursive` is the server's default (true) unless the step says.
    pub async fn delete(
        &mut self,
        mode: Mode,
        kind: Kind,
        alias: &str,
        recursive: bool,
    ) -> Result<(), String> {
        let how = if recursive { "" } else { " without recursion" };
        let action = format!("deleting {kind} {alias:?}{how}");
        let real = self.registry.resolve(kind, alias)?;
        let result = self
            .api
            .remove(kind, &real, recursive)
            .await
            .map_err(|e| e.to_string());
        self.conclude(mode, action, result)
    }

    /// Whether `alias` exists on the server.
    pub async fn exists(&self, kind: Kind, alias: &str) -> Result<bool, String> {
        let real = self.registry.resolve(kind, alias)?;
        self.api
            .exists(kind, &real)
            .await
            .map_err(|e| self.namer.to_aliases(&e.to_string()))
    }

    /// The server's record of `alias`; a missing item is an error.
    async fn record(&self, kind: Kind, alias: &str) -> Result<Record, String> {
        let real = self.registry.resolve(kind, alias)?;
        self.api
            .get(kind, &real)
            .await
            .map_err(|e| self.namer.to_aliases(&e.to_string()))?
            .ok_or_else(|| format!("{kind} {alias:?} does not exist on the server"))
    }

    /// Whether the server's dict of `alias` has a value at `path`.
    pub async fn has_field(&self, kind: Kind, alias: &str, path: &str) -> Result<bool, String> {
        Ok(self.record(kind, alias).await?.get(path).is_some())
    }

    /// The fields `expected` names, as the server has them (real names turned into aliases).
    pub async fn fields(
        &self,
        kind: Kind,
        alias: &str,
        expected: &[(String, String)],
    ) -> Result<BTreeMap<String, String>, String> {
        let record = self.record(kind, alias).await?;
        expected
            .iter()
            .map(|(path, _)| {
                let text = record.text(path).ok_or_else(|| {
                    format!(
                        "{kind} {alias:?} has no field {path:?}; its fields are: {}",
                        record.field_names().join(", ")
                    )
                })?;
                Ok((path.clone(), self.namer.to_aliases(&text)))
            })
            .collect()
    }

    /// Searches `kind` with `criteria`; name-valued criteria are aliases or globs over them.
    pub async fn search(
        &mut self,
        kind: Kind,
        criteria: Vec<(String, String)>,
    ) -> Result<(), String> {
        let criteria: Vec<(String, String)> = criteria
            .into_iter()
            .map(|(key, value)| {
                if NAME_KEYS.contains(&key.as_str()) {
                    let real = self.namer.real_name(&value);
                    (key, real)
                } else {
                    (key, value)
                }
            })
            .collect();
        let names = self
            .api
            .find(kind, &criteria)
            .await
            .map_err(|e| self.namer.to_aliases(&e.to_string()))?;
        let mut aliases: Vec<String> = names
            .iter()
            .filter_map(|name| self.namer.alias_of(name).map(str::to_owned))
            .collect();
        aliases.sort();
        self.search = Some(SearchResult { aliases });
        Ok(())
    }

    /// Runs a power action on system `alias`; returns the answer (status: is it on).
    pub async fn power(
        &mut self,
        mode: Mode,
        alias: &str,
        action: PowerAction,
    ) -> Result<bool, String> {
        let description = format!("power {action} of system {alias:?}");
        let real = self.registry.resolve(Kind::System, alias)?;
        let result = self
            .api
            .power(&real, action)
            .await
            .map_err(|e| e.to_string());
        let answer = *result.as_ref().unwrap_or(&false);
        self.conclude(mode, description, result.map(|_| ()))?;
        Ok(answer)
    }

    /// Tries to log in with other credentials in a session of its own.
    pub async fn try_login(&mut self, user: &str, password: &str) {
        let session = Session::new(self.transport.clone(), Credentials::new(user, password));
        let result = session.ensure_logged_in().await.map_err(|e| e.to_string());
        let _ = self.conclude(Mode::Try, format!("logging in as {user:?}"), result);
    }

    /// Makes the server forget this session's token (`logout`), as an expiry does.
    pub async fn expire_token(&mut self) -> Result<(), String> {
        match self.api.session().expire_token_on_server().await {
            Ok(true) => Ok(()),
            Ok(false) => {
                Err("logout answered False: the server did not know the session's token".into())
            }
            Err(e) => Err(e.to_string()),
        }
    }

    /// Forgets every token on the embedded fake, as a restart would.
    pub fn restart_fake(&mut self) -> Result<(), String> {
        match &self.fake {
            Some(fake) => {
                fake.expire_all_tokens();
                Ok(())
            }
            None => Err(format!(
                "only the embedded fake can forget all tokens on demand; this run uses the {} backend (tag the scenario @fake)",
                self.config.backend.name()
            )),
        }
    }

    /// Undoes everything this scenario created, newest first; returns the failures.
    pub async fn clean_up(&mut self) -> Vec<String> {
        let api = self.api.clone();
        self.cleanup.unwind(&api).await
    }
}
