//! The part of Cheetah (cobblerd's template engine) the fake renders: `$var`, `${var}`,
//! `$var.key` into dicts, `$getVar('var', 'default')`, `$SNIPPET('name')` (and `SNIPPET::name`),
//! `#raw … #end raw`, `##` comments and `\$`/`\#` escapes, with cobblerd's
//! `#errorCatcher ListErrors` (an unknown variable stays as written). Everything else Cheetah
//! can do (`#if`, `#for`, `#set`, calls, `$(…)`, …) is [`Unrendered::NotFaked`]: the fake says
//! so rather than answering differently.

use indexmap::IndexMap;

use crate::cobbler::protocol::{Value, ValueExt};

/// Why a template was not rendered.
#[derive(Debug, Clone, PartialEq)]
pub enum Unrendered {
    /// Real Cheetah fails too: cobblerd answers its "had errors" text.
    Error,
    /// The fake does not render this (what, for the `not_faked` fault).
    NotFaked(String),
}

/// Every directive name Cheetah 3 knows (`Cheetah/Parser.py`).
const DIRECTIVES: &[&str] = &[
    "import",
    "from",
    "extends",
    "implements",
    "super",
    "slurp",
    "raw",
    "include",
    "cache",
    "filter",
    "echo",
    "silent",
    "transform",
    "call",
    "arg",
    "capture",
    "attr",
    "def",
    "block",
    "defmacro",
    "closure",
    "set",
    "del",
    "if",
    "while",
    "for",
    "else",
    "elif",
    "pass",
    "break",
    "continue",
    "stop",
    "return",
    "yield",
    "repeat",
    "unless",
    "assert",
    "raise",
    "try",
    "except",
    "finally",
    "errorCatcher",
    "breakpoint",
    "compiler",
    "compiler-settings",
    "shBang",
    "encoding",
    "end",
];

/// Names a Cheetah template object answers itself (methods Cheetah would call).
const TEMPLATE_NAMES: [&str; 8] = [
    "varExists",
    "read_snippet",
    "sedesc",
    "getFileContents",
    "searchList",
    "errorCatcher",
    "respond",
    "template_universe",
];

/// Python `str` and `dict` methods Cheetah would call on `$value.method`.
const METHODS: [&str; 30] = [
    "capitalize",
    "casefold",
    "lower",
    "upper",
    "title",
    "strip",
    "lstrip",
    "rstrip",
    "split",
    "splitlines",
    "swapcase",
    "isdigit",
    "isalpha",
    "isalnum",
    "isspace",
    "islower",
    "isupper",
    "istitle",
    "keys",
    "values",
    "items",
    "copy",
    "get",
    "pop",
    "popitem",
    "clear",
    "setdefault",
    "update",
    "fromkeys",
    "encode",
];

/// How deep snippets may include snippets before the fake gives up.
const MAX_SNIPPET_DEPTH: usize = 16;

/// What a template sees: the blended data and the snippets by path.
pub struct Scope<'a> {
    /// The namespace (cobblerd's search list).
    pub vars: &'a IndexMap<String, Value>,
    /// Snippet path → text (`None`: a stock snippet whose text the fake has not recorded).
    pub snippet: &'a dyn Fn(&str) -> Option<Option<String>>,
    /// The placeholders Cheetah did not find, as written (its `ListErrors`).
    pub unknown: std::cell::RefCell<Vec<String>>,
}

/// Renders `source` as cobblerd's templar does (Cheetah with `#errorCatcher ListErrors`),
/// including its post-filters (`@@var@@`, leading newlines).
pub fn render(source: &str, scope: &Scope<'_>) -> Result<String, Unrendered> {
    let mut source = source.to_owned();
    if let Some(first) = source.lines().next()
        && first.starts_with("#template=")
    {
        let kind = first.split('=').nth(1).unwrap_or("").trim().to_lowercase();
        if kind != "cheetah" {
            return Err(Unrendered::NotFaked(format!(
                "templates of type {kind:?} (#template=)"
            )));
        }
        source = source.split_once('\n').map_or("", |(_, r)| r).to_owned();
    }
    check_imports(&source)?;
    if scope
        .vars
        .get("tree")
        .and_then(ValueExt::as_str)
        .is_some_and(|t| t.starts_with("nfs://"))
    {
        return Err(Unrendered::NotFaked(
            "templates for an nfs:// tree (cobblerd rewrites their url lines)".into(),
        ));
    }
    if unbalanced(&source) {
        return Err(Unrendered::Error);
    }
    let mut out = body(&preprocess(&source), scope, 0)?;
    // templar.render's post-filter: @@var@@ becomes the variable's text.
    while let Some(start) = out.find("@@") {
        let rest = &out[start + 2..];
        let Some(end) = rest.find("@@") else { break };
        let key = &rest[..end];
        if key.chars().any(char::is_whitespace) {
            break;
        }
        match scope.vars.get(key) {
            Some(Value::String(text)) => {
                let pattern = format!("@@{key}@@");
                out = out.replace(&pattern, text);
            }
            _ => return Err(Unrendered::Error),
        }
    }
    if out.starts_with('\n') {
        out = out.trim_start().to_owned();
    }
    Ok(out)
}

/// cobblerd's `check_for_invalid_imports`: an import outside the whitelist fails the render.
fn check_imports(source: &str) -> Result<(), Unrendered> {
    for line in source.split('\n') {
        if line.contains("#import") || line.contains("#from") {
            let rest: String = line
                .replace("#import", "")
                .replace("#from", "")
                .replace("import", ".")
                .replace(' ', "");
            let allowed = ["random", "re", "time", "netaddr"];
            if !allowed.contains(&rest.trim()) {
                return Err(Unrendered::Error);
            }
            return Err(Unrendered::NotFaked("#import in templates".into()));
        }
    }
    Ok(())
}

/// Block directives Cheetah needs an `#end` for (unless written in the one-line `:` form).
const BLOCKS: [&str; 13] = [
    "if", "for", "while", "def", "block", "try", "unless", "repeat", "call", "capture", "filter",
    "cache", "closure",
];

/// True when a block directive opens more often than `#end` closes it: Cheetah cannot compile
/// such a template (cobblerd answers its error text), whatever the fake renders.
fn unbalanced(source: &str) -> bool {
    BLOCKS.iter().any(|name| {
        let opener = format!("#{name} ");
        let opened = source
            .lines()
            .filter(|line| {
                line.trim_start().starts_with(&opener)
                    && !line.trim_end().trim_end_matches('#').contains(':')
            })
            .count();
        let closed = source.matches(&format!("#end {name}")).count();
        opened > closed
    })
}

/// `TEMPLATE::` → `$`, `SNIPPET::name` → `$SNIPPET('name')` (cobblerd's preprocessors).
fn preprocess(source: &str) -> String {
    let source = source.replace("TEMPLATE::", "$");
    let mut out = String::with_capacity(source.len());
    let mut rest = source.as_str();
    while let Some(at) = rest.find("SNIPPET::") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "SNIPPET::".len()..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || "_-/.".contains(c)))
            .unwrap_or(after.len());
        if len == 0 {
            out.push_str("SNIPPET::");
        } else {
            out.push_str(&format!("$SNIPPET('{}')", &after[..len]));
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

fn not_faked(what: impl Into<String>) -> Unrendered {
    Unrendered::NotFaked(what.into())
}

/// True when the text before `at` on its line is blank.
fn line_blank_before(text: &str, at: usize) -> bool {
    text[..at]
        .rsplit('\n')
        .next()
        .is_some_and(|l| l.trim().is_empty())
}

/// Renders a template's body (no post-filters).
fn body(text: &str, scope: &Scope<'_>, depth: usize) -> Result<String, Unrendered> {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let c = bytes[i];
        match c {
            b'\\' if matches!(bytes.get(i + 1), Some(b'$' | b'#')) => {
                out.push(bytes[i + 1] as char);
                i += 2;
            }
            b'#' => {
                let next = bytes.get(i + 1).copied();
                if next == Some(b'#') {
                    // A comment to the end of the line; a line holding only it goes.
                    let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                    if line_blank_before(text, i) {
                        trim_line_start(&mut out);
                        i = (end + 1).min(text.len());
                    } else {
                        i = end;
                    }
                    continue;
                }
                if matches!(next, Some(b'*' | b'{' | b'@')) {
                    return Err(not_faked("Cheetah's #* *#, #{ } and #@ forms"));
                }
                let name: String = text[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                if !DIRECTIVES.contains(&name.as_str()) {
                    out.push('#');
                    i += 1;
                    continue;
                }
                if name != "raw" {
                    return Err(not_faked(format!(
                        "the Cheetah directive #{name} (only $variables, $SNIPPET and #raw are rendered)"
                    )));
                }
                i = raw_block(text, i, &mut out)?;
            }
            b'$' => {
                let (consumed, rendered) = placeholder(&text[i..], scope, depth)?;
                out.push_str(&rendered);
                i += consumed;
            }
            _ => {
                let next = text[i..]
                    .find(['\\', '#', '$'])
                    .map_or(text.len(), |n| i + n.max(1));
                out.push_str(&text[i..next]);
                i = next;
            }
        }
    }
    Ok(out)
}

/// `#raw … #end raw` starting at `i`: its text kept as written (a directive alone on its line
/// takes the line with it); where the text goes on.
fn raw_block(text: &str, i: usize, out: &mut String) -> Result<usize, Unrendered> {
    let alone = line_blank_before(text, i);
    let mut start = i + 4;
    if text[start..].starts_with('#') {
        start += 1;
    } else if alone {
        let eol = text[start..].find('\n').map_or(text.len(), |n| start + n);
        if text[start..eol].trim().is_empty() {
            trim_line_start(out);
            start = (eol + 1).min(text.len());
        }
    }
    let Some(end) = text[start..].find("#end raw").map(|n| start + n) else {
        return Err(Unrendered::Error);
    };
    let mut after = end + "#end raw".len();
    let mut raw = &text[start..end];
    if text[after..].starts_with('#') {
        after += 1;
    } else if line_blank_before(text, end) {
        let eol = text[after..].find('\n').map_or(text.len(), |n| after + n);
        if text[after..eol].trim().is_empty() {
            raw = raw.trim_end_matches([' ', '\t']);
            after = (eol + 1).min(text.len());
        }
    }
    out.push_str(raw);
    Ok(after)
}

/// Drops the blanks after the last newline of `out` (a directive line leaves nothing).
fn trim_line_start(out: &mut String) {
    let keep = out.trim_end_matches([' ', '\t']).len();
    if out[..keep].is_empty() || out[..keep].ends_with('\n') {
        out.truncate(keep);
    }
}

/// One `$…` at the start of `text`: how many bytes it takes and what it renders to.
fn placeholder(text: &str, scope: &Scope<'_>, depth: usize) -> Result<(usize, String), Unrendered> {
    let bytes = text.as_bytes();
    match bytes.get(1) {
        Some(b'{') => {
            let Some(close) = text.find('}') else {
                return Err(Unrendered::Error);
            };
            let inner = &text[2..close];
            let (used, value) = expression(inner, scope, depth)?;
            if used != inner.len() {
                return Err(not_faked(format!("the Cheetah expression ${{{inner}}}")));
            }
            Ok((
                close + 1,
                value.unwrap_or_else(|| unknown(scope, &text[..=close])),
            ))
        }
        Some(b'!' | b'*' | b'(' | b'[') => Err(not_faked(format!(
            "Cheetah's ${} placeholders",
            bytes[1] as char
        ))),
        Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
            let (used, value) = expression(&text[1..], scope, depth)?;
            Ok((
                used + 1,
                value.unwrap_or_else(|| unknown(scope, &text[..=used])),
            ))
        }
        _ => Ok((1, "$".to_owned())),
    }
}

/// Notes a placeholder Cheetah did not find and answers it as written.
fn unknown(scope: &Scope<'_>, raw: &str) -> String {
    scope.unknown.borrow_mut().push(raw.to_owned());
    raw.to_owned()
}

/// A dotted name (or `SNIPPET(…)`/`getVar(…)`) at the start of `text`: the bytes it takes and
/// its text, `None` when Cheetah would not find it (the error catcher echoes it).
fn expression(
    text: &str,
    scope: &Scope<'_>,
    depth: usize,
) -> Result<(usize, Option<String>), Unrendered> {
    let ident = |from: usize| -> usize {
        text[from..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(text.len(), |n| from + n)
    };
    let end = ident(0);
    let name = &text[..end];
    if text[end..].starts_with('(') {
        let close = text[end..]
            .find(')')
            .map(|n| end + n)
            .ok_or(Unrendered::Error)?;
        let args = literal_args(&text[end + 1..close])
            .ok_or_else(|| not_faked(format!("the Cheetah call ${}", &text[..=close])))?;
        let value = match (name, args.as_slice()) {
            ("SNIPPET", [file]) => Some(snippet(file, scope, depth)?),
            ("getVar", [var, default]) => Some(
                scope
                    .vars
                    .get(var)
                    .map_or_else(|| default.clone(), python_str),
            ),
            _ => {
                return Err(not_faked(format!("the Cheetah call ${}", &text[..=close])));
            }
        };
        return Ok((close + 1, value));
    }
    if text[end..].starts_with('[') {
        return Err(not_faked(format!("indexing (${name}[…]) in templates")));
    }
    let mut value = match scope.vars.get(name) {
        Some(value) => Some(value),
        None if TEMPLATE_NAMES.contains(&name) || name == "SNIPPET" || name == "getVar" => {
            return Err(not_faked(format!("${name} of Cheetah's template object")));
        }
        None => None,
    };
    let mut used = end;
    // `.key` parts: a dict's member; anything else Cheetah would look up as an attribute.
    while text[used..].starts_with('.')
        && text[used + 1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
    {
        let part_end = ident(used + 1);
        let part = &text[used + 1..part_end];
        if METHODS.contains(&part) || text[part_end..].starts_with(['(', '[']) {
            return Err(not_faked(format!("${}", &text[..part_end])));
        }
        value = match value {
            None => None,
            Some(Value::Struct(members)) => members.get(part),
            Some(Value::String(_)) => None,
            Some(_) => return Err(not_faked(format!("${}", &text[..part_end]))),
        };
        used = part_end;
    }
    Ok((used, value.map(python_str)))
}

/// `'a', "b"` → the strings; `None` for anything but string literals.
fn literal_args(text: &str) -> Option<Vec<String>> {
    let mut args = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let quote = rest.chars().next()?;
        if quote != '\'' && quote != '"' {
            return None;
        }
        let close = rest[1..].find(quote)? + 1;
        args.push(rest[1..close].to_owned());
        rest = rest[close + 1..].trim_start();
        if let Some(after) = rest.strip_prefix(',') {
            rest = after.trim_start();
        } else if !rest.is_empty() {
            return None;
        }
    }
    Some(args)
}

/// `$SNIPPET('file')`: the per-system, per-profile, per-distro snippet, else the general one,
/// rendered in the same namespace; a comment when there is none.
fn snippet(file: &str, scope: &Scope<'_>, depth: usize) -> Result<String, Unrendered> {
    if depth >= MAX_SNIPPET_DEPTH {
        return Err(not_faked("snippets nested more than 16 deep"));
    }
    let mut found = None;
    for class in ["system", "profile", "distro"] {
        if let Some(owner) = scope.vars.get(&format!("{class}_name")) {
            let path = format!("per_{class}/{file}/{}", python_str(owner));
            if let Some(text) = (scope.snippet)(&path) {
                found = Some((path, text));
                break;
            }
        }
    }
    if found.is_none()
        && let Some(text) = (scope.snippet)(file)
    {
        found = Some((file.to_owned(), text));
    }
    match found {
        None => Ok(format!("# Error: no snippet data for {file}\n")),
        Some((path, None)) => Err(not_faked(format!(
            "the stock snippet {path} (its text is not recorded)"
        ))),
        Some((_, Some(text))) => body(&preprocess(&text), scope, depth + 1),
    }
}

/// How Cheetah prints a value: `str()`, with `None` (`~` on the wire) as nothing.
pub fn python_str(value: &Value) -> String {
    match value {
        Value::String(s) if s == "~" => String::new(),
        Value::String(s) => s.clone(),
        Value::Nil => String::new(),
        other => python_repr(other),
    }
}

/// Python's `repr()` of a value.
pub fn python_repr(value: &Value) -> String {
    match value {
        Value::String(s) if s == "~" => "None".into(),
        Value::String(s) => super::python::py_repr(s),
        Value::Boolean(true) => "True".into(),
        Value::Boolean(false) => "False".into(),
        Value::Integer(i) => i.to_string(),
        Value::Long(l) => l.to_string(),
        Value::Double(d) if d.fract() == 0.0 && d.abs() < 1e16 => format!("{d:.1}"),
        Value::Double(d) => d.to_string(),
        Value::Nil => "None".into(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(python_repr).collect::<Vec<_>>().join(", ")
        ),
        Value::Struct(members) => format!(
            "{{{}}}",
            members
                .iter()
                .map(|(k, v)| format!("{}: {}", super::python::py_repr(k), python_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.render(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> IndexMap<String, Value> {
        IndexMap::from([
            ("name".to_owned(), Value::String("web".into())),
            ("system_name".to_owned(), Value::String("web".into())),
            (
                "meta".to_owned(),
                Value::Struct([("k".to_owned(), Value::String("v".into()))].into()),
            ),
            ("n".to_owned(), Value::Integer(3)),
        ])
    }

    fn run(text: &str) -> Result<String, Unrendered> {
        let vars = vars();
        let snippets = |path: &str| match path {
            "hello" => Some(Some("hi $name\n".to_owned())),
            "per_system/hello/web" => Some(Some("hi system\n".to_owned())),
            "stock" => Some(None),
            _ => None,
        };
        render(
            text,
            &Scope {
                vars: &vars,
                snippet: &snippets,
                unknown: Default::default(),
            },
        )
    }

    #[test]
    fn variables_render_and_unknown_ones_stay_as_written() {
        assert_eq!(
            run("a=$name b=${name} c=$nope d=${nope} e=$meta.k f=$n $1 $\n").unwrap(),
            "a=web b=web c=$nope d=${nope} e=v f=3 $1 $\n"
        );
        assert_eq!(run("$name.example.com").unwrap(), "$name.example.com");
        assert_eq!(run("$getVar('nope','x') $getVar('n', 'x')").unwrap(), "x 3");
    }

    #[test]
    fn raw_comments_and_escapes() {
        assert_eq!(
            run("#raw\n$name\n#end raw\nend ## note\n## gone\n\\$name # text\n").unwrap(),
            "$name\nend \n$name # text\n"
        );
    }

    #[test]
    fn snippets_prefer_the_per_system_file() {
        assert_eq!(
            run("$SNIPPET('hello')\nSNIPPET::missing\n").unwrap(),
            "hi system\n\n# Error: no snippet data for missing\n\n"
        );
    }

    #[test]
    fn what_is_not_rendered_says_so() {
        for text in [
            "#if $name\nx\n#end if\n",
            "#set $x = 1\n",
            "$name.upper()",
            "$(hostname)",
            "$SNIPPET('stock')",
            "#* c *#",
        ] {
            assert!(
                matches!(run(text), Err(Unrendered::NotFaked(_))),
                "{text}: {:?}",
                run(text)
            );
        }
        assert_eq!(run("#raw\nno end\n"), Err(Unrendered::Error));
        assert_eq!(run("#if $x\nno end\n"), Err(Unrendered::Error));
        assert_eq!(run("#import os\n"), Err(Unrendered::Error));
    }
}
