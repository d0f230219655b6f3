//! `get_item_resolved_value(item_uuid, attribute)`: one field of the item with that uid, its
//! inheritance resolved, as cobblerd's property getter reads it (`api.get_item_resolved_value`
//! and the conversions of `remote.get_item_resolved_value`).

use super::args::Args;
use super::blender::{merged_orders, resolved_field};
use super::python::exception;
use super::state::State;
use super::store::{Store, field};
use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Fault, Value};

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

impl State {
    /// `get_item_resolved_value(item_uuid, attribute)`.
    pub fn item_resolved_value(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["item_uuid", "attribute"], 2)?;
        let Some(Value::String(uid)) = args.get(0) else {
            return Err(exception("TypeError", "item_uuid must be of type str!"));
        };
        if !is_uuid4_hex(uid) {
            return Err(exception(
                "ValueError",
                "The given uuid did not have the correct format!",
            ));
        }
        let Some(Value::String(attribute)) = args.get(1) else {
            return Err(exception("TypeError", "attribute must be of type str!"));
        };
        let Some((kind, name)) = item_with_uid(&self.store, uid) else {
            return Err(exception(
                "ValueError",
                format!("Item with item_uuid \"{uid}\" did not exist!"),
            ));
        };
        for order in merged_orders(&self.store, kind, &name) {
            self.store.remember_order(order);
        }
        match resolved_field(&self.store, kind, &name, attribute) {
            None => Err(exception(
                "AttributeError",
                format!(
                    "Attribute \"{attribute}\" did not exist on item type \"{}\".",
                    kind.name()
                ),
            )),
            Some(Value::Nil) => Err(exception(
                "ValueError",
                format!(
                    "None is not a valid value for the resolved attribute \"{attribute}\". Please fix the item(s) starting at uuid \"{uid}\""
                ),
            )),
            Some(value) => Ok(value),
        }
    }
}

/// The kind and name of the saved item whose uid is `uid`.
pub fn item_with_uid(store: &Store, uid: &str) -> Option<(Kind, String)> {
    Kind::ALL.into_iter().find_map(|kind| {
        store
            .items(kind)
            .find(|(_, item)| field(item, "uid") == uid)
            .map(|(name, _)| (kind, name.to_owned()))
    })
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
