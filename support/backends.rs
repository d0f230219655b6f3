//! Choosing the backend a run talks to, by name, and connecting to it with one clear message
//! when that fails, through the one list of backend families ([`FAMILIES`]): the only place
//! above the family folders that names them all.

use std::path::PathBuf;
use std::sync::Arc;

use crate::backend::{Connector, Family};
use crate::http::HttpOptions;

/// What the user chose, from the command line or the environment.
#[derive(Clone, Debug, Default)]
pub struct Choice {
    /// One of [`names`].
    pub backend: String,
    /// The server's URL (a backend over the network).
    pub url: Option<String>,
    /// Who to log in as; `None` for the family's default (Cobbler's stock user, Ironic's
    /// noauth).
    pub login: Option<Login>,
    /// A directory on the server holding the dummy boot files (Cobbler); without it provspec
    /// writes them to a temporary directory here.
    pub boot_dir: Option<PathBuf>,
    /// Connect and call timeouts for a server over HTTP.
    pub http: HttpOptions,
}

/// A user and password. Its `Debug` never shows the password.
#[derive(Clone, Default)]
pub struct Login {
    /// The user.
    pub user: String,
    /// The password.
    pub password: String,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl Choice {
    /// The choice for a server a scenario started: `backend` at `url`, with a login when
    /// `user` is given.
    pub fn for_server(
        backend: &str,
        url: &str,
        user: Option<&str>,
        password: Option<&str>,
    ) -> Self {
        Choice {
            backend: backend.to_owned(),
            url: Some(url.to_owned()),
            login: user.map(|user| Login {
                user: user.to_owned(),
                password: password.unwrap_or_default().to_owned(),
            }),
            ..Choice::default()
        }
    }
}

/// The backend families, in the order `--backend` lists their backends: the one list of
/// them (ARCHITECTURE.md: adding a family).
pub static FAMILIES: [&Family; 2] = [
    &crate::cobbler::family::FAMILY,
    &crate::ironic::family::FAMILY,
];

/// Every backend name `--backend` takes, family by family.
pub fn names() -> Vec<&'static str> {
    FAMILIES
        .iter()
        .flat_map(|family| family.backends.iter().copied())
        .collect()
}

/// The family that offers the backend `name`.
pub fn family_of(name: &str) -> Result<&'static Family, String> {
    FAMILIES
        .iter()
        .copied()
        .find(|family| family.backends.contains(&name))
        .ok_or_else(|| {
            format!(
                "unknown backend {name:?}; known backends: {}",
                names().join(", ")
            )
        })
}

/// The family called `name` (its feature tag).
pub fn family_named(name: &str) -> Option<&'static Family> {
    FAMILIES
        .iter()
        .copied()
        .find(|family| family.name() == name)
}

/// Connects to the chosen backend, checking a server up front within `preflight::BUDGET`:
/// a wrong URL or password ends the run at once with one message.
pub async fn connect(choice: Choice) -> Result<Arc<dyn Connector>, String> {
    (family_of(&choice.backend)?.connect)(choice).await
}

/// Runs the chosen family's differential probes (`provspec conformance`): `probes` (the shipped
/// ones when `None`) sent to the chosen server and to the embedded fake, every name marked with
/// `run_id`; each call's two normalised answers.
pub async fn conformance(
    choice: &Choice,
    probes: Option<&[crate::conformance::Probe]>,
    run_id: &str,
) -> Result<Vec<crate::conformance::Comparison>, String> {
    let family = family_of(&choice.backend)?;
    if family.backends.first() == Some(&choice.backend.as_str()) {
        let servers: Vec<&str> = FAMILIES
            .iter()
            .filter_map(|f| f.backends.get(1).copied())
            .collect();
        return Err(format!(
            "conformance compares the embedded fake with a server: choose --backend {} (with its URL), not {}",
            servers.join(" or "),
            choice.backend
        ));
    }
    (family.conformance)(choice.clone(), probes.map(<[_]>::to_vec), run_id.to_owned()).await
}

/// The feature tags of every backend family, in [`FAMILIES`] order.
pub fn families() -> Vec<&'static str> {
    FAMILIES.iter().map(|family| family.name()).collect()
}

/// The attributes that make `bmc` the power controller of an item of `family` (`cobbler`:
/// a system's `power_*` fields; `ironic`: a node's redfish interfaces and `driver_info`).
pub fn bmc_attributes(
    family: &str,
    bmc: &crate::bmc::BmcAccess,
) -> Result<Vec<(String, String)>, String> {
    match family_named(family) {
        Some(family) => (family.bmc_attributes)(bmc),
        None => Err(format!("the {family} backend has no BMC attributes")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_backend_belongs_to_one_family_with_its_embedded_fake_first() {
        let names = names();
        for (i, name) in names.iter().enumerate() {
            assert!(!names[..i].contains(name), "{name} is offered twice");
            let family = family_of(name).expect("a family offers it");
            assert!(family.backends.contains(name));
        }
        for family in FAMILIES {
            assert!(
                family.backends.len() >= 2,
                "{} offers a fake and a server",
                family.name()
            );
        }
        assert_eq!(names[0], "fake", "the default backend comes first");
    }

    #[test]
    fn an_unknown_backend_lists_the_known_ones() {
        assert_eq!(
            family_of("cobler").expect_err("no such backend"),
            format!(
                "unknown backend \"cobler\"; known backends: {}",
                names().join(", ")
            )
        );
    }
}
