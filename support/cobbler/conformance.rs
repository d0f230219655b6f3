//! `provspec conformance --backend cobbler`: the project's differential probe
//! (`conformance.probe` beside this file) sent to a Cobbler server and to the embedded fake
//! served over HTTP on a free local port, both read by one order-keeping XML-RPC client, so
//! the field order, the types and the fault strings a Python client sees are compared.

use std::collections::BTreeMap;

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use super::boot_files::{BootFiles, NOT_A_KERNEL};
use super::fake::{FakeCobbler, FakeConfig, Settings, server};
use super::kind::Kind;
use super::protocol::{Value, from_json};
use super::session::Credentials;
use crate::conformance::{Comparison, Normaliser, Probe, Speaker, Tree, compare};
use crate::http::HttpOptions;
use crate::naming::Namer;

/// The probes shipped with provspec, as (file, text), run in this order: together they call
/// every method the fake answers, with its faults.
pub const PROBES: &[(&str, &str)] = &[
    (
        "support/cobbler/conformance.probe",
        include_str!("conformance.probe"),
    ),
    (
        "support/cobbler/conformance-kinds.probe",
        include_str!("conformance-kinds.probe"),
    ),
    (
        "support/cobbler/conformance-xapi.probe",
        include_str!("conformance-xapi.probe"),
    ),
    (
        "support/cobbler/conformance-templates.probe",
        include_str!("conformance-templates.probe"),
    ),
    (
        "support/cobbler/conformance-server.probe",
        include_str!("conformance-server.probe"),
    ),
    (
        "support/cobbler/conformance-fields.probe",
        include_str!("conformance-fields.probe"),
    ),
    (
        "support/cobbler/conformance-methods.probe",
        include_str!("conformance-methods.probe"),
    ),
];

/// One Cobbler server spoken to with raw XML-RPC over HTTP.
pub struct XmlRpcSpeaker {
    url: String,
    client: reqwest::Client,
    placeholders: BTreeMap<String, String>,
}

impl XmlRpcSpeaker {
    /// A speaker to `url` with the side's placeholders (`user`, `password`, `kernel`, …).
    pub fn new(
        url: &str,
        options: HttpOptions,
        placeholders: BTreeMap<String, String>,
    ) -> Result<Self, String> {
        Ok(Self {
            url: url.to_owned(),
            client: crate::http::client(options)?,
            placeholders,
        })
    }
}

#[async_trait::async_trait]
impl Speaker for XmlRpcSpeaker {
    async fn send(&self, call: &str) -> Result<Tree, String> {
        let (method, args) = call.split_once(char::is_whitespace).unwrap_or((call, "[]"));
        let json: serde_json::Value = serde_json::from_str(args.trim())
            .map_err(|e| format!("the arguments of {method} are not a JSON array: {e}"))?;
        let serde_json::Value::Array(items) = json else {
            return Err(format!("the arguments of {method} are not a JSON array"));
        };
        let params: Vec<Value> = items.iter().map(from_json).collect();
        let xml = dxr::MethodCall {
            name: method.into(),
            params,
        }
        .to_xml()
        .map_err(|e| format!("{method}: cannot encode the call: {e}"))?;
        let response = self
            .client
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "text/xml")
            .body(format!("<?xml version=\"1.0\"?>\n{xml}"))
            .send()
            .await;
        let response = match response {
            Ok(response) => response,
            Err(e) => return Ok(Tree::Unreadable(crate::http::describe(&e))),
        };
        let status = response.status();
        let body = match response.text().await {
            Ok(body) => body,
            Err(e) => return Ok(Tree::Unreadable(crate::http::describe(&e))),
        };
        if !status.is_success() {
            return Ok(Tree::Fault {
                code: i64::from(status.as_u16()),
                text: body,
            });
        }
        Ok(parse_response(&body).unwrap_or_else(Tree::Unreadable))
    }

    fn placeholders(&self) -> &BTreeMap<String, String> {
        &self.placeholders
    }
}

/// Reads a `methodResponse`, keeping every struct's member order.
pub fn parse_response(xml: &str) -> Result<Tree, String> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let mut xml_reader = XmlReader { reader };
    xml_reader.open("methodResponse")?;
    match xml_reader.next_tag()?.as_str() {
        "params" => {
            xml_reader.open("param")?;
            xml_reader.open("value")?;
            xml_reader.value()
        }
        "fault" => {
            xml_reader.open("value")?;
            let fault = xml_reader.value()?;
            let code = match fault.get("faultCode") {
                Some(Tree::Int(code)) => *code,
                _ => 0,
            };
            let text = fault
                .get("faultString")
                .and_then(Tree::as_str)
                .unwrap_or_default()
                .to_owned();
            Ok(Tree::Fault { code, text })
        }
        other => Err(format!("<{other}> where <params> or <fault> belongs")),
    }
}

struct XmlReader<'a> {
    reader: Reader<&'a [u8]>,
}

/// What the reader met next, whitespace between tags skipped.
enum Met {
    Open(String),
    Close,
}

impl XmlReader<'_> {
    fn event(&mut self) -> Result<Event<'_>, String> {
        self.reader
            .read_event()
            .map_err(|e| format!("not XML-RPC: {e}"))
    }

    /// The next start or end tag, skipping whitespace and the declaration.
    fn next(&mut self) -> Result<Met, String> {
        loop {
            match self.event()? {
                Event::Start(tag) => {
                    return Ok(Met::Open(tag.local_name().as_ref().to_owned()));
                }
                Event::End(_) => return Ok(Met::Close),
                Event::Eof => return Err("the body ends early".to_owned()),
                Event::Text(text) if text.xml10_content().trim().is_empty() => {}
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
                _ => return Err("text where a tag belongs".to_owned()),
            }
        }
    }

    fn next_tag(&mut self) -> Result<String, String> {
        match self.next()? {
            Met::Open(tag) => Ok(tag),
            Met::Close => Err("a closing tag where an element belongs".to_owned()),
        }
    }

    fn open(&mut self, expected: &str) -> Result<(), String> {
        let tag = self.next_tag()?;
        if tag == expected {
            Ok(())
        } else {
            Err(format!("<{tag}> where <{expected}> belongs"))
        }
    }

    fn close(&mut self) -> Result<(), String> {
        match self.next()? {
            Met::Close => Ok(()),
            Met::Open(tag) => Err(format!("<{tag}> where a closing tag belongs")),
        }
    }

    /// The text up to the element's end (entities resolved).
    fn text(&mut self) -> Result<String, String> {
        let mut out = String::new();
        loop {
            match self.event()? {
                Event::Text(text) => out.push_str(&text.xml10_content()),
                Event::CData(data) => out.push_str(&data.xml10_content()),
                Event::GeneralRef(reference) => {
                    if let Some(c) = reference
                        .resolve_char_ref()
                        .map_err(|e| format!("not XML-RPC: {e}"))?
                    {
                        out.push(c);
                    } else {
                        out.push(match reference.xml10_content().as_ref() {
                            "amp" => '&',
                            "lt" => '<',
                            "gt" => '>',
                            "quot" => '"',
                            "apos" => '\'',
                            other => return Err(format!("unknown entity &{other};")),
                        });
                    }
                }
                Event::End(_) => return Ok(out),
                Event::Eof => return Err("the body ends early".to_owned()),
                _ => return Err("an element inside a scalar".to_owned()),
            }
        }
    }

    /// One value, its `<value>` already open; reads up to and including `</value>`.
    fn value(&mut self) -> Result<Tree, String> {
        // Untyped `<value>text</value>` is a string.
        let tag = loop {
            match self.event()? {
                Event::Start(tag) => {
                    break tag.local_name().as_ref().to_owned();
                }
                Event::End(_) => return Ok(Tree::Str(String::new())),
                Event::Text(text) if text.xml10_content().trim().is_empty() => {}
                Event::Text(text) => {
                    let mut s = text.xml10_content().into_owned();
                    s.push_str(&self.text()?);
                    return Ok(Tree::Str(s));
                }
                _ => return Err("not XML-RPC: unexpected content in <value>".to_owned()),
            }
        };
        let number = |text: String| -> Result<i64, String> {
            text.trim()
                .parse()
                .map_err(|_| format!("<{tag}>{text}</{tag}> is not a number"))
        };
        let tree = match tag.as_str() {
            "string" => Tree::Str(self.text()?),
            "int" | "i4" | "i8" => Tree::Int(number(self.text()?)?),
            "boolean" => Tree::Bool(self.text()?.trim() == "1"),
            "double" => {
                let text = self.text()?;
                Tree::Float(
                    text.trim()
                        .parse()
                        .map_err(|_| format!("<double>{text}</double> is not a number"))?,
                )
            }
            "nil" => {
                self.text()?;
                Tree::Nil
            }
            "dateTime.iso8601" | "base64" => Tree::Str(format!("<{tag}>{}", self.text()?)),
            "array" => {
                self.open("data")?;
                let mut items = Vec::new();
                while let Met::Open(tag) = self.next()? {
                    if tag != "value" {
                        return Err(format!("<{tag}> inside <data>"));
                    }
                    items.push(self.value()?);
                }
                self.close()?; // </array>
                Tree::List(items)
            }
            "struct" => {
                let mut members = Vec::new();
                while let Met::Open(tag) = self.next()? {
                    if tag != "member" {
                        return Err(format!("<{tag}> inside <struct>"));
                    }
                    self.open("name")?;
                    let name = self.text()?;
                    self.open("value")?;
                    members.push((name, self.value()?));
                    self.close()?; // </member>
                }
                Tree::Map(members)
            }
            other => return Err(format!("unknown XML-RPC type <{other}>")),
        };
        self.close()?; // </value>
        Ok(tree)
    }
}

/// Cobbler's values that differ by nature between two servers, and the items of other runs a
/// listing shows on a shared server.
pub struct CobblerNormaliser {
    /// The marker of this run's names (`--RUNID-`): listings keep only those.
    pub marker: String,
}

/// True for the methods that list every item of a kind, whoever made it.
fn lists_items(method: &str) -> bool {
    method.starts_with("find_")
        || method.ends_with("s_since")
        || matches!(
            method,
            "get_items" | "get_item_names" | "get_repos_compatible_with_profile"
        )
        || Kind::ALL
            .iter()
            .any(|k| method == format!("get_{}", k.plural()))
}

impl Normaliser for CobblerNormaliser {
    fn normalise(&self, call: &str, answer: Tree) -> Tree {
        let method = call.split_whitespace().next().unwrap_or("");
        let answer = self.this_runs_only(method, answer);
        let whole = match (method, &answer) {
            ("login", Tree::Str(token)) => Some(format!("token of {} characters", token.len())),
            ("last_modified_time", Tree::Float(_)) => Some("time".to_owned()),
            // The prefix (the virtualisation's vendor) is compared, the random rest not.
            ("get_random_mac", Tree::Str(mac)) if mac.len() == 17 => {
                Some(format!("{}:…random", &mac[..8]))
            }
            // Every event on the server (other clients' too): only its shape is compared.
            ("get_events", Tree::Map(events)) => Some(events_shape(events)),
            (m, Tree::Str(_)) if m.starts_with("background_") => Some("event id".to_owned()),
            _ => None,
        };
        if let Some(mask) = whole {
            return Tree::Masked(mask);
        }
        let answer = match (method, answer) {
            // [statetime, name, state, read_by_who]
            ("get_task_status", Tree::List(mut status)) => {
                if let Some(first @ Tree::Float(_)) = status.first_mut() {
                    *first = Tree::Masked("time".to_owned());
                }
                Tree::List(status)
            }
            ("get_event_log", Tree::Str(log)) => Tree::List(task_log_lines(&log)),
            ("get_status", answer) => self.status_of_this_run(answer),
            // Dicts of one key set come in one order from the fake (xen's xcp* signatures
            // list `boot_loaders` earlier than the rest on the real server).
            ("get_signatures", answer) => answer.map_nodes(&mut |_, node| match node {
                Tree::Map(mut members) => {
                    members.sort_by(|a, b| a.0.cmp(&b.0));
                    Tree::Map(members)
                }
                node => node,
            }),
            (_, other) => other,
        };
        answer.map_nodes(&mut |key, node| match (key, node) {
            (Some("ctime" | "mtime"), Tree::Float(t)) if t != 0.0 => Tree::Masked("time".into()),
            (Some("uid"), Tree::Str(uid)) if !uid.is_empty() => {
                Tree::Masked(format!("uid of {} characters", uid.len()))
            }
            (_, Tree::Str(text)) => Tree::Str(mask_new_handles(&text)),
            (_, Tree::Fault { code, text }) => Tree::Fault {
                code,
                text: mask_new_handles(&text),
            },
            (_, node) => node,
        })
    }
}

impl CobblerNormaliser {
    /// Listings without other runs' items, and template and snippet listings with only the
    /// stock files and this run's (other clients write theirs beside them).
    fn this_runs_only(&self, method: &str, answer: Tree) -> Tree {
        let answer = match answer {
            Tree::List(items) if lists_items(method) => Tree::List(
                items
                    .into_iter()
                    .filter(|item| {
                        let name = item.get("name").unwrap_or(item);
                        name.as_str().is_none_or(|n| n.contains(&self.marker))
                    })
                    .collect(),
            ),
            other => other,
        };
        // The files other clients wrote beside the stock ones and this run's.
        match answer {
            Tree::List(files)
                if matches!(
                    method,
                    "get_autoinstall_templates" | "get_autoinstall_snippets"
                ) =>
            {
                let stock = super::fake::stock_file_names();
                Tree::List(
                    files
                        .into_iter()
                        .filter(|f| {
                            f.as_str().is_none_or(|f| {
                                f.contains(&self.marker) || stock.iter().any(|s| s == f)
                            })
                        })
                        .collect(),
                )
            }
            other => other,
        }
    }

    /// `get_status`: only the addresses whose last target is this run's, times and the
    /// elapsed install time masked (the install log holds every client's installs).
    fn status_of_this_run(&self, answer: Tree) -> Tree {
        let installing = |state: &str| {
            if state.starts_with("installing (") {
                "installing (…)".to_owned()
            } else {
                state.to_owned()
            }
        };
        match answer {
            Tree::Map(ips) => Tree::Map(
                ips.into_iter()
                    .filter(|(_, row)| {
                        matches!(row, Tree::List(r) if r.get(2).and_then(Tree::as_str).is_some_and(|t| t.contains(&self.marker)))
                    })
                    .map(|(ip, row)| {
                        let Tree::List(row) = row else { return (ip, row) };
                        let row = row
                            .into_iter()
                            .enumerate()
                            .map(|(i, cell)| match (i, cell) {
                                (0 | 1, Tree::Float(_)) => Tree::Masked("time".into()),
                                (5, Tree::Str(state)) => Tree::Str(installing(&state)),
                                (_, cell) => cell,
                            })
                            .collect();
                        (ip, Tree::List(row))
                    })
                    .collect(),
            ),
            Tree::Str(table) => Tree::List(
                table
                    .lines()
                    .enumerate()
                    .filter(|(i, line)| *i == 0 || line.contains(&self.marker))
                    .map(|(_, line)| {
                        let cells: Vec<&str> = line.split('|').collect();
                        match cells.as_slice() {
                            [ip, target, start, state] if start.trim() != "start" => {
                                Tree::Str(format!(
                                    "{ip}|{target}|<time>|{}",
                                    installing(state.trim())
                                ))
                            }
                            _ => Tree::Str(line.to_owned()),
                        }
                    })
                    .collect(),
            ),
            other => other,
        }
    }
}

/// `get_events`' answer as the shape of its entries: `[time, name, state, read_by]` each.
fn events_shape(events: &[(String, Tree)]) -> String {
    let well_formed = events.iter().all(|(_, row)| {
        matches!(row, Tree::List(r) if r.len() == 4
            && matches!(r[0], Tree::Float(_))
            && r[1].as_str().is_some()
            && r[2].as_str().is_some()
            && matches!(r[3], Tree::List(_)))
    });
    if well_formed {
        "events, each [time, name, state, read_by]".to_owned()
    } else {
        format!("events not of the form [time, name, state, read_by]: {events:?}")
    }
}

/// A task log as the lines a client looks for, without event id and time: the start, the
/// exceptions the task met (class and value), the warnings about the task's own power
/// actions, errors, the end. Not compared: cobblerd's
/// info lines about what a sync wrote (the fake writes no files), and the other warnings a
/// sync logs about every item on the server, which on a shared server depend on other runs'
/// items and on what runs at the same moment (cobblerd writes concurrent tasks' lines into
/// each other's logs).
fn task_log_lines(log: &str) -> Vec<Tree> {
    log.lines()
        .filter_map(|line| line.split_once(" - ").map(|(_, rest)| rest))
        .filter(|rest| {
            rest.contains("start_task(")
                || rest.contains("### TASK")
                || rest.starts_with("INFO | Exception occurred: ")
                || rest.starts_with("INFO | Exception value: ")
                || (rest.starts_with("WARNING") && rest.contains("power"))
                || rest.starts_with("ERROR")
        })
        .map(|rest| {
            let rest = match rest.find("event_id(") {
                Some(at) => format!("{}event_id(…)", &rest[..at]),
                None => rest.to_owned(),
            };
            Tree::Str(rest)
        })
        .collect()
}

/// `___NEW___distro::<36 random characters>` → `___NEW___distro::<36 characters>`.
fn mask_new_handles(text: &str) -> String {
    const MARK: &str = "___NEW___";
    if !text.contains(MARK) {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let Some(sep) = after.find("::") else {
            out.push_str(after);
            return out;
        };
        let random = &after[sep + 2..];
        let end = random
            .find(|c: char| c == '\'' || c == '"' || c.is_whitespace())
            .unwrap_or(random.len());
        out.push_str(&after[..sep + 2]);
        out.push_str(&format!("<{} characters>", random[..end].chars().count()));
        rest = &random[end..];
    }
    out.push_str(rest);
    out
}

/// The embedded fake served over HTTP on a free port of 127.0.0.1 for the run, accepting the
/// server's credentials. Dropping it stops the server.
pub struct ServedFake {
    /// Its URL.
    pub url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl ServedFake {
    /// Starts a fresh fake that accepts `user`/`password` and has `settings`.
    pub async fn start(user: &str, password: &str, settings: Settings) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/", listener.local_addr()?);
        let fake = FakeCobbler::new(FakeConfig {
            users: vec![(user.to_owned(), password.to_owned())],
            settings,
            ..FakeConfig::default()
        });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(server::serve(listener, fake, async {
            let _ = stopped.await;
        }));
        Ok(Self {
            url,
            stop: Some(stop),
        })
    }
}

impl Drop for ServedFake {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_keep_member_order_types_and_entities() {
        let xml = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n\
            <member>\n<name>z</name>\n<value><string> a &amp; b </string></value>\n</member>\n\
            <member>\n<name>a</name>\n<value><array><data>\n<value><int>3</int></value>\n\
            <value><boolean>1</boolean></value>\n<value><double>0.5</double></value>\n\
            <value><nil/></value>\n<value>plain</value>\n<value><string/></value>\n</data></array></value>\n</member>\n\
            </struct></value>\n</param>\n</params>\n</methodResponse>\n";
        let tree = parse_response(xml).expect("parses");
        assert_eq!(
            tree.to_string(),
            "{\"z\": \" a & b \", \"a\": [3, True, 0.5, None, \"plain\", \"\"]}"
        );
    }

    #[test]
    fn faults_are_read_as_faults() {
        let fault = crate::cobbler::protocol::Fault::new(1, "<class 'x'>:'no'");
        let xml = crate::cobbler::fake::wire::fault_response(&fault);
        assert_eq!(
            parse_response(&xml).expect("parses"),
            Tree::Fault {
                code: 1,
                text: "<class 'x'>:'no'".into()
            }
        );
    }

    #[test]
    fn handles_tokens_and_times_are_masked() {
        let n = CobblerNormaliser {
            marker: "--abc-".into(),
        };
        let answer = Tree::Map(vec![
            ("mtime".into(), Tree::Float(17.5)),
            ("ctime".into(), Tree::Float(0.0)),
            ("uid".into(), Tree::Str("ab".into())),
            ("h".into(), Tree::Str("___NEW___distro::abc123".into())),
        ]);
        assert_eq!(
            n.normalise("get_distro []", answer).to_string(),
            "{\"mtime\": <time>, \"ctime\": 0.0, \"uid\": <uid of 2 characters>, \"h\": \"___NEW___distro::<6 characters>\"}"
        );
        assert_eq!(
            n.normalise("login []", Tree::Str("xyz".into())).to_string(),
            "<token of 3 characters>"
        );
        let fault = Tree::Fault {
            code: 1,
            text: "<class 'KeyError'>:\"'___NEW___system::q1'\"".into(),
        };
        assert_eq!(
            n.normalise("modify_system []", fault).to_string(),
            "Fault 1: \"<class 'KeyError'>:\\\"'___NEW___system::<2 characters>'\\\"\""
        );
    }
}

/// Runs `probes` (one after the other) against the Cobbler at `url` and against a fresh embedded
/// fake that has the server's own settings, as `credentials`; every name they make carries the
/// marker of `run_id`.
/// Boot files: the fake gets its own; the server's are in `boot_dir`, or written here (a server
/// on this machine).
pub async fn run(
    url: &str,
    credentials: &Credentials,
    boot_dir: Option<&std::path::Path>,
    http: HttpOptions,
    probes: &[Probe],
    run_id: &str,
) -> Result<Vec<Comparison>, String> {
    let fake_boot = BootFiles::create_local()
        .map_err(|e| format!("cannot write the fake's boot files: {e}"))?;
    let server_boot = match boot_dir {
        Some(dir) => BootFiles::remote(dir),
        None => BootFiles::create_local()
            .map_err(|e| format!("cannot write the server's boot files: {e}"))?,
    };
    let places = |boot: &BootFiles| {
        BTreeMap::from([
            ("user".to_owned(), credentials.user.clone()),
            ("password".to_owned(), credentials.password().to_owned()),
            ("kernel".to_owned(), boot.kernel()),
            ("initrd".to_owned(), boot.initrd()),
            (
                "not_a_kernel".to_owned(),
                boot.dir().join(NOT_A_KERNEL).display().to_string(),
            ),
            ("boot".to_owned(), boot.dir().display().to_string()),
            ("install_ip".to_owned(), install_ip(run_id)),
        ])
    };
    let server = XmlRpcSpeaker::new(url, http, places(&server_boot))?;
    let settings = super::server_settings::read(&server)
        .await
        .map_err(|e| e.to_string())?;
    let served = ServedFake::start(&credentials.user, credentials.password(), settings)
        .await
        .map_err(|e| format!("cannot serve the embedded fake: {e}"))?;
    let fake = XmlRpcSpeaker::new(&served.url, http, places(&fake_boot))?;
    let namer = Namer::new(run_id, 1);
    let normaliser = CobblerNormaliser {
        marker: crate::naming::run_marker(run_id),
    };
    let mut compared = Vec::new();
    for probe in probes {
        compared.extend(
            compare(probe, &fake, &server, &normaliser, &namer)
                .await
                .map_err(|e| e.to_string())?,
        );
    }
    Ok(compared)
}

/// An address of 198.18.0.0/15 (set aside for tests) picked by the run id, so the install
/// log entries a probe writes are the run's own.
fn install_ip(run_id: &str) -> String {
    let hash = run_id.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    format!(
        "198.{}.{}.{}",
        18 + (hash >> 16 & 1),
        hash >> 8 & 0xff,
        (hash & 0xff).clamp(1, 254)
    )
}

#[cfg(test)]
mod listing_tests {
    use super::*;

    #[test]
    fn listings_keep_only_this_runs_items() {
        let n = CobblerNormaliser {
            marker: "--abc-".into(),
        };
        let answer = Tree::List(vec![
            Tree::Str("web--abc-1".into()),
            Tree::Str("someone-elses".into()),
            Tree::Map(vec![("name".into(), Tree::Str("other--xyz-1".into()))]),
        ]);
        assert_eq!(
            n.normalise("get_item_names [\"system\"]", answer.clone())
                .to_string(),
            "[\"web--abc-1\"]"
        );
        assert_eq!(n.normalise("get_system [\"x\"]", answer.clone()), answer);
    }
}

#[cfg(test)]
mod coverage_tests {
    use super::*;

    #[test]
    fn the_shipped_probes_call_every_method_the_fake_answers() {
        let probes: Vec<Probe> = PROBES
            .iter()
            .map(|(name, text)| Probe::parse(name, text).expect("a shipped probe parses"))
            .collect();
        let called: Vec<&str> = probes
            .iter()
            .flat_map(|probe| &probe.steps)
            .map(|s| s.call.strip_prefix("eventually ").unwrap_or(&s.call))
            .filter_map(|call| call.split_whitespace().next())
            .collect();
        let missing: Vec<String> = FakeCobbler::method_names()
            .into_iter()
            .filter(|m| !called.contains(&m.as_str()))
            .collect();
        assert!(missing.is_empty(), "no shipped probe calls: {missing:?}");
    }
}
