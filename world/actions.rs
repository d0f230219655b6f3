//! What steps ask of the World: one method per action, each returning a message on failure.
//!
//! An action in "must" mode fails the step; in "try" mode it records the [`Outcome`] for a
//! later "Then it should …" step. Kinds arrive as the feature's words and are looked up in
//! the backend's catalogue, so nothing here names a backend.

use crate::world::{StepResult, WorldError};
use std::collections::BTreeMap;
use std::time::Duration;

use crate::assertions::{Look, Patience, wait_for};
use crate::backend::{Error, KindSpec, PowerAction, Record};

use super::outcome::Outcome;
use super::{ProvWorld, SearchResult, cleanup};

/// How long a power action may take to show in the power state.
const POWER_SETTLES_WITHIN: Duration = Duration::from_secs(30);

/// Whether a failure fails the step or is recorded for a later assertion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The action must succeed.
    Must,
    /// The action is tried; its outcome is recorded.
    Try,
}

/// How many times a create is tried again with fresh addresses after the server reports an
/// allocated one as taken.
const REALLOCATIONS: usize = 3;

/// A create with everything done but the call to the server.
#[derive(Debug)]
pub struct StagedCreate {
    /// The item's kind.
    pub kind: &'static KindSpec,
    /// Its name on the server.
    pub real_name: String,
    /// Its attributes, checked, references resolved.
    pub attributes: Vec<(String, String)>,
    /// "creating system \"web-01\"", for messages.
    pub action: String,
    /// True when this create put the item's undo on the stack (it was not there already).
    pub fresh_undo: bool,
}

impl ProvWorld {
    /// The kind the feature's word names (singular or plural), on this run's backend.
    pub fn kind(&self, word: &str) -> StepResult<&'static KindSpec> {
        self.backend
            .catalogue()
            .kind(word)
            .map_err(WorldError::from)
    }

    /// Runs `result` in `mode`: `Must` returns the error, `Try` records it (the outcome's
    /// text, like a step's, has this scenario's real names read back as aliases).
    fn conclude(&mut self, mode: Mode, action: String, result: Result<(), Error>) -> StepResult {
        match mode {
            Mode::Must => result.map_err(|e| WorldError::backend(action, e)),
            Mode::Try => {
                let result = result.map_err(|e| self.namer.to_aliases(&e.to_string()));
                self.outcome = Some(Outcome { action, result });
                Ok(())
            }
        }
    }

    /// `text` with the run's placeholders filled in, and addresses allocated earlier read
    /// back: `{mac of web-01}`, `{ip of web-01}`, `{dns of web-01}` (the first of each;
    /// `{MAC of web-01}` in upper case).
    pub fn expand(&self, text: &str) -> String {
        static ALLOCATED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"\{(mac|MAC|ip|dns) of ([^}]+)\}").expect("the pattern compiles")
        });
        // `{name of snippet common}`: the real name of an item of this scenario.
        static NAME_OF: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"\{name of (\w+) ([^}]+)\}").expect("the pattern compiles")
        });
        let text = NAME_OF.replace_all(text, |captures: &regex::Captures<'_>| {
            self.kind(&captures[1])
                .and_then(|kind| self.registry.resolve(kind, captures[2].trim()))
                .unwrap_or_else(|_| captures[0].to_owned())
        });
        let text = ALLOCATED.replace_all(&text, |captures: &regex::Captures<'_>| {
            let what = captures[1].to_ascii_lowercase();
            match self.allocated.first(captures[2].trim(), &what) {
                // `{MAC of web-01}`: the same MAC in upper case.
                Some(value) if &captures[1] == "MAC" => value.to_ascii_uppercase(),
                Some(value) => value,
                None => captures[0].to_owned(),
            }
        });
        // A scenario pointed at a server it started takes that server's placeholders.
        self.processes
            .pointed
            .as_ref()
            .unwrap_or(&self.config.connector)
            .placeholders()
            .iter()
            .fold(text.into_owned(), |text, (placeholder, value)| {
                text.replace(placeholder, value)
            })
    }

    /// The attributes a table gives, checked, with references resolved to real names and
    /// placeholders filled in.
    fn prepare(
        &self,
        kind: &'static KindSpec,
        rows: Vec<(String, String)>,
    ) -> StepResult<Vec<(String, String)>> {
        rows.into_iter()
            .map(|(attribute, value)| {
                self.backend.check_attribute(kind, &attribute)?;
                let value = match kind.reference(&attribute) {
                    // A list reference (a profile's `repos`) gives several aliases.
                    Some(target) if !value.is_empty() => value
                        .split_whitespace()
                        .map(|alias| self.registry.resolve(self.kind(target)?, alias))
                        .collect::<StepResult<Vec<_>>>()?
                        .join(" "),
                    _ => self.expand(&value),
                };
                Ok((attribute, value))
            })
            .collect()
    }

    /// Creates `kind` `alias` with the kind's defaults, then `rows` (later rows win).
    pub async fn create(
        &mut self,
        mode: Mode,
        kind: &str,
        alias: &str,
        rows: Vec<(String, String)>,
    ) -> StepResult {
        // Addresses allocated here ({mac}, {ip}, {dns}) may be held by another run on the
        // same server: when the server says so, they are allocated again.
        let mut tries = 0;
        loop {
            let staged = self.stage_create(kind, alias, rows.clone())?;
            let result = self
                .backend
                .create(staged.kind, &staged.real_name, &staged.attributes)
                .await;
            if let Err(error) = &result
                && staged.fresh_undo
                && self.backend.created_nothing(error)
            {
                // Refused before anything was stored: nothing for cleanup to remove.
                self.cleanup.never_created(staged.kind, &staged.real_name);
            }
            if let Err(error) = &result
                && tries < REALLOCATIONS
                && self.allocated.has_any(alias)
                && super::factories::is_duplicate_address(&error.to_string())
            {
                tries += 1;
                self.allocated.forget(alias);
                continue;
            }
            return self.conclude(mode, staged.action, result);
        }
    }

    /// Everything of a create but the call: the kind's defaults and `rows` merged, addresses
    /// allocated, attributes checked, the alias registered and its undo pushed (before the
    /// call: a failed create can still leave the item).
    pub fn stage_create(
        &mut self,
        kind: &str,
        alias: &str,
        rows: Vec<(String, String)>,
    ) -> StepResult<StagedCreate> {
        let kind = self.kind(kind)?;
        let action = format!("creating {kind} {alias:?}");
        let mut merged: Vec<(String, String)> = kind
            .defaults
            .iter()
            .map(|(a, v)| ((*a).to_owned(), (*v).to_owned()))
            .collect();
        for (attribute, value) in rows {
            let value = if ["{mac}", "{MAC}", "{ip}", "{dns}"]
                .iter()
                .any(|p| value.contains(p))
            {
                self.allocate_in(alias, 1, &value)?
            } else {
                value
            };
            merged.retain(|(a, _)| *a != attribute);
            merged.push((attribute, value));
        }
        let attributes = self
            .prepare(kind, merged)
            .map_err(|e| e.in_context(&action))?;
        let real_name = self.namer.real_name(alias);
        self.registry.register(kind, alias, &real_name);
        let fresh_undo = self.cleanup.push(kind, alias, &real_name);
        self.link_references(kind, &real_name, &attributes)?;
        Ok(StagedCreate {
            kind,
            real_name,
            attributes,
            action,
            fresh_undo,
        })
    }

    /// Tells the cleanup stack which items `real_name` now references (`attributes` with
    /// references resolved to real names), so that a removal taking dependants with it is
    /// known to have taken it.
    fn link_references(
        &self,
        kind: &'static KindSpec,
        real_name: &str,
        attributes: &[(String, String)],
    ) -> StepResult {
        let catalogue = self.backend.catalogue();
        for (attribute, value) in attributes {
            if let Some(target) = kind.reference(attribute)
                && catalogue.is_dependency(kind.name, attribute)
            {
                let parent = (!value.is_empty())
                    .then(|| self.kind(target).map(|k| (k, value.clone())))
                    .transpose()?;
                self.cleanup.link(kind, real_name, attribute, parent);
            }
        }
        Ok(())
    }

    /// Reserves `alias` for an item that must not exist (to name it in references).
    pub async fn reserve_missing(&mut self, kind: &str, alias: &str) -> StepResult {
        let kind = self.kind(kind)?;
        let real = self.namer.real_name(alias);
        if self
            .backend
            .exists(kind, &real)
            .await
            .map_err(WorldError::from)?
        {
            return Err(crate::assertion!(
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
        kind: &str,
        alias: &str,
        rows: Vec<(String, String)>,
    ) -> StepResult {
        let kind = self.kind(kind)?;
        let action = format!("modifying {kind} {alias:?}");
        let real = self.registry.resolve(kind, alias)?;
        let attributes = self
            .prepare(kind, rows)
            .map_err(|e| e.in_context(&action))?;
        let result = self.backend.modify(kind, &real, &attributes).await;
        if result.is_ok() {
            self.link_references(kind, &real, &attributes)?;
        }
        self.conclude(mode, action, result)
    }

    /// Removes the fields at `paths` of `alias`.
    pub async fn unset(
        &mut self,
        mode: Mode,
        kind: &str,
        alias: &str,
        paths: Vec<String>,
    ) -> StepResult {
        let kind = self.kind(kind)?;
        let action = format!("removing {} of {kind} {alias:?}", paths.join(", "));
        let real = self.registry.resolve(kind, alias)?;
        for path in &paths {
            self.backend
                .check_attribute(kind, path)
                .map_err(|e| WorldError::from(e).in_context(&action))?;
        }
        let result = self.backend.unset(kind, &real, &paths).await;
        if result.is_ok() {
            for path in &paths {
                self.cleanup.link(kind, &real, path, None);
            }
        }
        self.conclude(mode, action, result)
    }

    /// Renames (`copy == false`) or copies `alias` to `new_alias`.
    pub async fn rename_or_copy(
        &mut self,
        mode: Mode,
        kind: &str,
        alias: &str,
        new_alias: &str,
        copy: bool,
    ) -> StepResult {
        let kind = self.kind(kind)?;
        let verb = if copy { "copying" } else { "renaming" };
        let action = format!("{verb} {kind} {alias:?} to {new_alias:?}");
        let real = self.registry.resolve(kind, alias)?;
        let new_real = self.namer.real_name(new_alias);
        self.registry.register(kind, new_alias, &new_real);
        self.cleanup.push(kind, new_alias, &new_real);
        let result = match (self.backend.renaming(), copy) {
            (Some(renaming), true) => renaming.copy(kind, &real, &new_real).await,
            (Some(renaming), false) => renaming.rename(kind, &real, &new_real).await,
            (None, _) => Err(self
                .backend
                .unsupported(format!("{} a {kind}", if copy { "copy" } else { "rename" }))),
        };
        if result.is_ok() {
            if copy {
                self.cleanup.copied(kind, &real, &new_real);
            } else {
                self.cleanup.renamed_by_step(kind, &real, &new_real);
            }
        }
        self.conclude(mode, action, result)
    }

    /// Deletes `alias`; `recursive` is the server's default (true) unless the step says.
    pub async fn delete(
        &mut self,
        mode: Mode,
        kind: &str,
        alias: &str,
        recursive: bool,
    ) -> StepResult {
        let kind = self.kind(kind)?;
        let how = if recursive { "" } else { " without recursion" };
        let action = format!("deleting {kind} {alias:?}{how}");
        let real = self.registry.resolve(kind, alias)?;
        let result = self.backend.remove(kind, &real, recursive).await;
        if result.is_ok() {
            self.cleanup.removed_by_step(kind, &real, recursive);
        }
        self.conclude(mode, action, result)
    }

    /// Whether `alias` exists on the server.
    pub async fn exists(&self, kind: &str, alias: &str) -> StepResult<bool> {
        let kind = self.kind(kind)?;
        let real = self.registry.resolve(kind, alias)?;
        self.backend
            .exists(kind, &real)
            .await
            .map_err(WorldError::from)
    }

    /// The server's record of `alias`; a missing item is an error.
    async fn record(&self, kind: &'static KindSpec, alias: &str) -> StepResult<Record> {
        let real = self.registry.resolve(kind, alias)?;
        self.backend
            .get(kind, &real)
            .await
            .map_err(WorldError::from)?
            .ok_or_else(|| crate::assertion!("{kind} {alias:?} does not exist on the server"))
    }

    /// Whether the server's record of `alias` has a value at `path`.
    pub async fn has_field(&self, kind: &str, alias: &str, path: &str) -> StepResult<bool> {
        let kind = self.kind(kind)?;
        Ok(self.record(kind, alias).await?.get(path).is_some())
    }

    /// The fields `expected` names, as the server has them (real names turned into aliases).
    pub async fn fields(
        &self,
        kind: &str,
        alias: &str,
        expected: &[(String, String)],
    ) -> StepResult<BTreeMap<String, String>> {
        let kind = self.kind(kind)?;
        let record = self.record(kind, alias).await?;
        expected
            .iter()
            .map(|(path, _)| {
                let text = record.text(path).ok_or_else(|| {
                    crate::assertion!(
                        "{kind} {alias:?} has no field {path:?}; its fields are: {}",
                        record.field_names().join(", ")
                    )
                })?;
                Ok((path.clone(), self.namer.to_aliases(&text)))
            })
            .collect()
    }

    /// The text of one field of `alias` (real names turned into aliases).
    pub async fn field(&self, kind: &str, alias: &str, path: &str) -> StepResult<String> {
        let mut fields = self
            .fields(kind, alias, &[(path.to_owned(), String::new())])
            .await?;
        Ok(fields.remove(path).unwrap_or_default())
    }

    /// Waits up to `within` for the field at `path` to contain `needle` (a state a server
    /// settles on later, such as a failed power action's `last_error`).
    pub async fn await_field_containing(
        &self,
        kind: &str,
        alias: &str,
        path: &str,
        needle: &str,
        within: Duration,
    ) -> StepResult {
        let look = || async move {
            match self.field(kind, alias, path).await {
                Ok(value) if value.contains(needle) => Look::Ready(()),
                Ok(value) => Look::Pending(format!("{value:?}")),
                Err(e) => Look::Failed(e.to_string()),
            }
        };
        wait_for(Patience::within(within), look).await.map_err(|e| {
            let subject = format!(
                "{path} of {kind} {alias:?} should contain {needle:?} within {} s",
                within.as_secs_f64()
            );
            WorldError::waited(subject, e)
        })
    }

    /// Searches `kind` with `criteria`; name-valued criteria are aliases or globs over them.
    pub async fn search(&mut self, kind: &str, criteria: Vec<(String, String)>) -> StepResult {
        let aliases = self.find_aliases(kind, criteria).await?;
        let kind = self.kind(kind)?;
        self.search = Some(SearchResult { kind, aliases });
        Ok(())
    }

    /// This scenario's items of `kind` matching `criteria`, by alias, sorted (name-valued
    /// criteria are aliases or globs over them).
    pub async fn find_aliases(
        &self,
        kind: &str,
        criteria: Vec<(String, String)>,
    ) -> StepResult<Vec<String>> {
        let kind = self.kind(kind)?;
        let catalogue = self.backend.catalogue();
        let criteria: Vec<(String, String)> = criteria
            .into_iter()
            .map(|(key, value)| {
                if catalogue.is_name_valued(&key) {
                    let real = self.namer.real_name(&value);
                    (key, real)
                } else {
                    let value = self.expand(&value);
                    (key, value)
                }
            })
            .collect();
        let names = self
            .backend
            .find(kind, &criteria)
            .await
            .map_err(WorldError::from)?;
        let mut aliases: Vec<String> = names
            .iter()
            .filter_map(|name| self.namer.alias_of(name).map(str::to_owned))
            .collect();
        aliases.sort();
        Ok(aliases)
    }

    /// Runs a power action on `alias`.
    pub async fn power(
        &mut self,
        mode: Mode,
        kind: &str,
        alias: &str,
        action: PowerAction,
    ) -> StepResult {
        let kind = self.kind(kind)?;
        let description = format!("power {action} of {kind} {alias:?}");
        let real = self.registry.resolve(kind, alias)?;
        let result = self.backend.power(kind, &real, action).await;
        self.conclude(mode, description, result)
    }

    /// Waits until `alias` is powered on (or off), as power actions may settle later.
    pub async fn await_power(&self, kind: &str, alias: &str, on: bool) -> StepResult {
        let kind = self.kind(kind)?;
        let real = self.registry.resolve(kind, alias)?;
        let wanted = if on { "on" } else { "off" };
        wait_for(Patience::within(POWER_SETTLES_WITHIN), || async {
            match self.backend.is_powered_on(kind, &real).await {
                Ok(Some(now)) if now == on => Look::Ready(()),
                Ok(Some(now)) => {
                    Look::Pending(format!("powered {}", if now { "on" } else { "off" }))
                }
                Ok(None) => Look::Pending("a power action settling".to_owned()),
                Err(e) => Look::Failed(e.to_string()),
            }
        })
        .await
        .map_err(|e| WorldError::waited(format!("{kind} {alias:?} should be powered {wanted}"), e))
    }

    /// Asks for a backend-specific action on `alias`, with JSON arguments.
    pub async fn act(
        &mut self,
        mode: Mode,
        kind: &str,
        alias: &str,
        action: &str,
        arguments: serde_json::Value,
    ) -> StepResult {
        let kind = self.kind(kind)?;
        let description = format!("{action} of {kind} {alias:?}");
        let real = self.registry.resolve(kind, alias)?;
        let result = match self.backend.provisioning() {
            Some(provisioning) => provisioning.act(kind, &real, action, &arguments).await,
            None => Err(self.backend.unsupported(format!("{action} a {kind}"))),
        };
        self.conclude(mode, description, result)
    }

    /// Waits until `alias` is in state `expected` with no transition running; stops early
    /// on a failure state (showing the server's last error), and on timeout says which
    /// states it saw.
    pub async fn await_state(
        &self,
        kind: &str,
        alias: &str,
        expected: &str,
        within: Duration,
    ) -> StepResult {
        let kind = self.kind(kind)?;
        let real = self.registry.resolve(kind, alias)?;
        let Some(provisioning) = self.backend.provisioning() else {
            let e = self
                .backend
                .unsupported(format!("report the state of a {kind}"));
            return Err(WorldError::from(e)
                .in_context(&format!("{kind} {alias:?} should reach {expected:?}")));
        };
        wait_for(Patience::within(within), || async {
            match provisioning.state(kind, &real).await {
                Err(e) => Look::Failed(e.to_string()),
                // A failure state may keep its target, but it moves no more: it is final.
                // Reached once the server lets go of it too (a next action is not refused).
                Ok(state)
                    if state.name() == expected
                        && !state.busy
                        && (!state.is_settling() || state.has_failed()) =>
                {
                    Look::Ready(())
                }
                Ok(state) if state.has_failed() && state.name() != expected => {
                    let error = state.last_error.as_deref().unwrap_or("no last_error given");
                    Look::Failed(format!("{state}: {error}"))
                }
                Ok(state) => Look::Pending(state.to_string()),
            }
        })
        .await
        .map_err(|e| WorldError::waited(format!("{kind} {alias:?} should reach {expected:?}"), e))
    }

    /// Logs in now (or checks the credentials where there are no sessions).
    pub async fn log_in(&self) -> StepResult {
        self.backend.log_in().await.map_err(WorldError::from)
    }

    /// Tries other credentials, without changing the scenario's own.
    pub async fn try_login(&mut self, user: &str, password: &str) {
        let result = self.backend.try_credentials(user, password).await;
        let _ = self.conclude(Mode::Try, format!("logging in as {user:?}"), result);
    }

    /// Makes the server forget this scenario's session token, as an expiry does.
    pub async fn expire_token(&mut self) -> StepResult {
        match self.backend.token_sessions() {
            Some(sessions) => sessions.expire_session().await,
            None => Err(self
                .backend
                .unsupported("expire a session token (it has no sessions)".to_owned())),
        }
        .map_err(WorldError::from)
    }

    /// Makes the embedded fake forget every token, as a restart would.
    pub fn forget_all_tokens(&mut self) -> StepResult {
        match self.backend.token_sessions() {
            Some(sessions) => sessions.forget_all_tokens(),
            None => Err(self.backend.unsupported(
                "forget every token on demand: only an embedded fake with sessions can (tag the scenario @fake)"
                    .to_owned(),
            )),
        }
        .map_err(WorldError::from)
    }

    /// How many times this scenario's session logged in: the successful calls to the
    /// family's login call in the journal (a family without sessions says so).
    pub fn login_count(&self) -> StepResult<u64> {
        match self.backend.catalogue().login_call {
            Some(login) => Ok(self
                .calls
                .calls()
                .iter()
                .filter(|c| c.name == login && c.outcome.is_ok())
                .count() as u64),
            None => match self.backend.token_sessions() {
                Some(sessions) => sessions.login_count(),
                None => Err(self
                    .backend
                    .unsupported("count logins (it has no sessions)".to_owned())),
            }
            .map_err(WorldError::from),
        }
    }

    /// Undoes everything this scenario created, newest first; returns every item it created
    /// with how it was cleaned up.
    pub async fn clean_up(&mut self) -> Vec<cleanup::Cleaned> {
        self.cleanup.unwind(None).await
    }
}

impl ProvWorld {
    /// Asks the server for a view of `kind` `alias` (`what`: `autoinstall`, the rendered
    /// autoinstall file) and keeps it, real names read as aliases, for the steps that check it.
    pub async fn view_of(&mut self, kind: &str, alias: &str, what: &str) -> StepResult {
        let spec = self.kind(kind)?;
        let real_name = self.registry.resolve(spec, alias)?;
        let text = match self.backend.views() {
            Some(views) => views.view(spec, &real_name, what).await,
            None => Err(self
                .backend
                .unsupported(format!("show the {what} of a {spec}"))),
        }
        .map_err(|e| WorldError::backend(format!("showing the {what} of {kind} {alias:?}"), e))?;
        self.view = Some(self.namer.to_aliases(&text));
        Ok(())
    }

    /// The last view asked for, or why there is none.
    pub fn last_view(&self) -> StepResult<&str> {
        self.view.as_deref().ok_or_else(|| {
            crate::authoring!(
                "no \"When I render …\" step ran before this one, so there is nothing to check"
            )
        })
    }
}
