use crate::calls::{breaker, in_flight};
use crate::http::{HttpOptions, describe};

use dxr::{FaultResponse, MethodCall, MethodResponse};

use super::{CallError, Fault, Transport, Value};

/// Why the transport refuses a 200 reply it cannot parse.
pub(super) const NOT_XML_RPC: &str = "neither a methodResponse nor a fault";

/// How many characters of an unexpected body an error shows.
const BODY_START_CHARS: usize = 200;

/// XML-RPC over HTTP(S) with one pooled reqwest client; dxr encodes and decodes the XML.
///
/// dxr's own client is not used because it hides the HTTP status and the body of a response it
/// cannot parse, and errors here must show both.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    url: reqwest::Url,
    client: reqwest::Client,
    options: HttpOptions,
}

impl HttpTransport {
    /// A transport to `url` (e.g. `http://127.0.0.1:25151/`). Fails on a URL that is not http(s).
    pub fn new(url: &str, options: HttpOptions) -> Result<Self, String> {
        let parsed = crate::http::api_url(url, "Cobbler", "COBBLER_USER and COBBLER_PASSWORD")?;
        let client = crate::http::client(options)?;
        Ok(Self {
            url: parsed,
            client,
            options,
        })
    }
}

#[async_trait::async_trait]
impl Transport for HttpTransport {
    async fn call(&self, method: &str, args: Vec<Value>) -> Result<Value, CallError> {
        let url = self.url.to_string();
        let call = MethodCall {
            name: method.into(),
            params: args,
        };
        let xml = call.to_xml().map_err(|e| CallError::Encode {
            method: method.to_owned(),
            detail: e.to_string(),
        })?;
        let body = format!("<?xml version=\"1.0\"?>\n{xml}");
        let breaker = breaker::global();
        let unreachable = |detail: String| {
            breaker.transport_failed(&detail);
            CallError::Unreachable {
                method: method.to_owned(),
                url: url.clone(),
                detail,
            }
        };
        let _in_flight = in_flight::begin(method, url.as_str());
        let response = self
            .client
            .post(self.url.clone())
            .timeout(breaker.call_timeout(self.options.request_timeout))
            .header(reqwest::header::CONTENT_TYPE, "text/xml")
            .body(body)
            .send()
            .await
            .map_err(|e| unreachable(describe(&e)))?;
        let status = response.status();
        let text = response.text().await.map_err(|e| {
            unreachable(format!(
                "the response body could not be read: {}",
                describe(&e)
            ))
        })?;
        breaker.answered();
        if !status.is_success() {
            return Err(CallError::HttpStatus {
                method: method.to_owned(),
                url,
                status: status.as_u16(),
                body_start: body_start(&text),
            });
        }
        // A fault is a `<fault>` element (in a string it would be escaped): only then is it
        // worth reading the body as one, instead of parsing every answer twice.
        if text.contains("<fault>")
            && let Ok(fault) = FaultResponse::from_xml(&text)
        {
            return Err(CallError::Fault {
                method: method.to_owned(),
                fault: Fault::from(fault.fault),
            });
        }
        if let Some(value) = super::quick_read::method_response(&text) {
            return Ok(value);
        }
        match MethodResponse::from_xml(&text) {
            Ok(response) => Ok(response.value),
            Err(_) => Err(CallError::Malformed {
                method: method.to_owned(),
                url,
                detail: NOT_XML_RPC.to_owned(),
                body_start: body_start(&text),
            }),
        }
    }

    fn endpoint(&self) -> String {
        self.url.to_string()
    }
}

/// The first [`BODY_START_CHARS`] characters of `body`, as errors show it.
pub(crate) fn body_start(body: &str) -> String {
    body.chars().take(BODY_START_CHARS).collect()
}
