//! A one-pass reader for the everyday XML-RPC answer: a `methodResponse` holding strings,
//! integers, booleans, doubles, nil, structs and arrays, as cobblerd and fake-cobbler write them.
//! It reads a `get_*` answer several times faster than dxr's serde reader; anything it does not
//! know for certain (a fault, an entity other than the five predefined ones, CDATA, a carriage return,
//! `dateTime.iso8601`, `base64`, a duplicate member, whitespace in a number, malformed XML) it
//! leaves to dxr by answering `None`, so what it does answer is what dxr would.

use std::collections::BTreeMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::Value;

/// The value of a `methodResponse`, or `None` when dxr must read it.
pub(super) fn method_response(xml: &str) -> Option<Value> {
    let mut cursor = Cursor(Reader::from_str(xml));
    for name in ["methodResponse", "params", "param", "value"] {
        cursor.start(name)?;
    }
    let value = cursor.value()?;
    for name in ["param", "params", "methodResponse"] {
        cursor.end(name)?;
    }
    matches!(cursor.next()?, Event::Eof).then_some(value)
}

struct Cursor<'a>(Reader<&'a [u8]>);

fn named(tag: &BytesStart<'_>, name: &str) -> bool {
    tag.name().as_ref() == name
}

/// Text that means the same to every reader: no reference, no carriage return.
fn plain(text: &str) -> Option<&str> {
    (!text.contains(['&', '\r'])).then_some(text)
}

impl<'a> Cursor<'a> {
    /// The next event as it is.
    fn raw(&mut self) -> Option<Event<'a>> {
        self.0.read_event().ok()
    }

    /// The next event that is not white space between elements, a declaration or a comment.
    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            match self.raw()? {
                Event::Text(text) if text.trim().is_empty() => {
                    plain(&text)?;
                }
                Event::Decl(_) | Event::Comment(_) => {}
                other => return Some(other),
            }
        }
    }

    fn start(&mut self, name: &str) -> Option<()> {
        match self.next()? {
            Event::Start(tag) if named(&tag, name) => Some(()),
            _ => None,
        }
    }

    fn end(&mut self, name: &str) -> Option<()> {
        match self.next()? {
            Event::End(tag) if tag.name().as_ref() == name => Some(()),
            _ => None,
        }
    }

    /// What is inside `<value>`, and its `</value>`.
    fn value(&mut self) -> Option<Value> {
        let value = match self.raw()? {
            Event::End(tag) if tag.name().as_ref() == "value" => {
                return Some(Value::String(String::new()));
            }
            Event::Text(text) => {
                let text = plain(&text)?.to_owned();
                match self.raw()? {
                    Event::End(tag) if tag.name().as_ref() == "value" => {
                        return Some(Value::String(text));
                    }
                    Event::Start(tag) if text.trim().is_empty() => self.typed(&tag)?,
                    Event::Empty(tag) if text.trim().is_empty() => empty(&tag)?,
                    _ => return None,
                }
            }
            Event::Start(tag) => self.typed(&tag)?,
            Event::Empty(tag) => empty(&tag)?,
            _ => return None,
        };
        self.end("value")?;
        Some(value)
    }

    /// The text of a scalar element, up to its end tag (none: empty), with the predefined
    /// entities and character references resolved.
    fn scalar(&mut self, name: &str) -> Option<String> {
        let mut text = String::new();
        loop {
            match self.raw()? {
                Event::End(tag) if tag.name().as_ref() == name => return Some(text),
                Event::Text(part) => text.push_str(plain(&part)?),
                Event::GeneralRef(reference) => text.push(resolve(&reference)?),
                _ => return None,
            }
        }
    }

    /// A typed value after its start tag, up to its end tag.
    fn typed(&mut self, tag: &BytesStart<'_>) -> Option<Value> {
        let name = tag.name().as_ref().to_owned();
        let number = |text: &str| {
            (!text.is_empty()
                && text
                    .chars()
                    .all(|c| c.is_ascii_digit() || "+-.eE".contains(c)))
            .then_some(())
        };
        Some(match name.as_str() {
            "string" => Value::String(self.scalar("string")?),
            "int" | "i4" => {
                let text = self.scalar(&name)?;
                number(&text)?;
                Value::Integer(text.parse().ok()?)
            }
            "i8" => {
                let text = self.scalar("i8")?;
                number(&text)?;
                Value::Long(text.parse().ok()?)
            }
            "boolean" => match self.scalar("boolean")?.as_str() {
                "0" => Value::Boolean(false),
                "1" => Value::Boolean(true),
                _ => return None,
            },
            "double" => {
                let text = self.scalar("double")?;
                number(&text)?;
                Value::Double(text.parse().ok()?)
            }
            "nil" => {
                self.scalar("nil")?.is_empty().then_some(())?;
                Value::Nil
            }
            "struct" => {
                let mut members = BTreeMap::new();
                loop {
                    match self.next()? {
                        Event::End(end) if end.name().as_ref() == "struct" => break,
                        Event::Start(member) if named(&member, "member") => {
                            self.start("name")?;
                            let key = self.scalar("name")?;
                            self.start("value")?;
                            let value = self.value()?;
                            self.end("member")?;
                            if members.insert(key, value).is_some() {
                                return None;
                            }
                        }
                        _ => return None,
                    }
                }
                Value::Struct(members)
            }
            "array" => {
                let mut items = Vec::new();
                match self.next()? {
                    Event::Empty(data) if named(&data, "data") => {}
                    Event::Start(data) if named(&data, "data") => loop {
                        match self.next()? {
                            Event::End(end) if end.name().as_ref() == "data" => break,
                            Event::Start(value) if named(&value, "value") => {
                                items.push(self.value()?)
                            }
                            _ => return None,
                        }
                    },
                    _ => return None,
                }
                self.end("array")?;
                Value::Array(items)
            }
            _ => return None,
        })
    }
}

/// The character a reference stands for: a predefined entity (`lt`, `gt`, `amp`, `quot`,
/// `apos`) or a character reference (`#60`, `#x3C`); any other entity is left to dxr.
fn resolve(reference: &str) -> Option<char> {
    match reference {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let number = reference.strip_prefix('#')?;
            let code = match number.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            // A carriage return or a control character may be read differently: dxr decides.
            char::from_u32(code).filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        }
    }
}

/// A typed value written as an empty element.
fn empty(tag: &BytesStart<'_>) -> Option<Value> {
    match tag.name().as_ref() {
        "string" => Some(Value::String(String::new())),
        "nil" => Some(Value::Nil),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dxr::MethodResponse;

    fn dxr(xml: &str) -> Option<Value> {
        MethodResponse::from_xml(xml).ok().map(|r| r.value)
    }

    #[test]
    fn what_it_reads_is_what_dxr_reads() {
        let answers = [
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><string>~</string></value>\n</param>\n</params>\n</methodResponse>\n",
            "<?xml version='1.0'?><methodResponse><params><param><value><struct>\
             <member><name>name</name><value><string>d1</string></value></member>\
             <member><name>mtime</name><value><double>1732954953.123456</double></value></member>\
             <member><name>depth</name><value><int>0</int></value></member>\
             <member><name>big</name><value><i8>-12345678901</i8></value></member>\
             <member><name>on</name><value><boolean>1</boolean></value></member>\
             <member><name>off</name><value><boolean>0</boolean></value></member>\
             <member><name>empty</name><value><string></string></value></member>\
             <member><name>blank</name><value><string>  two  spaces </string></value></member>\
             <member><name>untyped</name><value>plain text</value></member>\
             <member><name>none</name><value><nil/></value></member>\
             <member><name>list</name><value><array><data><value><string>a</string></value><value><int>2</int></value></data></array></value></member>\
             <member><name>nothing</name><value><array><data></data></array></value></member>\
             <member><name>inner</name><value><struct><member><name>k</name><value><string>v</string></value></member></struct></value></member>\
             </struct></value></param></params></methodResponse>",
            "<?xml version=\"1.0\"?>\n<methodResponse><params><param><value><array><data/></array></value></param></params></methodResponse>",
            "<methodResponse><params><param><value><boolean>1</boolean></value></param></params></methodResponse>",
            // Cobbler's inherited values, and every other reference Python writes.
            "<methodResponse><params><param><value><struct><member><name>kernel_options</name><value><string>&lt;&lt;inherit&gt;&gt;</string></value></member>\
             <member><name>q</name><value><string>a &amp; b &quot;c&quot; &apos;d&apos; &#60;&#x3E; \u{e9}</string></value></member></struct></value></param></params></methodResponse>",
        ];
        for answer in answers {
            let quick = method_response(answer);
            assert!(quick.is_some(), "reads {answer}");
            assert_eq!(quick, dxr(answer), "{answer}");
        }
    }

    #[test]
    fn leaves_the_rest_to_dxr() {
        let others = [
            // A fault.
            "<?xml version='1.0'?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1</int></value></member><member><name>faultString</name><value><string>x</string></value></member></struct></value></fault></methodResponse>",
            // Unknown entities, CDATA, carriage returns.
            "<methodResponse><params><param><value><string>a &nbsp; b</string></value></param></params></methodResponse>",
            "<methodResponse><params><param><value><string><![CDATA[x]]></string></value></param></params></methodResponse>",
            "<methodResponse><params><param><value><string>a\r\nb</string></value></param></params></methodResponse>",
            // Types it does not read.
            "<methodResponse><params><param><value><dateTime.iso8601>20240101T00:00:00</dateTime.iso8601></value></param></params></methodResponse>",
            "<methodResponse><params><param><value><base64>YQ==</base64></value></param></params></methodResponse>",
            // Not quite right.
            "<methodResponse><params><param><value><int> 5 </int></value></param></params></methodResponse>",
            "<methodResponse><params><param><value><boolean>true</boolean></value></param></params></methodResponse>",
            "<methodResponse><params><param><value><struct><member><name>a</name><value>1</value></member><member><name>a</name><value>2</value></member></struct></value></param></params></methodResponse>",
            super::super::GARBAGE_REPLY,
            super::super::TRUNCATED_REPLY,
            "<html><body>502 Bad Gateway</body></html>",
            "",
        ];
        for other in others {
            assert_eq!(method_response(other), None, "{other}");
        }
    }
}
