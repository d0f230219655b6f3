//! The three error body shapes of Ironic 39, byte for byte:
//! - a fault: `{"error_message": "{\"faultcode\": \"Client\", \"faultstring\": ..., \"debuginfo\": null}"}`
//!   (a JSON string inside JSON);
//! - a routing or version error: `{"error_message": "{\"code\": 404, \"title\": \"Not Found\", \"description\": \"\"}"}`;
//! - an http_basic error: `{"error":{"message":"...","code":401}}` (compact, not double-encoded).

use super::json::{Json, obj};

/// An error answer: its status and its body.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The exact body bytes.
    pub body: String,
    /// Extra headers (`WWW-Authenticate`, `Allow`).
    pub headers: Vec<(String, String)>,
    /// Raised by the router before version handling: no microversion headers.
    pub bare: bool,
}

impl ApiError {
    /// A client fault (`faultcode: Client`) with `faultstring`.
    pub fn client(status: u16, faultstring: impl Into<String>) -> ApiError {
        ApiError::fault(status, "Client", faultstring.into())
    }

    /// The error body a server answers `status` with when it has nothing more to say: a
    /// server fault for a 5xx, a client fault otherwise, the status's reason as faultstring.
    pub fn for_status(status: u16) -> ApiError {
        let reason = crate::http::reason_phrase(status);
        let mut error = if status >= 500 {
            ApiError::server(reason)
        } else {
            ApiError::client(status, reason)
        };
        error.status = status;
        error
    }

    /// A server fault (`faultcode: Server`, status 500) with `faultstring`.
    pub fn server(faultstring: impl Into<String>) -> ApiError {
        ApiError::fault(500, "Server", faultstring.into())
    }

    fn fault(status: u16, code: &str, faultstring: String) -> ApiError {
        let inner = obj(vec![
            ("faultcode", Json::str(code)),
            ("faultstring", Json::Str(faultstring)),
            ("debuginfo", Json::Null),
        ]);
        ApiError::wrapped(status, inner)
    }

    /// A routing or version error (`code`, `title`, `description`).
    pub fn routing(status: u16, description: &str) -> ApiError {
        let title = match status {
            400 => "Bad Request",
            404 => "Not Found",
            405 => "Method Not Allowed",
            406 => "Not Acceptable",
            _ => "Error",
        };
        let inner = obj(vec![
            ("code", Json::Int(status.into())),
            ("title", Json::str(title)),
            ("description", Json::str(description)),
        ]);
        let mut e = ApiError::wrapped(status, inner);
        e.bare = true;
        e
    }

    /// 405 with the `Allow` header the real router sends.
    pub fn not_allowed(allow: &str) -> ApiError {
        let mut e = ApiError::routing(405, "");
        e.headers.push(("Allow".to_owned(), allow.to_owned()));
        e
    }

    fn wrapped(status: u16, inner: Json) -> ApiError {
        let body = obj(vec![("error_message", Json::Str(inner.dumps()))]).dumps();
        ApiError {
            status,
            body,
            headers: Vec::new(),
            bare: false,
        }
    }

    /// An http_basic error (`{"error":{"message":...,"code":...}}`); a 401 carries
    /// `WWW-Authenticate: Basic realm="Baremetal API"`.
    pub fn basic(status: u16, message: &str) -> ApiError {
        let body = format!(
            "{{\"error\":{{\"message\":{},\"code\":{status}}}}}",
            Json::str(message).dumps()
        );
        let headers = if status == 401 {
            vec![(
                "WWW-Authenticate".to_owned(),
                "Basic realm=\"Baremetal API\"".to_owned(),
            )]
        } else {
            Vec::new()
        };
        ApiError {
            status,
            body,
            headers,
            bare: true,
        }
    }

    /// 404 `<Kind> <ident> could not be found.`
    pub fn not_found(kind: &str, ident: &str) -> ApiError {
        ApiError::client(404, format!("{kind} {ident} could not be found."))
    }

    /// What the fake cannot copy: a server fault (501) naming it, so a feature or a probe
    /// meeting it fails loudly. Each use is listed in the README's table of differences.
    pub fn not_faked(what: &str) -> ApiError {
        ApiError::fault(
            501,
            "Server",
            format!(
                "provspec's fake Ironic does not implement {what}; see the README's table of differences"
            ),
        )
    }

    /// 400 `Unexpected arguments: a, b`.
    pub fn unexpected(args: &[String]) -> ApiError {
        ApiError::client(400, format!("Unexpected arguments: {}", args.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ironic::fake::json::parse;

    #[test]
    fn fault_is_json_in_json() {
        let e = ApiError::client(404, "Node nope could not be found.");
        assert_eq!(
            e.body,
            r#"{"error_message": "{\"faultcode\": \"Client\", \"faultstring\": \"Node nope could not be found.\", \"debuginfo\": null}"}"#
        );
        let outer = parse(&e.body).unwrap();
        let inner = parse(outer.get("error_message").unwrap().as_str().unwrap()).unwrap();
        assert_eq!(
            inner.get("faultstring").unwrap().as_str(),
            Some("Node nope could not be found.")
        );
    }

    #[test]
    fn quotes_are_escaped_twice() {
        let e = ApiError::client(400, "The requested action \"x\" can not be performed");
        assert_eq!(
            e.body,
            r#"{"error_message": "{\"faultcode\": \"Client\", \"faultstring\": \"The requested action \\\"x\\\" can not be performed\", \"debuginfo\": null}"}"#
        );
    }

    #[test]
    fn routing_and_basic_shapes() {
        assert_eq!(
            ApiError::routing(405, "").body,
            r#"{"error_message": "{\"code\": 405, \"title\": \"Method Not Allowed\", \"description\": \"\"}"}"#
        );
        let b = ApiError::basic(400, "Unsupported authorization type \"Bearer\"");
        assert_eq!(
            b.body,
            r#"{"error":{"message":"Unsupported authorization type \"Bearer\"","code":400}}"#
        );
        let u = ApiError::basic(401, "Authorization required");
        assert_eq!(u.headers[0].1, "Basic realm=\"Baremetal API\"");
    }
}
