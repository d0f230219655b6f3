//! `get_item_resolved_value(item_uuid, attribute)`: one field of the item with that uid, its
//! inheritance resolved, as cobblerd's property getter reads it (`api.get_item_resolved_value`
//! and the conversions of `remote.get_item_resolved_value`).

use super::args::Args;
use super::blender::{merged_orders, resolved_field};
use super::python::exception;
use super::state::State;
use super::store::{Store, field};
use super::uid::is_uuid4_hex;
use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Fault, Value};

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
