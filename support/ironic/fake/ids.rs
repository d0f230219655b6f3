//! Uuids, names and timestamps as Ironic writes and checks them.

use std::time::{SystemTime, UNIX_EPOCH};

/// A random uuid4, lower case with hyphens.
pub fn uuid4() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// oslo's `is_uuid_like`: 32 hex digits once hyphens, braces and `urn:uuid:` are dropped.
pub fn is_uuid_like(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let t = lower.strip_prefix("urn:uuid:").unwrap_or(&lower);
    let t = t
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(t);
    let hex: String = t.chars().filter(|c| *c != '-').collect();
    hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()) && canonical_hyphens(t)
}

fn canonical_hyphens(t: &str) -> bool {
    // uuid.UUID accepts hyphens anywhere; only the hex content matters.
    !t.starts_with('-') || t.len() > 1
}

/// Ironic's logical name rule (API 1.10 and later): RFC 3986 unreserved characters only,
/// at most 255 of them, and not uuid-like.
pub fn is_valid_logical_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 255
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~'))
        && !is_uuid_like(s)
}

/// Ironic's MAC rule: six octets separated by `:`, any case (also 20-octet InfiniBand GIDs).
pub fn is_valid_mac(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    (parts.len() == 6 || parts.len() == 20)
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A wall-clock instant as `2026-11-22T22:20:33.368253+00:00`.
pub fn timestamp(t: SystemTime) -> String {
    format!("{}+00:00", naive_timestamp(t))
}

/// A wall-clock instant without zone (`2026-11-22T22:21:03.070248`), as Ironic writes in
/// `driver_internal_info`.
pub fn naive_timestamp(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let micros = d.subsec_micros();
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, dd) = civil_from_days(days);
    let base = format!(
        "{y:04}-{m:02}-{dd:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    );
    // Python's isoformat() drops the fraction when it is zero.
    if micros == 0 {
        base
    } else {
        format!("{base}.{micros:06}")
    }
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The uuid a create body gives (lower case), checked; a new one when it gives none.
pub fn given_or_new_uuid(body: &super::json::Json) -> Result<String, super::errors::ApiError> {
    match body.get("uuid").and_then(super::json::Json::as_str) {
        Some(u) if is_uuid_like(u) => Ok(u.to_ascii_lowercase()),
        Some(u) => Err(super::errors::ApiError::client(
            400,
            format!("Expected UUID for uuid: {u}"),
        )),
        None => Ok(uuid4()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn names_and_uuids() {
        assert!(is_valid_logical_name("fakeprobe_u.d~t-UP"));
        assert!(!is_valid_logical_name("bad name with spaces"));
        assert!(!is_valid_logical_name("fakeprobe-\u{fc}"));
        assert!(!is_valid_logical_name(""));
        assert!(!is_valid_logical_name("a/b"));
        assert!(!is_valid_logical_name(&"x".repeat(256)));
        assert!(!is_valid_logical_name(
            "12345678-1234-1234-1234-123456789abc"
        ));
        assert!(is_uuid_like("11111111-2222-3333-4444-555555555555"));
        assert!(!is_uuid_like("node-1"));
        let u = uuid4();
        assert!(is_uuid_like(&u) && u.len() == 36 && &u[14..15] == "4");
        assert!(is_valid_mac("52:54:00:AB:cd:ef"));
        assert!(!is_valid_mac("52-54-00-99-99-05"));
        assert!(!is_valid_mac("not-a-mac"));
    }

    #[test]
    fn timestamps() {
        let t = UNIX_EPOCH + Duration::from_micros(1_795_386_033_368_253);
        assert_eq!(timestamp(t), "2026-11-22T22:20:33.368253+00:00");
        assert_eq!(naive_timestamp(UNIX_EPOCH), "1970-01-01T00:00:00");
    }
}
