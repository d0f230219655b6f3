//! Ironic 39's `JsonDepthMiddleware` (`ironic/api/middleware/json_depth.py`): before anything
//! parses it, a body sent with a JSON content type is refused when it is larger than
//! `[api]max_json_body_size` (413) or nested deeper than `[api]max_json_body_depth` (400),
//! with a flat `{"faultcode": ..., "faultstring": ...}` body and no microversion headers.
//! It runs after authentication, on public routes too, whatever the method.

use super::errors::ApiError;
use super::json::{Json, obj};
use crate::ironic::exchange::RawRequest;

/// `[api]max_json_body_depth` (default 25).
pub const MAX_DEPTH: usize = 25;

/// `[api]max_json_body_size` (default 1024 KiB).
pub const MAX_BODY: usize = 1024 * 1024;

/// `[api]max_json_body_size_provision` for `…/states/provision` (default 64 MiB).
pub const MAX_PROVISION_BODY: usize = 64 * 1024 * 1024;

/// `[api]max_json_body_size_inspection` for `…/continue_inspection` (default 16 MiB).
pub const MAX_INSPECTION_BODY: usize = 16 * 1024 * 1024;

/// Refuses a JSON body that is too large or too deep, as the real middleware does.
pub fn check(request: &RawRequest) -> Result<(), ApiError> {
    let json = request
        .header("Content-Type")
        .is_some_and(|t| t.contains("json"));
    if !json || request.body.is_empty() {
        return Ok(());
    }
    let path = request.path.split(['?', '#']).next().unwrap_or("");
    if request.body.len() > size_limit(path) {
        return Err(too_large());
    }
    if !depth_within(&request.body, MAX_DEPTH) {
        return Err(flat(
            400,
            "Request body JSON is nested too deeply. Please contact the service administrator.",
        ));
    }
    Ok(())
}

/// 413 for a body over the size limit.
pub fn too_large() -> ApiError {
    flat(
        413,
        "Request body is too large. Please contact the service administrator.",
    )
}

fn flat(status: u16, faultstring: &str) -> ApiError {
    let body = obj(vec![
        ("faultcode", Json::str("Client")),
        ("faultstring", Json::str(faultstring)),
    ]);
    ApiError {
        status,
        body: body.dumps(),
        headers: Vec::new(),
        bare: true,
    }
}

fn size_limit(path: &str) -> usize {
    let path = path.trim_matches('/');
    if path.ends_with("states/provision") {
        MAX_PROVISION_BODY
    } else if path.ends_with("continue_inspection") {
        MAX_INSPECTION_BODY
    } else {
        MAX_BODY
    }
}

/// The middleware's `check_depth`: brackets and braces outside strings, counted byte by byte.
fn depth_within(raw: &[u8], max: usize) -> bool {
    let (mut depth, mut in_string, mut escape) = (0usize, false, false);
    for &byte in raw {
        if escape {
            escape = false;
        } else if in_string {
            match byte {
                b'\\' => escape = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match byte {
                b'"' => in_string = true,
                b'{' | b'[' => {
                    depth += 1;
                    if depth > max {
                        return false;
                    }
                }
                b'}' | b']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str, content_type: &str, body: &str) -> RawRequest {
        RawRequest {
            method: "POST".into(),
            path: path.into(),
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    fn nested(depth: usize) -> String {
        format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn deep_json_bodies_get_the_flat_400() {
        assert!(check(&request("/v1/nodes", "application/json", &nested(25))).is_ok());
        let e = check(&request("/v1/nodes", "application/json", &nested(26))).unwrap_err();
        assert_eq!(e.status, 400);
        assert_eq!(
            e.body,
            r#"{"faultcode": "Client", "faultstring": "Request body JSON is nested too deeply. Please contact the service administrator."}"#
        );
        assert!(e.bare);
        // Only a content type containing "json" (case-sensitive) is checked.
        for content_type in ["text/plain", "application/JSON"] {
            assert!(check(&request("/v1/nodes", content_type, &nested(26))).is_ok());
        }
        let in_string = format!("[\"{}\"]", "[".repeat(40));
        assert!(check(&request("/v1/nodes", "application/json", &in_string)).is_ok());
    }

    #[test]
    fn large_json_bodies_get_413_except_where_more_is_allowed() {
        let big = format!("\"{}\"", "a".repeat(MAX_BODY));
        let e = check(&request("/v1/nodes", "application/json", &big)).unwrap_err();
        assert_eq!(e.status, 413);
        assert_eq!(
            e.body,
            r#"{"faultcode": "Client", "faultstring": "Request body is too large. Please contact the service administrator."}"#
        );
        let provision = "/v1/nodes/n1/states/provision";
        assert!(check(&request(provision, "application/json", &big)).is_ok());
    }
}
