//! Autoinstall templates and snippets (`/var/lib/cobbler/templates`, `…/snippets`) and what is
//! rendered from them: `read/write/remove_autoinstall_template` and `_snippet`,
//! `get_autoinstall_templates/_snippets`, `is_autoinstall_in_use`, `generate_autoinstall` (and
//! its profile and system forms), `generate_script`, `get_template_file_for_profile/_system`.
//!
//! Followed from cobblerd 3.3.10's `remote.py`, `autoinstall_manager.py`, `autoinstallgen.py`,
//! `tftpgen.py` and `templar.py`. The server starts with the stock files' names
//! (`recorded/autoinstall.json`); of their texts only `default.ks` is recorded, so reading or
//! rendering another stock file is a `not_faked` fault. Rendering is `cheetah.rs`.

use indexmap::IndexMap;

use super::args::Args;
use super::blender::blend_with;
use super::cheetah::{self, Scope, Unrendered, python_str};
use super::files::{Dir, Files, key, stock};
use super::not_faked::not_faked;
use super::python::{cx, exception, value_error};
use super::settings::Settings;

use super::state::State;
use super::store::field;
use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Fault, Value, ValueExt};

const TEMPLATES_DIR: &str = "/var/lib/cobbler/templates";
const SNIPPETS_DIR: &str = "/var/lib/cobbler/snippets";

/// What cobblerd answers when rendering fails (it logs the reason).
const RENDER_ERROR: &str = "# This automatic OS installation file had errors that prevented it from being rendered correctly.\n# The cobbler.log should have information relating to this failure.";

/// Templates or snippets: their messages differ.
#[derive(Clone, Copy, PartialEq)]
enum Which {
    Template,
    Snippet,
}

impl Which {
    fn base(self) -> &'static str {
        match self {
            Which::Template => TEMPLATES_DIR,
            Which::Snippet => SNIPPETS_DIR,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Which::Template => "automatic installation template",
            Which::Snippet => "automated installation snippet",
        }
    }

    fn dir(self, files: &Files) -> &Dir {
        match self {
            Which::Template => &files.templates,
            Which::Snippet => &files.snippets,
        }
    }

    fn dir_mut(self, files: &mut Files) -> &mut Dir {
        match self {
            Which::Template => &mut files.templates,
            Which::Snippet => &mut files.snippets,
        }
    }
}

/// cobblerd's `validate_autoinstall_*_file_path`: the stripped path, its file key, and whether
/// the file exists.
fn validate(which: Which, files: &Files, given: &Value) -> Result<(String, String, bool), Fault> {
    let Some(given) = given.as_str() else {
        let noun = match which {
            Which::Template => "autoinstall",
            Which::Snippet => "snippet",
        };
        return Err(exception(
            "TypeError",
            format!("Invalid input, {noun} must be a string"),
        ));
    };
    let given = given.trim();
    if given.contains("..") {
        return Err(value_error(format!(
            "Invalid {} file location {given}, it must not contain ..",
            which.what()
        )));
    }
    let file = key(given);
    let exists =
        !file.is_empty() && !given.ends_with('/') && which.dir(files).0.contains_key(&file);
    Ok((given.to_owned(), file, exists))
}

fn not_found(which: Which, given: &str) -> Fault {
    exception(
        "OSError",
        format!(
            "Invalid {} file location {}/{given}, file not found",
            which.what(),
            which.base()
        ),
    )
}

/// Faults for a path the fake's flat file map cannot answer as a real directory tree would.
fn tree_conflict(which: Which, files: &Files, file: &str, given: &str) -> Result<(), Fault> {
    let dir = which.dir(files);
    let is_dir = dir.0.keys().any(|k| k.starts_with(&format!("{file}/")));
    let parent_is_file = file
        .match_indices('/')
        .any(|(at, _)| dir.0.contains_key(&file[..at]));
    if file.is_empty() || given.ends_with('/') || is_dir || parent_is_file {
        return Err(not_faked(&format!(
            "writing the {} path {given:?} (a directory, or under a file)",
            which.what()
        )));
    }
    Ok(())
}

impl State {
    /// The calls on autoinstall templates, snippets and what is generated from them, answered;
    /// `None` for any other method.
    pub fn autoinstall_call(
        &mut self,
        method: &str,
        values: &[Value],
    ) -> Option<Result<Value, Fault>> {
        Some(match method {
            "read_autoinstall_template"
            | "write_autoinstall_template"
            | "remove_autoinstall_template"
            | "read_autoinstall_snippet"
            | "write_autoinstall_snippet"
            | "remove_autoinstall_snippet" => self.autoinstall_file_call(method, values),
            "get_autoinstall_templates" | "get_autoinstall_snippets" => {
                self.autoinstall_listing(method, values)
            }
            "is_autoinstall_in_use" => self.is_autoinstall_in_use(method, values),
            "generate_autoinstall"
            | "generate_profile_autoinstall"
            | "generate_system_autoinstall" => self.generate_autoinstall(method, values),
            "generate_script" => self.generate_script(method, values),
            "get_template_file_for_profile" | "get_template_file_for_system" => {
                self.template_file_for(method, values)
            }
            _ => return None,
        })
    }
}

impl State {
    /// True when a profile or system names `path` as its autoinstall template.
    fn autoinstall_in_use(&self, path: &str) -> bool {
        [Kind::Profile, Kind::System].into_iter().any(|kind| {
            self.store
                .items(kind)
                .any(|(_, item)| item.get("autoinstall").and_then(ValueExt::as_str) == Some(path))
        })
    }

    /// `read/write/remove_autoinstall_template|snippet(path, [data,] token)`.
    pub fn autoinstall_file_call(
        &mut self,
        method: &str,
        values: &[Value],
    ) -> Result<Value, Fault> {
        let which = if method.ends_with("_snippet") {
            Which::Snippet
        } else {
            Which::Template
        };
        let verb = method.split('_').next().unwrap_or("");
        let params: &[&str] = if verb == "write" {
            &["file_path", "data", "token"]
        } else {
            &["file_path", "token"]
        };
        let args = Args::new(method, values, params, params.len())?;
        self.tokens.validate(args.get(params.len() - 1))?;
        let (given, file, exists) = validate(which, &self.files, &values[0])?;
        match verb {
            "read" => {
                if !exists {
                    if file.is_empty() && which == Which::Template {
                        return Err(not_faked("reading the templates directory itself"));
                    }
                    return Err(not_found(which, &given));
                }
                match which.dir(&self.files).get(&file).cloned().flatten() {
                    Some(text) => Ok(Value::String(text)),
                    None => Err(not_faked(&format!(
                        "the text of the stock {} {file} (not recorded)",
                        which.what()
                    ))),
                }
            }
            "write" => {
                let data = args.str(1)?.to_owned();
                tree_conflict(which, &self.files, &file, &given)?;
                which.dir_mut(&mut self.files).0.insert(file, Some(data));
                Ok(Value::Boolean(true))
            }
            _ => {
                if !exists {
                    return Err(not_found(which, &given));
                }
                if which == Which::Template && self.autoinstall_in_use(&given) {
                    return Err(cx("attempt to delete in-use file"));
                }
                which.dir_mut(&mut self.files).0.remove(&file);
                Ok(Value::Boolean(true))
            }
        }
    }

    /// `get_autoinstall_templates(token=None)` / `get_autoinstall_snippets(token=None)`.
    pub fn autoinstall_listing(&self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        Args::new(method, values, &["token"], 0)?;
        let dir = if method.ends_with("snippets") {
            &self.files.snippets
        } else {
            &self.files.templates
        };
        Ok(Value::Array(
            dir.0.keys().map(|k| Value::String(k.clone())).collect(),
        ))
    }

    /// `is_autoinstall_in_use(ai, token=None)`.
    pub fn is_autoinstall_in_use(&self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["ai", "token"], 1)?;
        let ai = args.get(0).and_then(ValueExt::as_str).unwrap_or("");
        Ok(Value::Boolean(self.autoinstall_in_use(ai)))
    }

    /// `generate_autoinstall(profile=None, system=None, …)` and `generate_profile_autoinstall`,
    /// `generate_system_autoinstall`.
    pub fn generate_autoinstall(&self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let (profile, system) = match method {
            "generate_profile_autoinstall" => {
                let args = Args::new(method, values, &["profile"], 1)?;
                (args.get(0), None)
            }
            "generate_system_autoinstall" => {
                let args = Args::new(method, values, &["system"], 1)?;
                (None, args.get(0))
            }
            _ => {
                let args = Args::new(
                    method,
                    values,
                    &["profile", "system", "REMOTE_ADDR", "REMOTE_MAC"],
                    0,
                )?;
                (args.get(0), args.get(1))
            }
        };
        let given = |v: Option<&Value>| match v {
            None | Some(Value::Nil) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(other) => Some(other.render()),
        };
        let text = match (given(profile), given(system)) {
            (_, Some(system)) => self.autoinstall_for(Kind::System, &system)?.0,
            (Some(profile), None) => self.autoinstall_for(Kind::Profile, &profile)?.0,
            (None, None) => {
                return Err(exception(
                    "TypeError",
                    "cannot marshal None unless allow_none is enabled",
                ));
            }
        };
        Ok(Value::String(text))
    }

    /// The autoinstall file of `kind`/`name` and the placeholders Cheetah would not find.
    pub(super) fn autoinstall_for(
        &self,
        kind: Kind,
        name: &str,
    ) -> Result<(String, Vec<String>), Fault> {
        let Some(item) = self.store.get(kind, name) else {
            return Ok((format!("# {} not found", kind.name()), Vec::new()));
        };
        if kind == Kind::System && field(item, "profile").is_empty() {
            return Ok((
                "# image based systems do not have automatic installation files".into(),
                Vec::new(),
            ));
        }
        let Some(mut meta) = blend_with(&self.store, kind, name, false) else {
            return Ok((format!("# {} not found", kind.name()), Vec::new()));
        };
        let autoinstall = meta.get("autoinstall").map(python_str).unwrap_or_default();
        if autoinstall.is_empty() {
            return Ok((
                format!(
                    "# automatic installation file value missing or invalid at {} {name}",
                    kind.name()
                ),
                Vec::new(),
            ));
        }
        top_level_meta(&mut meta);
        let orders = self.store.dict_orders();
        for key in ["kernel_options", "kernel_options_post"] {
            if let Some(value) = meta.get(key) {
                let text = super::options::dict_to_string(value, orders);
                meta.insert(key.to_owned(), Value::String(text));
            }
        }
        let breed = meta.get("breed").map(python_str).unwrap_or_default();
        if breed == "redhat" {
            let stanza = repo_stanza(&meta);
            meta.insert("yum_repo_stanza".into(), Value::String(stanza));
            let config = config_stanza(self.store.settings(), &meta, kind, name);
            meta.insert("yum_config_stanza".into(), Value::String(config));
        }
        if matches!(breed.as_str(), "debian" | "ubuntu")
            && let Some(tree) = meta.get("tree").map(python_str)
        {
            meta.insert(
                "install_source_directory".into(),
                Value::String(url_path(&tree)),
            );
        }
        let Some(text) = self.files.templates.get(&autoinstall).cloned() else {
            return Ok((
                format!("# automatic installation file {autoinstall} not found at {TEMPLATES_DIR}"),
                Vec::new(),
            ));
        };
        let Some(text) = text else {
            return Err(not_faked(&format!(
                "rendering the stock template {autoinstall} (its text is not recorded)"
            )));
        };
        self.render(&text, &meta)
    }

    fn render(
        &self,
        text: &str,
        meta: &IndexMap<String, Value>,
    ) -> Result<(String, Vec<String>), Fault> {
        let snippets = |path: &str| self.files.snippets.get(path).cloned();
        let scope = Scope {
            vars: meta,
            snippet: &snippets,
            unknown: Default::default(),
        };
        match cheetah::render(text, &scope) {
            Ok(out) => Ok((out, scope.unknown.take())),
            Err(Unrendered::Error) => Ok((RENDER_ERROR.to_owned(), vec![RENDER_ERROR.to_owned()])),
            Err(Unrendered::NotFaked(what)) => Err(not_faked(&what)),
        }
    }

    /// `generate_script(profile=None, system=None, name='')`.
    pub fn generate_script(&self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["profile", "system", "name"], 0)?;
        let name = args.get(2).and_then(ValueExt::as_str).unwrap_or("");
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
        if !valid {
            return Err(value_error(
                "\"name\" handed to generate_script was not valid!",
            ));
        }
        let truthy = |i: usize| args.truthy_or(i, false);
        let (kind, object) = if truthy(1) {
            (Kind::System, args.get(1))
        } else {
            (Kind::Profile, args.get(0))
        };
        let object = object.map(python_str_arg).unwrap_or_default();
        if self.store.get(kind, &object).is_none() {
            return Ok(Value::String(format!(
                "# \"{}\" named \"{object}\" not found",
                kind.name()
            )));
        }
        if name == ".." {
            return Ok(Value::String(
                "# script template \"..\" could not be found in the script root".into(),
            ));
        }
        if name == "." {
            return Err(not_faked("generate_script with the name ."));
        }
        if !stock().scripts.iter().any(|s| s == name) {
            return Ok(Value::String(format!(
                "# script template \"{name}\" not found"
            )));
        }
        Err(not_faked(&format!(
            "rendering the stock script {name} (its text is not recorded)"
        )))
    }

    /// `get_template_file_for_profile(name, path)` / `_for_system`.
    pub fn template_file_for(&self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let kind = if method.ends_with("_system") {
            Kind::System
        } else {
            Kind::Profile
        };
        let params: &[&str] = if kind == Kind::System {
            &["system_name", "path"]
        } else {
            &["profile_name", "path"]
        };
        let args = Args::new(method, values, params, 2)?;
        let name = args.get(0).map(python_str_arg).unwrap_or_default();
        if self.store.get(kind, &name).is_none() {
            return Ok(Value::String(format!("# object not found: {name}")));
        }
        let blended = blend_with(&self.store, kind, &name, false).unwrap_or_default();
        let has_templates = blended
            .get("template_files")
            .and_then(ValueExt::as_struct)
            .is_some_and(|t| !t.is_empty());
        if has_templates {
            return Err(not_faked(
                "template_files (the fake cannot read the source files on the server)",
            ));
        }
        Ok(Value::String(format!(
            "# template path not found for specified {}",
            kind.name()
        )))
    }
}

/// An argument as Python's `%s` prints it.
fn python_str_arg(value: &Value) -> String {
    match value {
        Value::Nil => "None".into(),
        other => python_str(other),
    }
}

/// `autoinstall_meta` made top-level variables (and removed), as autoinstallgen does.
fn top_level_meta(meta: &mut IndexMap<String, Value>) {
    if let Some(Value::Struct(extra)) = meta.shift_remove("autoinstall_meta") {
        for (key, value) in extra {
            meta.insert(key, value);
        }
    }
}

/// `generate_repo_stanza`: the profile's repos (none in the fake yet) and the distro's source
/// repos.
fn repo_stanza(meta: &IndexMap<String, Value>) -> String {
    let mut out = String::new();
    let mut included: Vec<String> = Vec::new();
    let sources = meta
        .get("source_repos")
        .and_then(ValueExt::as_array)
        .map(<[Value]>::to_vec)
        .unwrap_or_default();
    for (count, source) in sources.iter().enumerate() {
        let url = source
            .as_array()
            .and_then(|pair| pair.get(1))
            .map(python_str)
            .unwrap_or_default();
        if !included.contains(&url) {
            out.push_str(&format!(
                "repo --name=source-{} --baseurl={url}\n",
                count + 1
            ));
            included.push(url);
        }
    }
    out
}

/// `generate_config_stanza`: the curl line when `yum_post_install_mirror` is on.
fn config_stanza(
    settings: &Settings,
    meta: &IndexMap<String, Value>,
    kind: Kind,
    name: &str,
) -> String {
    if settings.flag("yum_post_install_mirror") != Some(true) {
        return String::new();
    }
    let server = meta.get("http_server").map(python_str).unwrap_or_default();
    format!(
        "curl \"http://{server}/cblr/svc/op/yum/{}/{name}\" --output /etc/yum.repos.d/cobbler-config.repo\n",
        kind.name()
    )
}

/// The path part of a URL (`urllib.parse.urlsplit(url)[2]`).
fn url_path(url: &str) -> String {
    let rest = match url.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(at) => &rest[at..],
            None => "",
        },
        None => url,
    };
    rest.split(['?', '#']).next().unwrap_or("").to_owned()
}
