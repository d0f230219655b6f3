//! Connecting a run to an Ironic: the up-front check (the API answers, the microversion is
//! agreed, the credentials work), and the [`Connector`] that opens a backend per scenario.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::backend::IronicBackend;
use super::catalogue::CATALOGUE;
use super::fake::FakeIronic;
use super::http::HttpExchange;
use super::rest::{BasicAuth, MICROVERSION, RestClient};
use crate::backend::{Backend, Catalogue, Connector};
use crate::calls::layer::CallLayer;
use crate::http::HttpOptions;

/// A run's Ironic: the embedded fake (a fresh one per scenario), or an Ironic API over HTTP
/// (a real Ironic, or fake-ironic) through one REST client.
#[derive(Debug, Default)]
pub struct IronicConnector {
    remote: Option<RestClient>,
}

impl IronicConnector {
    /// The embedded fake.
    pub fn embedded() -> Self {
        Self::default()
    }
}

impl Connector for IronicConnector {
    fn name(&self) -> &'static str {
        if self.remote.is_some() {
            "ironic"
        } else {
            "fake-ironic"
        }
    }

    fn catalogue(&self) -> &'static Catalogue {
        &CATALOGUE
    }

    fn is_embedded_fake(&self) -> bool {
        self.remote.is_none()
    }

    fn endpoint(&self) -> String {
        match &self.remote {
            Some(rest) => rest.endpoint(),
            None => super::fake::ENDPOINT.to_owned(),
        }
    }

    fn open_with(&self, layer: CallLayer) -> Arc<dyn Backend> {
        let rest = self.remote.clone().unwrap_or_else(|| {
            RestClient::new(Arc::new(FakeIronic::default()), MICROVERSION, None)
        });
        Arc::new(IronicBackend::new(rest.layered(layer)))
    }
}

/// The microversion to speak: provspec's own, or the server's maximum if that is lower.
fn agree_microversion(root: &Value) -> Result<String, String> {
    let max = root
        .pointer("/default_version/version")
        .and_then(Value::as_str)
        .ok_or("its root document names no default_version.version")?;
    let minor = |v: &str| v.strip_prefix("1.").and_then(|m| m.parse::<u32>().ok());
    match (minor(max), minor(MICROVERSION)) {
        (Some(server), Some(ours)) if server >= ours => Ok(MICROVERSION.to_owned()),
        (Some(server), Some(_)) if server >= 88 => Ok(max.to_owned()),
        (Some(_), Some(_)) => Err(format!(
            "it offers API versions up to {max}; provspec needs 1.88 or later (named ports)"
        )),
        _ => Err(format!(
            "its maximum API version {max:?} is not of the form 1.N"
        )),
    }
}

/// A connector to `url`, with `options`' timeouts, that answered, agreed a microversion and
/// accepted `auth`, all within `budget`: otherwise one clear message.
pub async fn connect(
    url: &str,
    auth: Option<BasicAuth>,
    budget: Duration,
    options: HttpOptions,
) -> Result<IronicConnector, String> {
    let options = HttpOptions {
        connect_timeout: budget.min(options.connect_timeout),
        ..options
    };
    let exchange = Arc::new(HttpExchange::new(url, options)?);
    let check = async {
        let probe = RestClient::new(exchange.clone(), MICROVERSION, None);
        let root = probe.get("/").await.map_err(|e| {
            format!("the Ironic at {url} does not answer (check IRONIC_URL / --ironic-url): {e}")
        })?;
        let microversion = agree_microversion(&root.body)
            .map_err(|e| format!("the server at {url} is not an Ironic provspec can drive: {e}"))?;
        let rest = RestClient::new(exchange.clone(), &microversion, auth);
        IronicBackend::new(rest.clone())
            .log_in()
            .await
            .map_err(|e| format!("{e} (check IRONIC_USER / IRONIC_PASSWORD)"))?;
        Ok::<_, String>(IronicConnector { remote: Some(rest) })
    };
    match tokio::time::timeout(budget, check).await {
        Ok(result) => result,
        Err(_) => Err(format!(
            "the Ironic at {url} did not answer within {budget:?} (check IRONIC_URL / --ironic-url)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_microversion_is_ours_or_the_servers_lower_maximum() {
        let root = |v: &str| json!({"default_version": {"version": v, "min_version": "1.1"}});
        assert_eq!(agree_microversion(&root("1.115")).unwrap(), "1.115");
        assert_eq!(agree_microversion(&root("1.200")).unwrap(), "1.115");
        assert_eq!(agree_microversion(&root("1.95")).unwrap(), "1.95");
        assert!(
            agree_microversion(&root("1.50"))
                .unwrap_err()
                .contains("1.88")
        );
        assert!(agree_microversion(&json!({})).is_err());
    }
}
