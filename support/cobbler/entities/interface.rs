//! One network interface of a system, as the columns of a feature's table.

use std::collections::BTreeMap;

use crate::cobbler::error::Error;
use crate::cobbler::protocol::Value;

/// Interface fields provspec sets, and the key prefix `modify_interface` takes for each.
pub const INTERFACE_FIELDS: [(&str, &str); 5] = [
    ("mac_address", "macaddress"),
    ("ip_address", "ipaddress"),
    ("netmask", "netmask"),
    ("dns_name", "dns_name"),
    ("if_gateway", "if_gateway"),
];

/// The fields to set on one interface (`eth0`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InterfaceSpec {
    /// The interface name, e.g. `eth0`.
    pub name: String,
    /// (field, value) pairs; fields from [`INTERFACE_FIELDS`].
    pub fields: Vec<(String, String)>,
}

impl InterfaceSpec {
    /// An interface with fields to set; unknown fields are an error listing the known ones.
    pub fn new(name: impl Into<String>, fields: Vec<(String, String)>) -> Result<Self, Error> {
        for (field, _) in &fields {
            if !INTERFACE_FIELDS.iter().any(|(f, _)| f == field) {
                return Err(Error::UnknownInterfaceField {
                    field: field.clone(),
                    known: INTERFACE_FIELDS.map(|(f, _)| f).join(", "),
                });
            }
        }
        Ok(Self {
            name: name.into(),
            fields,
        })
    }

    /// The `modify_interface` argument for several interfaces:
    /// `{"macaddress-eth0": "…", "ipaddress-eth0": "…"}`.
    pub fn to_modify_interface(interfaces: &[InterfaceSpec]) -> Value {
        let mut members = BTreeMap::new();
        for iface in interfaces {
            for (field, value) in &iface.fields {
                let prefix = INTERFACE_FIELDS
                    .iter()
                    .find(|(f, _)| f == field)
                    .map_or(field.as_str(), |(_, p)| p);
                members.insert(
                    format!("{prefix}-{}", iface.name),
                    Value::String(value.clone()),
                );
            }
        }
        Value::Struct(members)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_lists_the_known_ones() {
        let err = InterfaceSpec::new("eth0", vec![("mac".into(), "x".into())]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown interface field \"mac\"; known interface fields: mac_address, ip_address, netmask, dns_name, if_gateway"
        );
    }

    #[test]
    fn keys_are_cobblers() {
        let spec = InterfaceSpec::new(
            "eth1",
            vec![("mac_address".into(), "52:54:00:00:00:01".into())],
        )
        .unwrap();
        let value = InterfaceSpec::to_modify_interface(&[spec]);
        assert_eq!(
            value,
            Value::Struct(BTreeMap::from([(
                "macaddress-eth1".to_owned(),
                Value::String("52:54:00:00:00:01".into())
            )]))
        );
    }
}
