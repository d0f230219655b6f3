//! A backend family in one place: its catalogue, the backends it offers, how to connect them,
//! its differential probes, how a BMC powers its items, and the real server some of its
//! scenarios need installed. Each family's folder defines its `FAMILY`; `support/backends.rs`
//! holds the one list of them, and everything outside the family folders reads it from there.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::{Catalogue, Connector};
use crate::backends::Choice;
use crate::bmc::BmcAccess;
use crate::conformance::{Comparison, Probe};

/// A future a family's function returns.
pub type FamilyFuture<T> = Pin<Box<dyn Future<Output = Result<T, String>> + Send>>;

/// Connects the backend a choice names.
pub type Connect = fn(Choice) -> FamilyFuture<Arc<dyn Connector>>;

/// Runs a family's differential probes: the choice, the probes (shipped ones when `None`), the
/// run id.
pub type Conformance = fn(Choice, Option<Vec<Probe>>, String) -> FamilyFuture<Vec<Comparison>>;

/// The attributes that make a BMC the power controller of an item: `(attribute, value)`.
pub type BmcAttributes = fn(&BmcAccess) -> Result<Vec<(String, String)>, String>;

/// What one backend family is.
pub struct Family {
    /// Its catalogue: the family's name (the feature tag `@NAME`), kinds, factory book.
    pub catalogue: &'static Catalogue,
    /// The backends it offers, by the name `--backend` takes (the embedded fake first).
    pub backends: &'static [&'static str],
    /// Connects the backend the choice names (one of [`Family::backends`]), checking a
    /// server up front: a wrong URL or password is one message.
    pub connect: Connect,
    /// Sends the family's differential probes (the shipped ones when `None`) to the chosen
    /// server and to its embedded fake, names marked with the run id; each call's answers.
    pub conformance: Conformance,
    /// The attributes that make a BMC the power controller of an item of the family.
    pub bmc_attributes: BmcAttributes,
    /// The real server some scenarios need installed: `@TAG` scenarios are skipped unless the
    /// environment variable names its installation.
    pub installed_server: InstalledServer,
    /// How its server options are named (`--url`, COBBLER_URL, …).
    pub server_flags: ServerFlags,
}

/// How a family's server options are named, and the login it uses when none is given.
pub struct ServerFlags {
    /// What the server is called in help (`Cobbler`).
    pub server: &'static str,
    /// The prefix of its flags: `""` gives `--url`, `--user`, `--password`,
    /// `--password-file`; `"ironic-"` gives `--ironic-url`, ….
    pub flag_prefix: &'static str,
    /// The prefix of its environment variables: `COBBLER` gives COBBLER_URL, COBBLER_USER,
    /// COBBLER_PASSWORD, COBBLER_PASSWORD_FILE.
    pub env_prefix: &'static str,
    /// The user and password used when none is given (Cobbler's stock ones); `None`: no
    /// login unless a user is given (Ironic's noauth).
    pub default_login: Option<(&'static str, &'static str)>,
    /// An example URL, for help and messages.
    pub url_example: &'static str,
    /// What a login is called there, and no login (`http_basic`, `noauth`), for messages.
    pub login_words: (&'static str, &'static str),
}

/// A family's real server, installed for the scenarios that need it.
pub struct InstalledServer {
    /// The scenario tag, without `@` (`cobbler-venv`).
    pub tag: &'static str,
    /// The environment variable naming the installation (`COBBLER_VENV`).
    pub variable: &'static str,
    /// What it is and where the variable comes from, for the skip message.
    pub description: &'static str,
}

impl Family {
    /// The family's name: its catalogue's, and the feature tag that selects it.
    pub fn name(&self) -> &'static str {
        self.catalogue.family
    }
}

impl std::fmt::Debug for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Family")
            .field("name", &self.name())
            .field("backends", &self.backends)
            .finish_non_exhaustive()
    }
}
