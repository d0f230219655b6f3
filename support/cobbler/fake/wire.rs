//! The fake's answers written as XML-RPC the way cobblerd writes them: an item's fields in the
//! real server's order (`parent`, `depth`, `ctime`, … as its `to_dict()` builds them), not in
//! the sorted order of dxr's `BTreeMap`. Python clients (the stock `cobbler` command line,
//! `xmlrpc.client`) keep that order, so a fake that sorted them would read differently.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::OnceLock;

use super::recorded;
use crate::cobbler::protocol::{Fault, Value};

/// The recorded key orders, shortest first: the shortest that holds every key of a struct is
/// its kind's.
fn orders() -> &'static Vec<&'static Vec<String>> {
    static ORDERS: OnceLock<Vec<&'static Vec<String>>> = OnceLock::new();
    ORDERS.get_or_init(|| {
        let mut lists: Vec<&'static Vec<String>> = recorded::key_orders().collect();
        lists.sort_by_key(|list| list.len());
        lists
    })
}

/// The order given for dicts with some set of keys (sorted) → that order.
pub type DictOrders = HashMap<Vec<String>, Vec<String>>;

/// The keys of `members` in the order the real server sends them: a kind's recorded order when
/// one holds every key, the order they were given in for a dict the fake parsed from text,
/// otherwise as they are (sorted).
fn ordered_keys<'m>(members: &'m BTreeMap<String, Value>, given: &DictOrders) -> Vec<&'m String> {
    let sorted: Vec<String> = members.keys().cloned().collect();
    let known = orders()
        .iter()
        .find(|order| members.keys().all(|k| order.iter().any(|o| o == k)))
        .copied()
        .or_else(|| given.get(&sorted));
    match known {
        Some(order) => order
            .iter()
            .filter_map(|k| members.get_key_value(k).map(|(k, _)| k))
            .collect(),
        None => members.keys().collect(),
    }
}

/// A `methodResponse` carrying `value` (dicts with keys in `given` keep that order).
pub fn response(value: &Value, given: &DictOrders) -> String {
    let mut out = String::from("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n");
    write_value(&mut out, value, given);
    out.push_str("\n</param>\n</params>\n</methodResponse>\n");
    out
}

/// A `methodResponse` carrying `fault`, as Python's `xmlrpc.client.dumps(Fault)` writes it.
pub fn fault_response(fault: &Fault) -> String {
    let mut members = BTreeMap::new();
    members.insert("faultCode".to_owned(), Value::Integer(fault.code));
    members.insert(
        "faultString".to_owned(),
        Value::String(fault.string.clone()),
    );
    let mut out = String::from("<?xml version='1.0'?>\n<methodResponse>\n<fault>\n");
    write_value(&mut out, &Value::Struct(members), &DictOrders::new());
    out.push_str("\n</fault>\n</methodResponse>\n");
    out
}

fn write_value(out: &mut String, value: &Value, given: &DictOrders) {
    out.push_str("<value>");
    match value {
        Value::Integer(i) => {
            let _ = write!(out, "<int>{i}</int>");
        }
        Value::Long(l) => {
            let _ = write!(out, "<i8>{l}</i8>");
        }
        Value::Boolean(b) => {
            let _ = write!(out, "<boolean>{}</boolean>", u8::from(*b));
        }
        Value::String(s) => {
            out.push_str("<string>");
            escape_into(out, s);
            out.push_str("</string>");
        }
        Value::Double(d) => {
            let _ = write!(out, "<double>{d:?}</double>");
        }
        Value::Array(items) => {
            out.push_str("<array><data>\n");
            for item in items {
                write_value(out, item, given);
                out.push('\n');
            }
            out.push_str("</data></array>");
        }
        Value::Struct(members) => {
            out.push_str("<struct>\n");
            for key in ordered_keys(members, given) {
                out.push_str("<member>\n<name>");
                escape_into(out, key);
                out.push_str("</name>\n");
                write_value(out, &members[key], given);
                out.push_str("\n</member>\n");
            }
            out.push_str("</struct>");
        }
        Value::Nil => out.push_str("<nil/>"),
        // The fake answers neither dates nor base64; dxr writes them if it ever does.
        other => {
            let xml = other.to_xml().unwrap_or_default();
            let inner = xml
                .split_once("<value>")
                .and_then(|(_, rest)| rest.rsplit_once("</value>"))
                .map_or("<nil/>", |(inner, _)| inner);
            out.push_str(inner);
        }
    }
    out.push_str("</value>");
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cobbler::fake::recorded::default_item;
    use crate::cobbler::kind::Kind;

    fn member_names(xml: &str) -> Vec<&str> {
        xml.split("<name>")
            .skip(1)
            .filter_map(|rest| rest.split_once("</name>").map(|(name, _)| name))
            .collect()
    }

    #[test]
    fn items_keep_the_real_servers_field_order() {
        let xml = response(
            &Value::Struct(default_item(Kind::Distro)),
            &DictOrders::new(),
        );
        let names = member_names(&xml);
        assert_eq!(
            names[..6],
            ["parent", "depth", "ctime", "mtime", "uid", "name"]
        );
    }

    #[test]
    fn unknown_structs_stay_sorted_and_text_is_escaped() {
        let value = crate::cobbler::protocol::from_json(&serde_json::json!({"b": "<&>", "a": 1}));
        let xml = response(&value, &DictOrders::new());
        assert_eq!(member_names(&xml), ["a", "b"]);
        let given =
            DictOrders::from([(vec!["a".into(), "b".into()], vec!["b".into(), "a".into()])]);
        assert_eq!(member_names(&response(&value, &given)), ["b", "a"]);
        assert!(xml.contains("<string>&lt;&amp;&gt;</string>"), "{xml}");
        let back = dxr::MethodResponse::from_xml(&xml).expect("dxr reads it back");
        assert_eq!(back.value, value);
    }

    #[test]
    fn faults_read_back_as_faults() {
        let xml = fault_response(&Fault::new(1, "<class 'x'>:'no'"));
        let fault = dxr::FaultResponse::from_xml(&xml).expect("a fault response");
        assert_eq!(fault.fault.string(), "<class 'x'>:'no'");
    }
}
