//! Everything one fake server holds, behind the [`super::FakeCobbler`] lock.

use indexmap::IndexMap;

use super::events::Event;
use super::files::Files;
use super::install_log::InstallEntry;
use super::store::Store;
use super::tokens::TokenStore;

/// The fake's state: users, tokens, items, the dummy BMC.
#[derive(Debug)]
pub struct State {
    /// user name -> password.
    pub users: Vec<(String, String)>,
    /// `login("", secret)` succeeds with this (cobblerd's web.ss).
    pub shared_secret: Option<String>,
    /// Issued tokens.
    pub tokens: TokenStore,
    /// Saved and unsaved items.
    pub store: Store,
    /// fence_dummy's one global status.
    pub dummy_power_on: bool,
    /// Background tasks' events, by id.
    pub events: IndexMap<String, Event>,
    /// Autoinstall templates and snippets.
    pub files: Files,
    /// `/var/log/cobbler/install.log`: what the install triggers logged.
    pub install_log: Vec<InstallEntry>,
}
