//! Cobbler behind the backend seam: the [`Backend`] verbs mapped onto the entity verbs, and
//! the [`Connector`]s for the embedded fake and for a Cobbler over HTTP.

use std::sync::{Arc, Mutex};

use super::boot_files::BootFiles;
use super::catalogue::CATALOGUE;
use super::entities::templates::{CONTENT, FileKind};
use super::entities::{Cobbler, INTERFACE_FIELDS, InterfaceSpec, check_attribute};
use super::fake::FakeCobbler;
use super::protocol::{HttpTransport, LayeredTransport, Transport};
use super::session::{Credentials, Session, SessionError, SharedLogin};
use super::{Error as CobblerError, Kind};
use crate::backend::{
    Backend, Catalogue, Connector, Error, KindSpec, PowerAction, Record, Renaming, TokenSessions,
    Views,
};
use crate::calls::layer::CallLayer;

/// Where a system's interface fields go: `interfaces.<interface>.<field>`.
const INTERFACES: &str = "interfaces";

/// One scenario's Cobbler: entity verbs over one session, and the fake if it is embedded.
#[derive(Debug)]
pub struct CobblerBackend {
    api: Cobbler,
    transport: Arc<dyn Transport>,
    fake: Option<FakeCobbler>,
}

impl CobblerBackend {
    /// A backend over `transport`, logging in as `credentials` (or using `login`'s token when
    /// it shares one); `fake` when it is embedded.
    pub fn new(
        transport: Arc<dyn Transport>,
        credentials: Credentials,
        login: SharedLogin,
        fake: Option<FakeCobbler>,
    ) -> Self {
        let session = Session::sharing(transport.clone(), credentials, login);
        Self {
            api: Cobbler::new(Arc::new(session)),
            transport,
            fake,
        }
    }

    /// The session the calls go through.
    pub fn session(&self) -> &Arc<Session> {
        self.api.session()
    }

    /// Writes a template's or snippet's `content` (a create and a modify both replace it).
    async fn write_file(
        &self,
        file: FileKind,
        name: &str,
        attributes: &[(String, String)],
    ) -> Result<(), Error> {
        self.api
            .write_file(file, name, &content_of(attributes))
            .await
            .map_err(neutral)
    }
}

/// A Cobbler error as the backend-neutral one: input provspec refused before any call (an
/// unknown attribute or interface field, a malformed value) is [`Error::Invalid`], the feature's
/// mistake; the rest is the server's answer.
fn neutral(error: CobblerError) -> Error {
    match error {
        CobblerError::UnknownAttribute { .. }
        | CobblerError::UnknownInterfaceField { .. }
        | CobblerError::Invalid(_) => Error::Invalid(error.to_string()),
        other => Error::server(other),
    }
}

/// The Cobbler kind behind a spec from [`CATALOGUE`].
fn kind(spec: &KindSpec) -> Kind {
    // Templates and snippets are answered before this (`FileKind`).
    Kind::parse(spec.name)
        .unwrap_or_else(|| unreachable!("the Cobbler catalogue holds only Cobbler kinds"))
}

/// The `content` a template or snippet is given (empty when none).
fn content_of(attributes: &[(String, String)]) -> String {
    attributes
        .iter()
        .rev()
        .find(|(key, _)| key == CONTENT)
        .map(|(_, value)| value.clone())
        .unwrap_or_default()
}

/// Attributes as `(name, value)` pairs.
type Attributes = Vec<(String, String)>;

/// Splits `interfaces.<name>.<field>` paths off the plain attributes, as interface specs.
fn split_interfaces(
    attributes: &[(String, String)],
) -> Result<(Attributes, Vec<InterfaceSpec>), CobblerError> {
    let mut plain = Vec::new();
    let mut interfaces: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for (path, value) in attributes {
        match interface_path(path)? {
            None => plain.push((path.clone(), value.clone())),
            Some((interface, field)) => {
                let fields = match interfaces.iter_mut().find(|(n, _)| n == interface) {
                    Some((_, fields)) => fields,
                    None => {
                        interfaces.push((interface.to_owned(), Vec::new()));
                        &mut interfaces.last_mut().expect("just pushed").1
                    }
                };
                fields.push((field.to_owned(), value.clone()));
            }
        }
    }
    let interfaces = interfaces
        .into_iter()
        .map(|(name, fields)| InterfaceSpec::new(name, fields))
        .collect::<Result<_, _>>()?;
    Ok((plain, interfaces))
}

/// `Some((interface, field))` for `interfaces.eth0.mac_address`, checked; `None` otherwise.
fn interface_path(path: &str) -> Result<Option<(&str, &str)>, CobblerError> {
    let Some(rest) = path.strip_prefix("interfaces.") else {
        return Ok(None);
    };
    match rest.split_once('.') {
        Some((interface, field)) if !interface.is_empty() && !field.contains('.') => {
            if !INTERFACE_FIELDS.iter().any(|(f, _)| *f == field) {
                return Err(CobblerError::UnknownInterfaceField {
                    field: field.to_owned(),
                    known: INTERFACE_FIELDS.map(|(f, _)| f).join(", "),
                });
            }
            Ok(Some((interface, field)))
        }
        _ => Err(CobblerError::Invalid(format!(
            "{path:?} is not an interface field: write interfaces.<interface>.<field>, e.g. interfaces.eth0.mac_address"
        ))),
    }
}

#[async_trait::async_trait]
impl Backend for CobblerBackend {
    fn catalogue(&self) -> &'static Catalogue {
        &CATALOGUE
    }

    fn endpoint(&self) -> String {
        self.transport.endpoint()
    }

    fn check_attribute(&self, spec: &KindSpec, attribute: &str) -> Result<(), Error> {
        if FileKind::of(spec.name).is_some() {
            return if attribute == CONTENT {
                Ok(())
            } else {
                Err(Error::UnknownAttribute {
                    kind: spec.name,
                    attribute: attribute.to_owned(),
                    known: CONTENT.to_owned(),
                })
            };
        }
        let kind = kind(spec);
        if attribute.starts_with(INTERFACES) && attribute.len() > INTERFACES.len() {
            if kind != Kind::System {
                return Err(Error::Invalid(format!(
                    "only systems have interfaces, not a {kind}"
                )));
            }
            return interface_path(attribute).map(|_| ()).map_err(neutral);
        }
        check_attribute(kind, attribute).map_err(neutral)
    }

    async fn create(
        &self,
        spec: &'static KindSpec,
        name: &str,
        attributes: &[(String, String)],
    ) -> Result<(), Error> {
        if let Some(file) = FileKind::of(spec.name) {
            return self.write_file(file, name, attributes).await;
        }
        let (plain, interfaces) = split_interfaces(attributes).map_err(neutral)?;
        self.api
            .create(kind(spec), name, &plain, &interfaces)
            .await
            .map_err(neutral)
    }

    async fn get(&self, spec: &'static KindSpec, name: &str) -> Result<Option<Record>, Error> {
        if let Some(file) = FileKind::of(spec.name) {
            let content = self.api.read_file(file, name).await.map_err(neutral)?;
            return Ok(content.map(|text| Record {
                kind: spec.name,
                name: name.to_owned(),
                fields: [
                    (
                        "name".to_owned(),
                        serde_json::Value::String(name.to_owned()),
                    ),
                    (CONTENT.to_owned(), serde_json::Value::String(text)),
                ]
                .into_iter()
                .collect(),
            }));
        }
        self.api.get(kind(spec), name).await.map_err(neutral)
    }

    async fn find(
        &self,
        spec: &'static KindSpec,
        criteria: &[(String, String)],
    ) -> Result<Vec<String>, Error> {
        if let Some(file) = FileKind::of(spec.name) {
            let names = self.api.list_files(file).await.map_err(neutral)?;
            let patterns: Vec<glob::Pattern> = criteria
                .iter()
                .filter(|(key, _)| key == "name")
                .filter_map(|(_, pattern)| glob::Pattern::new(pattern).ok())
                .collect();
            return Ok(names
                .into_iter()
                .filter(|name| patterns.iter().all(|p| p.matches(name)))
                .collect());
        }
        self.api.find(kind(spec), criteria).await.map_err(neutral)
    }

    async fn modify(
        &self,
        spec: &'static KindSpec,
        name: &str,
        attributes: &[(String, String)],
    ) -> Result<(), Error> {
        if let Some(file) = FileKind::of(spec.name) {
            return self.write_file(file, name, attributes).await;
        }
        let (plain, interfaces) = split_interfaces(attributes).map_err(neutral)?;
        self.api
            .modify(kind(spec), name, &plain, &interfaces)
            .await
            .map_err(neutral)
    }

    async fn remove(
        &self,
        spec: &'static KindSpec,
        name: &str,
        recursive: bool,
    ) -> Result<(), Error> {
        if let Some(file) = FileKind::of(spec.name) {
            return self
                .api
                .remove_file(file, name, false)
                .await
                .map_err(neutral);
        }
        self.api
            .remove(kind(spec), name, recursive)
            .await
            .map_err(neutral)
    }

    async fn discard(&self, spec: &'static KindSpec, name: &str) -> Result<(), Error> {
        if let Some(file) = FileKind::of(spec.name) {
            return self
                .api
                .remove_file(file, name, true)
                .await
                .map_err(neutral);
        }
        self.remove(spec, name, true).await
    }

    async fn power(
        &self,
        spec: &'static KindSpec,
        name: &str,
        action: PowerAction,
    ) -> Result<(), Error> {
        if FileKind::of(spec.name).is_some() || kind(spec) != Kind::System {
            return Err(self.unsupported(format!("power a {spec}: only systems have power")));
        }
        self.api
            .power(name, action)
            .await
            .map(|_| ())
            .map_err(neutral)
    }

    async fn is_powered_on(
        &self,
        spec: &'static KindSpec,
        name: &str,
    ) -> Result<Option<bool>, Error> {
        if FileKind::of(spec.name).is_some() || kind(spec) != Kind::System {
            return Err(self.unsupported(format!("power a {spec}: only systems have power")));
        }
        self.api
            .power(name, PowerAction::Status)
            .await
            .map(Some)
            .map_err(neutral)
    }

    async fn list_marked(&self, marker: &str) -> Result<Vec<(&'static str, String)>, Error> {
        let mut found = Vec::new();
        for spec in CATALOGUE.kinds {
            let criteria = [("name".to_owned(), format!("*{marker}*"))];
            for name in self.find(spec, &criteria).await? {
                found.push((spec.name, name));
            }
        }
        Ok(found)
    }

    async fn log_in(&self) -> Result<(), Error> {
        self.session()
            .ensure_logged_in()
            .await
            .map_err(Error::server)
    }

    async fn try_credentials(&self, user: &str, password: &str) -> Result<(), Error> {
        Session::new(self.transport.clone(), Credentials::new(user, password))
            .ensure_logged_in()
            .await
            .map_err(Error::server)
    }

    fn created_nothing(&self, error: &Error) -> bool {
        let Error::Server(source) = error else {
            // Refused by provspec before any call.
            return true;
        };
        let Some(error) = source.downcast_ref::<CobblerError>() else {
            return false;
        };
        // Only a save stores an item: a create that failed on an earlier call (new_*, a
        // refused field, a login) left nothing; a failed save may have stored it after all.
        let method = match error {
            CobblerError::Server { source, .. } => match source {
                SessionError::LoginFailed { .. } => return true,
                SessionError::Call(call) => call.method(),
                SessionError::TokenRefusedAfterLogin { method, .. } => method.as_str(),
            },
            CobblerError::UnexpectedResult { method, .. } => method.as_str(),
            CobblerError::FieldRefused { .. }
            | CobblerError::UnknownAttribute { .. }
            | CobblerError::UnknownInterfaceField { .. }
            | CobblerError::Invalid(_) => return true,
        };
        !method.starts_with("save_")
    }

    fn renaming(&self) -> Option<&dyn Renaming> {
        Some(self)
    }

    fn views(&self) -> Option<&dyn Views> {
        Some(self)
    }

    fn token_sessions(&self) -> Option<&dyn TokenSessions> {
        Some(self)
    }
}

#[async_trait::async_trait]
impl Renaming for CobblerBackend {
    async fn rename(
        &self,
        spec: &'static KindSpec,
        name: &str,
        new_name: &str,
    ) -> Result<(), Error> {
        if FileKind::of(spec.name).is_some() {
            return Err(self.unsupported(format!("rename a {spec}")));
        }
        self.api
            .rename(kind(spec), name, new_name)
            .await
            .map_err(neutral)
    }

    async fn copy(&self, spec: &'static KindSpec, name: &str, new_name: &str) -> Result<(), Error> {
        if FileKind::of(spec.name).is_some() {
            return Err(self.unsupported(format!("copy a {spec}")));
        }
        self.api
            .copy(kind(spec), name, new_name)
            .await
            .map_err(neutral)
    }
}

#[async_trait::async_trait]
impl Views for CobblerBackend {
    async fn view(&self, spec: &'static KindSpec, name: &str, what: &str) -> Result<String, Error> {
        match (spec.name, what) {
            ("profile" | "system", "autoinstall") => self
                .api
                .rendered_autoinstall(spec.name, name)
                .await
                .map_err(neutral),
            _ => Err(self.unsupported(format!("show the {what} of a {spec}"))),
        }
    }
}

#[async_trait::async_trait]
impl TokenSessions for CobblerBackend {
    fn own_session(&self) {
        self.session().make_own();
    }

    fn login_count(&self) -> Result<u64, Error> {
        Ok(self.session().login_count())
    }

    async fn expire_session(&self) -> Result<(), Error> {
        match self.session().expire_token_on_server().await {
            Ok(true) => Ok(()),
            Ok(false) => Err(Error::Invalid(
                "logout answered False: the server did not know the session's token".into(),
            )),
            Err(e) => Err(Error::server(e)),
        }
    }

    fn forget_all_tokens(&self) -> Result<(), Error> {
        match &self.fake {
            Some(fake) => {
                fake.expire_all_tokens();
                Ok(())
            }
            None => Err(self.unsupported(
                "forget every token on demand: only the embedded fake can (tag the scenario @fake)"
                    .to_owned(),
            )),
        }
    }
}

/// Which Cobbler a run talks to.
#[derive(Debug)]
enum Server {
    /// The embedded fake: a fresh one per scenario, or one shared by all (to inspect it after
    /// a run).
    Embedded { shared: Option<FakeCobbler> },
    /// A Cobbler XML-RPC API over HTTP (a real cobblerd, or fake-cobbler), through one pooled
    /// client.
    Remote {
        transport: HttpTransport,
        credentials: Credentials,
        /// The run's login, shared by every scenario that does not ask for its own session.
        login: SharedLogin,
    },
}

/// A run's Cobbler, and the dummy boot files its distros point at (`{boot}`).
#[derive(Debug)]
pub struct CobblerConnector {
    server: Server,
    boot_dir: String,
    boot_files: Mutex<Option<BootFiles>>,
}

impl CobblerConnector {
    /// The embedded fake: a fresh one per scenario, or `shared` for every scenario.
    pub fn embedded(shared: Option<FakeCobbler>, boot_files: BootFiles) -> Self {
        Self::new(Server::Embedded { shared }, boot_files)
    }

    /// A Cobbler over `transport`, logging in as `credentials`.
    pub fn remote(
        transport: HttpTransport,
        credentials: Credentials,
        boot_files: BootFiles,
    ) -> Self {
        Self::new(
            Server::Remote {
                transport,
                credentials,
                login: SharedLogin::new(),
            },
            boot_files,
        )
    }

    /// The same, with every scenario sharing `login` (the run-start check's), so that a run
    /// logs in once; a scenario about sessions asks for its own ([`Backend::own_session`]).
    pub fn sharing_login(mut self, shared: SharedLogin) -> Self {
        if let Server::Remote { login, .. } = &mut self.server {
            *login = shared;
        }
        self
    }

    fn new(server: Server, boot_files: BootFiles) -> Self {
        Self {
            server,
            boot_dir: boot_files.dir().display().to_string(),
            boot_files: Mutex::new(Some(boot_files)),
        }
    }
}

impl Connector for CobblerConnector {
    fn name(&self) -> &'static str {
        match self.server {
            Server::Embedded { .. } => "fake",
            Server::Remote { .. } => "cobbler",
        }
    }

    fn catalogue(&self) -> &'static Catalogue {
        &CATALOGUE
    }

    fn is_embedded_fake(&self) -> bool {
        matches!(self.server, Server::Embedded { .. })
    }

    fn endpoint(&self) -> String {
        match &self.server {
            Server::Embedded { .. } => super::fake::ENDPOINT.to_owned(),
            Server::Remote { transport, .. } => transport.endpoint(),
        }
    }

    fn open_with(&self, layer: CallLayer) -> Arc<dyn Backend> {
        let layered =
            |inner: Arc<dyn Transport>| Arc::new(LayeredTransport::new(inner, layer.clone()));
        Arc::new(match &self.server {
            Server::Embedded { shared } => {
                let fake = shared.clone().unwrap_or_default();
                // A fresh fake knows no token: the scenario logs in to it itself.
                CobblerBackend::new(
                    layered(Arc::new(fake.clone())),
                    Credentials::new("cobbler", "cobbler"),
                    SharedLogin::new(),
                    Some(fake),
                )
            }
            Server::Remote {
                transport,
                credentials,
                login,
            } => CobblerBackend::new(
                layered(Arc::new(transport.clone())),
                credentials.clone(),
                login.clone(),
                None,
            ),
        })
    }

    fn placeholders(&self) -> Vec<(String, String)> {
        vec![("{boot}".to_owned(), self.boot_dir.clone())]
    }

    fn close(&self) {
        drop(self.boot_files.lock().map(|mut files| files.take()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interface_paths_become_interface_specs_in_order() {
        let (plain, interfaces) = split_interfaces(&[
            ("hostname".into(), "h".into()),
            ("interfaces.eth0.mac_address".into(), "m0".into()),
            ("interfaces.eth1.ip_address".into(), "i1".into()),
            ("interfaces.eth0.ip_address".into(), "i0".into()),
        ])
        .unwrap();
        assert_eq!(plain, vec![("hostname".to_owned(), "h".to_owned())]);
        assert_eq!(
            interfaces,
            vec![
                InterfaceSpec::new(
                    "eth0",
                    vec![
                        ("mac_address".into(), "m0".into()),
                        ("ip_address".into(), "i0".into())
                    ]
                )
                .unwrap(),
                InterfaceSpec::new("eth1", vec![("ip_address".into(), "i1".into())]).unwrap(),
            ]
        );
        assert_eq!(
            split_interfaces(&[("interfaces.eth0.mac".into(), "x".into())])
                .unwrap_err()
                .to_string(),
            "unknown interface field \"mac\"; known interface fields: mac_address, ip_address, netmask, dns_name, if_gateway"
        );
    }
}
