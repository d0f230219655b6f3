//! Expanding a factory value: `{n}` (the number in a sequence), `{mac}`, `{ip}`, `{dns}` (fresh
//! allocated addresses; `{MAC}` is a MAC written in upper case, noted in lower case) and `{new KIND}` (a sub-factory). Other placeholders (`{boot}`) are
//! left for the run to fill.

use super::addresses::Allocator;

/// What one value became.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expanded {
    /// Text, with the addresses allocated for it.
    Text {
        /// The value.
        value: String,
        /// What was allocated in it: `("mac", "02:…")`.
        allocated: Vec<(&'static str, String)>,
    },
    /// A new item of this kind, made by its own factory, is to be named here.
    NewItem(String),
}

/// `pattern` with `{n}` replaced by `n` (`web-{n}` → `web-3`).
pub fn numbered(pattern: &str, n: usize) -> String {
    pattern.replace("{n}", &n.to_string())
}

/// The kind a `{new KIND}` value asks for, if it is one.
pub fn new_item(value: &str) -> Option<String> {
    value
        .trim()
        .strip_prefix("{new ")
        .and_then(|rest| rest.strip_suffix('}'))
        .map(|kind| kind.trim().to_owned())
}

/// Expands `value` for the item `alias` (number `n` in its sequence).
pub fn expand(
    value: &str,
    alias: &str,
    n: usize,
    allocator: &Allocator,
) -> Result<Expanded, String> {
    if let Some(kind) = new_item(value) {
        return Ok(Expanded::NewItem(kind));
    }
    let mut out = String::with_capacity(value.len());
    let mut allocated = Vec::new();
    let mut rest = value;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let name = &rest[start + 1..start + end];
        let replaced = match name {
            "n" => Some(n.to_string()),
            "mac" => Some(allocator.mac()),
            // The same, written in upper case (a server stores MACs in lower case): one with
            // letters in it, so that the case shows.
            "MAC" => Some(
                std::iter::repeat_with(|| allocator.mac())
                    .take(16)
                    .find(|mac| mac.bytes().any(|b| b.is_ascii_alphabetic()))
                    .unwrap_or_else(|| allocator.mac())
                    .to_ascii_uppercase(),
            ),
            "ip" => Some(allocator.ip()?),
            "dns" => Some(allocator.dns(alias)),
            _ => None,
        };
        match replaced {
            Some(text) => {
                if let Some(what) = ["mac", "ip", "dns"]
                    .into_iter()
                    .find(|w| w.eq_ignore_ascii_case(name))
                {
                    allocated.push((what, text.to_ascii_lowercase()));
                }
                out.push_str(&text);
            }
            None => out.push_str(&rest[start..=start + end]),
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    Ok(Expanded::Text {
        value: out,
        allocated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences_addresses_sub_factories_and_other_placeholders() {
        let allocator = Allocator::new("r1");
        assert_eq!(numbered("web-{n}", 3), "web-3");
        let Expanded::Text { value, allocated } =
            expand("host {n} at {ip} in {boot}", "web-3", 3, &allocator).unwrap()
        else {
            panic!("text expected");
        };
        assert!(value.starts_with("host 3 at "), "{value}");
        assert!(value.ends_with(" in {boot}"), "{value}");
        assert_eq!(allocated.len(), 1);
        assert_eq!(allocated[0].0, "ip");
        assert_eq!(
            expand("{new profile}", "web-3", 3, &allocator).unwrap(),
            Expanded::NewItem("profile".to_owned())
        );
        let Expanded::Text { value, .. } = expand("{dns}", "web-3", 3, &allocator).unwrap() else {
            panic!("text expected");
        };
        assert_eq!(value, "web-3-r1-1.provspec.test");
        let Expanded::Text { value, .. } = expand("odd {", "x", 1, &allocator).unwrap() else {
            panic!("text expected");
        };
        assert_eq!(value, "odd {");
    }
}
