//! `http_basic` authentication as Ironic's middleware answers it (errors in the
//! `{"error":{"message","code"}}` shape).

use base64::Engine as _;

use super::errors::ApiError;

/// Checks the `Authorization` header against `users`.
pub fn check(users: &[(String, String)], authorization: Option<&str>) -> Result<(), ApiError> {
    let Some(header) = authorization else {
        return Err(ApiError::basic(401, "Authorization required"));
    };
    let header = header.trim();
    let (kind, token) = header.split_once(' ').unwrap_or((header, ""));
    if !kind.eq_ignore_ascii_case("basic") {
        return Err(ApiError::basic(
            400,
            &format!("Unsupported authorization type \"{kind}\""),
        ));
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(token.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let Some((user, password)) = decoded.as_deref().and_then(|d| d.split_once(':')) else {
        return Err(ApiError::basic(400, "Could not decode authorization token"));
    };
    if users.iter().any(|(u, p)| u == user && p == password) {
        Ok(())
    } else {
        Err(ApiError::basic(401, "Incorrect username or password"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users() -> Vec<(String, String)> {
        vec![("admin".to_owned(), "secret".to_owned())]
    }

    #[test]
    fn basic_auth_answers() {
        assert_eq!(check(&users(), Some("Basic YWRtaW46c2VjcmV0")), Ok(()));
        let e = check(&users(), None).unwrap_err();
        assert_eq!(e.status, 401);
        assert_eq!(
            e.body,
            r#"{"error":{"message":"Authorization required","code":401}}"#
        );
        let e = check(&users(), Some("Basic YWRtaW46d3Jvbmc=")).unwrap_err();
        assert_eq!(
            e.body,
            r#"{"error":{"message":"Incorrect username or password","code":401}}"#
        );
        let e = check(&users(), Some("Basic !!!")).unwrap_err();
        assert_eq!(e.status, 400);
        assert_eq!(
            e.body,
            r#"{"error":{"message":"Could not decode authorization token","code":400}}"#
        );
        let e = check(&users(), Some("Bearer abc")).unwrap_err();
        assert_eq!(
            e.body,
            r#"{"error":{"message":"Unsupported authorization type \"Bearer\"","code":400}}"#
        );
    }
}
