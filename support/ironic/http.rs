//! [`Exchange`] over HTTP: one pooled reqwest client with connect and request timeouts.

use crate::calls::{breaker, in_flight};
use crate::http::{HttpOptions, describe};

use super::exchange::{Exchange, ExchangeError, RawRequest, RawResponse};

/// Requests to one Ironic API base URL (`http://127.0.0.1:6385`).
#[derive(Clone, Debug)]
pub struct HttpExchange {
    base: String,
    client: reqwest::Client,
    options: HttpOptions,
}

impl HttpExchange {
    /// An exchange with `base_url`; fails on a URL that is not http(s).
    pub fn new(base_url: &str, options: HttpOptions) -> Result<Self, String> {
        crate::http::api_url(base_url, "Ironic", "IRONIC_USER and IRONIC_PASSWORD")?;
        let client = crate::http::client(options)?;
        Ok(Self {
            base: base_url.trim_end_matches('/').to_owned(),
            client,
            options,
        })
    }
}

#[async_trait::async_trait]
impl Exchange for HttpExchange {
    async fn exchange(&self, request: RawRequest) -> Result<RawResponse, ExchangeError> {
        let url = format!("{}{}", self.base, request.path);
        let breaker = breaker::global();
        let unreachable = |detail: String| {
            breaker.transport_failed(&detail);
            ExchangeError::Unreachable {
                url: url.clone(),
                detail,
            }
        };
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).map_err(|e| {
            ExchangeError::Unreachable {
                url: url.clone(),
                detail: format!("invalid method {:?}: {e}", request.method),
            }
        })?;
        let _in_flight = in_flight::begin(format!("{method} {}", request.path), self.base.as_str());
        let mut builder = self
            .client
            .request(method, &url)
            .timeout(breaker.call_timeout(self.options.request_timeout));
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if !request.body.is_empty() {
            builder = builder.body(request.body);
        }
        let response = builder
            .send()
            .await
            .map_err(|e| unreachable(describe(&e)))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let body = response.bytes().await.map_err(|e| {
            unreachable(format!(
                "the response body could not be read: {}",
                describe(&e)
            ))
        })?;
        breaker.answered();
        Ok(RawResponse {
            status,
            headers,
            body: body.to_vec(),
        })
    }

    fn endpoint(&self) -> String {
        self.base.clone()
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    #[tokio::test]
    async fn a_server_that_never_answers_times_out_with_a_message_that_says_so() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        // Accepts connections and holds them open without ever answering.
        let silent = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                held.push(socket);
            }
        });
        let options = HttpOptions {
            connect_timeout: Duration::from_secs(1),
            request_timeout: Duration::from_millis(200),
        };
        let exchange = HttpExchange::new(&format!("http://{address}"), options).unwrap();
        let started = Instant::now();
        let error = exchange
            .exchange(RawRequest {
                method: "GET".into(),
                path: "/v1/nodes".into(),
                ..RawRequest::default()
            })
            .await
            .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5), "{error}");
        let ExchangeError::Unreachable { url, detail } = &error;
        assert_eq!(url, &format!("http://{address}/v1/nodes"));
        assert!(detail.ends_with("(timed out)"), "{error}");
        silent.abort();
    }

    #[test]
    fn urls_with_credentials_or_other_schemes_are_refused() {
        let options = HttpOptions::default();
        assert!(
            HttpExchange::new("ftp://127.0.0.1/", options)
                .unwrap_err()
                .contains("the scheme must be http or https")
        );
        let error = HttpExchange::new("http://admin:secret@127.0.0.1:6385", options).unwrap_err();
        assert!(error.contains("IRONIC_USER"), "{error}");
        assert!(!error.contains("secret"), "{error}");
    }
}
