//! One probe step's two answers, and how a difference between them is shown.

use std::fmt::{self, Write as _};

use super::Tree;

/// The normalised answers of the fake and of the server to one probe line.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// The probe's file name.
    pub file: String,
    /// The probe line.
    pub line: usize,
    /// The call as the probe wrote it.
    pub call: String,
    /// The fake's answer.
    pub fake: Tree,
    /// The server's answer.
    pub server: Tree,
}

/// Width of the fake's column.
const COLUMN: usize = 60;

impl Comparison {
    /// True when the two answers are the same.
    pub fn agrees(&self) -> bool {
        self.fake == self.server
    }

    /// The method (the call's first word after `eventually`).
    pub fn method(&self) -> &str {
        let call = self.call.strip_prefix("eventually ").unwrap_or(&self.call);
        call.split_whitespace().next().unwrap_or("")
    }
}

impl fmt::Display for Comparison {
    /// `file:line: call`, then the lines that differ side by side (fake left, server right),
    /// each answer one member a line; an answer both gave, once.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}:{}: {}", self.file, self.line, self.call)?;
        if self.agrees() {
            for line in self.fake.pretty().lines() {
                writeln!(f, "  = {line}")?;
            }
            return Ok(());
        }
        let fake = self.fake.pretty();
        let server = self.server.pretty();
        let mut out = String::new();
        let _ = writeln!(out, "    {:<COLUMN$} | server", "embedded fake");
        let mut left: Vec<&str> = Vec::new();
        let mut right: Vec<&str> = Vec::new();
        let flush = |out: &mut String, left: &mut Vec<&str>, right: &mut Vec<&str>| {
            for i in 0..left.len().max(right.len()) {
                let l = left.get(i).copied().unwrap_or("");
                let r = right.get(i).copied().unwrap_or("");
                let _ = writeln!(out, "  ≠ {l:<COLUMN$} | {r}");
            }
            left.clear();
            right.clear();
        };
        for change in diff::lines(&fake, &server) {
            match change {
                diff::Result::Left(l) => left.push(l),
                diff::Result::Right(r) => right.push(r),
                diff::Result::Both(..) => flush(&mut out, &mut left, &mut right),
            }
        }
        flush(&mut out, &mut left, &mut right);
        f.write_str(&out)
    }
}

/// The closing lines of a conformance run: how many calls, how many differ, by method.
pub fn summary(compared: &[Comparison]) -> String {
    let differing: Vec<&Comparison> = compared.iter().filter(|c| !c.agrees()).collect();
    let methods: std::collections::BTreeSet<&str> =
        compared.iter().map(Comparison::method).collect();
    if differing.is_empty() {
        return format!(
            "{} calls ({} methods): no difference",
            compared.len(),
            methods.len()
        );
    }
    let mut by_method: std::collections::BTreeMap<&str, usize> = Default::default();
    for c in &differing {
        *by_method.entry(c.method()).or_default() += 1;
    }
    let listed: Vec<String> = by_method
        .iter()
        .map(|(method, n)| format!("{method} {n}"))
        .collect();
    format!(
        "{} calls ({} methods): {} differ ({})",
        compared.len(),
        methods.len(),
        differing.len(),
        listed.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_differing_lines_are_shown_side_by_side() {
        let c = Comparison {
            file: "p".into(),
            line: 7,
            call: "get_distro [\"@d1\"]".into(),
            fake: Tree::Map(vec![("a".into(), Tree::Int(1)), ("b".into(), Tree::Int(2))]),
            server: Tree::Map(vec![("a".into(), Tree::Int(1)), ("b".into(), Tree::Int(3))]),
        };
        let shown = c.to_string();
        assert!(shown.starts_with("p:7: get_distro [\"@d1\"]\n"), "{shown}");
        assert!(shown.contains("  ≠   \"b\": 2,"), "{shown}");
        assert!(shown.trim_end().ends_with("|   \"b\": 3,"), "{shown}");
        assert!(!shown.contains("\"a\""), "{shown}");
        assert!(!c.agrees());
        assert_eq!(
            summary(&[c]),
            "1 calls (1 methods): 1 differ (get_distro 1)"
        );
    }
}
