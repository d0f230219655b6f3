//! Items' uids: what cobblerd gives (`uuid.uuid4().hex`) and what its
//! `validate.validate_uuid` accepts.

/// True for the text of a version 4 UUID as `uuid.uuid4().hex` writes it (cobblerd's
/// `validate.validate_uuid`: `UUID(text, version=4).hex == text`).
pub fn is_uuid4_hex(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.len() == 32
        && bytes
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
        && bytes[12] == b'4'
        && matches!(bytes[16], b'8' | b'9' | b'a' | b'b')
}

/// A fresh uid of the shape cobblerd gives items (`uuid.uuid4().hex`).
pub fn new_uid() -> String {
    let random = rand::random::<u128>();
    let version = (random & !(0xf << 76)) | (0x4 << 76);
    let variant = (version & !(0x3 << 62)) | (0x2 << 62);
    format!("{variant:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_uids_are_version_4_uuids() {
        for _ in 0..100 {
            let uid = new_uid();
            assert!(is_uuid4_hex(&uid), "{uid}");
        }
    }

    #[test]
    fn other_hex_is_not_a_uuid4() {
        assert!(!is_uuid4_hex("0123456789abcdef0123456789abcdef"));
        assert!(!is_uuid4_hex("abc"));
        assert!(is_uuid4_hex("bab0564b0d714fa89292e717b063a822"));
        assert!(!is_uuid4_hex("BAB0564B0D714FA89292E717B063A822"));
    }
}
