//! Microversion negotiation (`X-OpenStack-Ironic-API-Version`).

use super::errors::ApiError;

/// The lowest supported microversion (1.1).
pub const MIN: u32 = 1;
/// The highest supported microversion (1.115).
pub const MAX: u32 = 115;
/// The request header naming the microversion.
pub const HEADER: &str = "X-OpenStack-Ironic-API-Version";

/// The outcome of reading the version header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Negotiated {
    /// A supported minor version (1.N).
    Minor(u32),
    /// Out of range: answered 406 with the range headers but no version header.
    OutOfRange,
    /// Unparsable: answered 406 with no version headers at all.
    Invalid,
}

/// Reads the header value (`None` when absent: 1.1). The root document (`at_root`) answers a
/// refused version with a client fault; every other path with a routing error (the same
/// text as its `description`).
pub fn negotiate(header: Option<&str>, at_root: bool) -> Result<u32, (Negotiated, ApiError)> {
    let refuse = |text: &str| {
        if at_root {
            ApiError::client(406, text)
        } else {
            ApiError::routing(406, text)
        }
    };
    let Some(raw) = header else {
        return Ok(MIN);
    };
    let value = raw.trim();
    if value.eq_ignore_ascii_case("latest") {
        return Ok(MAX);
    }
    let invalid = || {
        (
            Negotiated::Invalid,
            refuse("Invalid value for X-OpenStack-Ironic-API-Version header"),
        )
    };
    let (major, minor) = value.split_once('.').ok_or_else(invalid)?;
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(major) || !digits(minor) {
        return Err(invalid());
    }
    let (Ok(major), Ok(minor)) = (major.parse::<u64>(), minor.parse::<u64>()) else {
        return Err(invalid());
    };
    if major != 1 || minor < u64::from(MIN) || minor > u64::from(MAX) {
        let description = if major != 1 {
            format!(
                "Mutually exclusive versions requested. Version {major}.{minor} requested but not supported by this service. The supported version range is: [1.{MIN}, 1.{MAX}]."
            )
        } else {
            format!(
                "Version {major}.{minor} was requested but the minor version is not supported by this service. The supported version range is: [1.{MIN}, 1.{MAX}]."
            )
        };
        return Err((Negotiated::OutOfRange, refuse(&description)));
    }
    Ok(minor as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation() {
        assert_eq!(negotiate(None, false), Ok(1));
        assert_eq!(negotiate(Some("latest"), false), Ok(115));
        assert_eq!(negotiate(Some("1.38"), false), Ok(38));
        let (kind, e) = negotiate(Some("1.999"), false).unwrap_err();
        assert_eq!(kind, Negotiated::OutOfRange);
        assert_eq!(
            e.body,
            r#"{"error_message": "{\"code\": 406, \"title\": \"Not Acceptable\", \"description\": \"Version 1.999 was requested but the minor version is not supported by this service. The supported version range is: [1.1, 1.115].\"}"}"#
        );
        let (_, e) = negotiate(Some("1.0"), false).unwrap_err();
        assert!(
            e.body
                .contains("Version 1.0 was requested but the minor version")
        );
        let (kind, e) = negotiate(Some("abc"), false).unwrap_err();
        assert_eq!(kind, Negotiated::Invalid);
        assert_eq!(
            e.body,
            r#"{"error_message": "{\"code\": 406, \"title\": \"Not Acceptable\", \"description\": \"Invalid value for X-OpenStack-Ironic-API-Version header\"}"}"#
        );
        let (_, e) = negotiate(Some("2.1"), true).unwrap_err();
        assert_eq!(
            e.body,
            r#"{"error_message": "{\"faultcode\": \"Client\", \"faultstring\": \"Mutually exclusive versions requested. Version 2.1 requested but not supported by this service. The supported version range is: [1.1, 1.115].\", \"debuginfo\": null}"}"#
        );
    }
}
