//! The seam between the World and a provisioning server: what every backend provides.
//!
//! A backend family (Cobbler, Ironic) describes its kinds as data ([`Catalogue`],
//! [`KindSpec`]) and implements [`Backend`]: the verbs the World uses on one scenario's
//! items, by real name. A [`Connector`] stands for one configured server for a whole run and
//! opens a [`Backend`] per scenario. Nothing above this module knows which family it talks to.

mod error;
mod family;
mod kind;
mod power;
mod record;
mod state;

pub use error::Error;
pub use family::{Family, FamilyFuture, InstalledServer, ServerFlags};
pub use kind::{Catalogue, KindSpec, NameRule};
pub use power::PowerAction;
pub use record::{Record, render};
pub use state::ItemState;

use std::fmt;
use std::sync::Arc;

use crate::calls::layer::CallLayer;

/// Scenarios run at once on a server over the network unless `--concurrency N` says otherwise.
pub const DEFAULT_SERVER_CONCURRENCY: usize = 4;

/// One family's verbs over one server, for one scenario. Names are real names (the alias
/// with the run's suffix); attributes are `(path, value)` pairs already checked with
/// [`Backend::check_attribute`] and with references turned into real names.
///
/// Verbs a family does not have keep their default, which fails with
/// [`Error::Unsupported`]: a step that needs them fails loudly on that backend.
#[async_trait::async_trait]
pub trait Backend: Send + Sync + fmt::Debug {
    /// The kinds this backend offers.
    fn catalogue(&self) -> &'static Catalogue;

    /// Where the calls go, for messages: a URL, or "the embedded fake …".
    fn endpoint(&self) -> String;

    /// Ok when `kind` has `attribute`; otherwise an error listing what it has.
    fn check_attribute(&self, kind: &KindSpec, attribute: &str) -> Result<(), Error> {
        kind.check_attribute(attribute)
    }

    /// Creates an item called `name` with `attributes`; an existing one of that name is
    /// refused, never replaced.
    async fn create(
        &self,
        kind: &'static KindSpec,
        name: &str,
        attributes: &[(String, String)],
    ) -> Result<(), Error>;

    /// The item's fields, or `None` when there is no such item.
    async fn get(&self, kind: &'static KindSpec, name: &str) -> Result<Option<Record>, Error>;

    /// True when the item exists.
    async fn exists(&self, kind: &'static KindSpec, name: &str) -> Result<bool, Error> {
        Ok(self.get(kind, name).await?.is_some())
    }

    /// Real names of the items matching every `(field, glob)` criterion.
    async fn find(
        &self,
        kind: &'static KindSpec,
        criteria: &[(String, String)],
    ) -> Result<Vec<String>, Error>;

    /// Changes attributes of an existing item.
    async fn modify(
        &self,
        kind: &'static KindSpec,
        name: &str,
        attributes: &[(String, String)],
    ) -> Result<(), Error>;

    /// Removes fields (paths) of an existing item.
    async fn unset(
        &self,
        kind: &'static KindSpec,
        _name: &str,
        _paths: &[String],
    ) -> Result<(), Error> {
        Err(self.unsupported(format!("remove fields of a {kind}")))
    }

    /// Removes an item with the family's own rules; `recursive` also removes what depends
    /// on it where the family distinguishes.
    async fn remove(
        &self,
        kind: &'static KindSpec,
        name: &str,
        recursive: bool,
    ) -> Result<(), Error>;

    /// Removes an item whatever state it is in, for cleanup: waits out a running
    /// transition, forces what must be forced, and treats a missing item as removed.
    async fn discard(&self, kind: &'static KindSpec, name: &str) -> Result<(), Error> {
        self.remove(kind, name, true).await
    }

    /// Runs a power action on an item.
    async fn power(
        &self,
        kind: &'static KindSpec,
        _name: &str,
        action: PowerAction,
    ) -> Result<(), Error> {
        Err(self.unsupported(format!("power {action} a {kind}")))
    }

    /// Whether the item is powered on now; `None` while a power action is still settling.
    async fn is_powered_on(
        &self,
        kind: &'static KindSpec,
        _name: &str,
    ) -> Result<Option<bool>, Error> {
        Err(self.unsupported(format!("read the power state of a {kind}")))
    }

    /// Every item whose name contains `marker` (a run's marker), as `(kind, real name)`,
    /// for leak checks and sweeping. With `--`, which every run marker starts with, it lists
    /// the items of every run (and any other name holding `--`: callers keep the names
    /// [`crate::naming::parse_real_name`] reads).
    async fn list_marked(&self, marker: &str) -> Result<Vec<(&'static str, String)>, Error>;

    /// Logs in now, or checks the credentials where there is no login, so that a wrong
    /// password shows at once.
    async fn log_in(&self) -> Result<(), Error>;

    /// Tries other credentials, without changing this backend's own.
    async fn try_credentials(&self, user: &str, password: &str) -> Result<(), Error>;

    /// Whether `error`, returned by [`Backend::create`], says for certain that nothing was
    /// stored (the server refused before anything was written), so that cleanup need not
    /// remove the item. When in doubt, false.
    fn created_nothing(&self, _error: &Error) -> bool {
        false
    }

    /// Renaming and copying items, where the family has them (Cobbler).
    fn renaming(&self) -> Option<&dyn Renaming> {
        None
    }

    /// Life-cycle states and actions on items, where the family has them (Ironic's
    /// provision states).
    fn provisioning(&self) -> Option<&dyn Provisioning> {
        None
    }

    /// Rendered views of items, where the family has them (Cobbler's autoinstall files).
    fn views(&self) -> Option<&dyn Views> {
        None
    }

    /// Sessions with tokens, where the family has them (Cobbler).
    fn token_sessions(&self) -> Option<&dyn TokenSessions> {
        None
    }

    /// An [`Error::Unsupported`] naming this backend's family.
    fn unsupported(&self, what: String) -> Error {
        Error::Unsupported {
            family: self.catalogue().family,
            what,
        }
    }
}

/// Renaming and copying items (a capability: [`Backend::renaming`]).
#[async_trait::async_trait]
pub trait Renaming: Send + Sync {
    /// Renames an item.
    async fn rename(
        &self,
        kind: &'static KindSpec,
        name: &str,
        new_name: &str,
    ) -> Result<(), Error>;

    /// Copies an item to `new_name`.
    async fn copy(&self, kind: &'static KindSpec, name: &str, new_name: &str) -> Result<(), Error>;
}

/// Life-cycle states and family-specific actions on items (a capability:
/// [`Backend::provisioning`]).
#[async_trait::async_trait]
pub trait Provisioning: Send + Sync {
    /// The item's life-cycle state now.
    async fn state(&self, kind: &'static KindSpec, name: &str) -> Result<ItemState, Error>;

    /// Asks for a family-specific action on an item (an Ironic provision target such as
    /// `manage`, or `maintenance`), with its arguments as JSON.
    async fn act(
        &self,
        kind: &'static KindSpec,
        name: &str,
        action: &str,
        arguments: &serde_json::Value,
    ) -> Result<(), Error>;
}

/// Family-specific views of items as text (a capability: [`Backend::views`]).
#[async_trait::async_trait]
pub trait Views: Send + Sync {
    /// A family-specific view of an item as text, such as Cobbler's rendered autoinstall file
    /// of a profile or system (`what`: `autoinstall`).
    async fn view(&self, kind: &'static KindSpec, name: &str, what: &str) -> Result<String, Error>;
}

/// Sessions with tokens (a capability: [`Backend::token_sessions`]).
#[async_trait::async_trait]
pub trait TokenSessions: Send + Sync {
    /// Gives this scenario a session of its own (its own login, token and login count)
    /// instead of the run's shared one; called before the scenario's first call.
    fn own_session(&self);

    /// How many times this backend logged in (sessions with tokens only).
    fn login_count(&self) -> Result<u64, Error>;

    /// Makes the server forget this backend's session token, as an expiry would.
    async fn expire_session(&self) -> Result<(), Error>;

    /// Makes an embedded fake forget every session token, as a restart would.
    fn forget_all_tokens(&self) -> Result<(), Error>;
}

/// One configured server for a whole run: says what it is and opens a [`Backend`] per
/// scenario (a fresh embedded fake each time, or one shared connection to a server).
pub trait Connector: Send + Sync + fmt::Debug {
    /// The name the run was given: `fake`, `cobbler`, `fake-ironic`, `ironic`.
    fn name(&self) -> &'static str;

    /// The kinds of its family (`@cobbler`, `@ironic` tags select on `catalogue().family`).
    fn catalogue(&self) -> &'static Catalogue;

    /// True for an embedded, in-process fake (scenarios tagged `@fake` need one).
    fn is_embedded_fake(&self) -> bool;

    /// Where the calls go, for messages (credentials never shown).
    fn endpoint(&self) -> String;

    /// A backend for one scenario, its calls going through `layer` (journal, faults).
    fn open_with(&self, layer: CallLayer) -> Arc<dyn Backend>;

    /// A backend whose calls go straight to the server, unrecorded (leak checks, sweeps).
    fn open(&self) -> Arc<dyn Backend> {
        self.open_with(CallLayer::off())
    }

    /// Placeholders the run fills into values (`{boot}` → the dummy boot files' directory).
    fn placeholders(&self) -> Vec<(String, String)> {
        Vec::new()
    }

    /// How many scenarios may run at once when the user did not say: on a server over the
    /// network, [`DEFAULT_SERVER_CONCURRENCY`] (names carry the run and scenario, addresses are
    /// allocated per run, and `@serial` scenarios still run alone); an embedded fake leaves it
    /// to cucumber.
    fn default_concurrency(&self) -> Option<usize> {
        if self.is_embedded_fake() {
            None
        } else {
            Some(DEFAULT_SERVER_CONCURRENCY)
        }
    }

    /// Releases what the run held (temporary files); called once at the end of the run.
    fn close(&self) {}
}
