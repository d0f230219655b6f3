//! A Redfish client for one system of a BMC: its power state, and resets. Certificates are
//! not checked when asked (`ssl_insecure`, loopback emulators with self-signed ones).

use std::time::Duration;

use serde_json::Value;

/// What can go wrong talking to a BMC.
#[derive(Debug, thiserror::Error)]
pub enum RedfishError {
    /// The request did not get an answer.
    #[error("the BMC at {url} did not answer: {reason}")]
    Unreachable {
        /// The URL asked.
        url: String,
        /// Why.
        reason: String,
    },
    /// The BMC refused the credentials.
    #[error("the BMC at {url} refused the credentials (HTTP 401)")]
    Unauthorized {
        /// The URL asked.
        url: String,
    },
    /// Another status than expected.
    #[error("the BMC at {url} answered HTTP {status}: {body}")]
    Status {
        /// The URL asked.
        url: String,
        /// The status.
        status: u16,
        /// The start of the body.
        body: String,
    },
    /// An answer without what was asked.
    #[error("the BMC at {url} answered without a {what}")]
    Answer {
        /// The URL asked.
        url: String,
        /// What was missing.
        what: &'static str,
    },
}

/// One BMC's Redfish API, with credentials.
#[derive(Clone)]
pub struct RedfishClient {
    base: String,
    user: String,
    password: String,
    client: reqwest::Client,
}

impl std::fmt::Debug for RedfishClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedfishClient")
            .field("base", &self.base)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl RedfishClient {
    /// The BMC at `base` (`https://127.0.0.1:8443`), checking its certificate unless
    /// `insecure`.
    pub fn new(base: &str, user: &str, password: &str, insecure: bool) -> Self {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(15))
            .tls_danger_accept_invalid_certs(insecure)
            .build()
            .unwrap_or_default();
        Self {
            base: base.trim_end_matches('/').to_owned(),
            user: user.to_owned(),
            password: password.to_owned(),
            client,
        }
    }

    async fn send(
        &self,
        request: reqwest::RequestBuilder,
        url: &str,
    ) -> Result<reqwest::Response, RedfishError> {
        let response = request
            .basic_auth(&self.user, Some(&self.password))
            .send()
            .await
            .map_err(|e| RedfishError::Unreachable {
                url: url.to_owned(),
                reason: crate::http::describe(&e),
            })?;
        match response.status().as_u16() {
            200..=299 => Ok(response),
            401 => Err(RedfishError::Unauthorized {
                url: url.to_owned(),
            }),
            status => {
                let body = response.text().await.unwrap_or_default();
                Err(RedfishError::Status {
                    url: url.to_owned(),
                    status,
                    body: body.chars().take(200).collect(),
                })
            }
        }
    }

    async fn get(&self, path: &str) -> Result<Value, RedfishError> {
        let url = format!("{}{path}", self.base);
        let response = self.send(self.client.get(&url), &url).await?;
        let body = response.text().await.unwrap_or_default();
        serde_json::from_str(&body).map_err(|_| RedfishError::Answer {
            url,
            what: "JSON body",
        })
    }

    /// The path of the last system of the collection (what fence_redfish acts on without a
    /// `systems_uri`).
    pub async fn last_system(&self) -> Result<String, RedfishError> {
        let path = "/redfish/v1/Systems";
        let collection = self.get(path).await?;
        collection["Members"]
            .as_array()
            .and_then(|members| members.last())
            .and_then(|m| m["@odata.id"].as_str())
            .map(str::to_owned)
            .ok_or(RedfishError::Answer {
                url: format!("{}{path}", self.base),
                what: "system in its collection",
            })
    }

    /// The system's `PowerState` (`On`, `Off`, …).
    pub async fn power_state(&self, system: &str) -> Result<String, RedfishError> {
        let value = self.get(system).await?;
        value["PowerState"]
            .as_str()
            .map(str::to_owned)
            .ok_or(RedfishError::Answer {
                url: format!("{}{system}", self.base),
                what: "PowerState",
            })
    }

    /// `ComputerSystem.Reset` with `reset_type` (`On`, `ForceOff`, `ForceRestart`, …).
    pub async fn reset(&self, system: &str, reset_type: &str) -> Result<(), RedfishError> {
        let url = format!(
            "{}{}/Actions/ComputerSystem.Reset",
            self.base,
            system.trim_end_matches('/')
        );
        self.send(
            self.client
                .post(&url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(serde_json::json!({ "ResetType": reset_type }).to_string()),
            &url,
        )
        .await
        .map(|_| ())
    }
}
