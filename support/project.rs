//! `provspec.toml`, the project file QA keep next to their features.
//!
//! provspec looks for it in the current directory and then in each folder above, the way
//! cargo finds `Cargo.toml` ([`find`]); the nearest one wins. [`Project::load`] reads and
//! checks it:
//!
//! ```toml
//! # paths are relative to this file's folder
//! features = ["features", "more/one.feature"]   # what `provspec run` runs when given no path
//! factories = "factories"                        # folder holding the factory books (FAMILY.toml)
//! servers = "servers/servers.toml"               # server definitions file
//!
//! [profile.staging]
//! backend = "cobbler"
//! url = "http://cobbler.example:25151/"
//! user = "qa"
//! password_file = "secrets/staging.txt"
//! call_timeout = 20
//! connect_timeout = 3
//! boot_dir = "/srv/boot"
//!
//! [profile.lab-ironic]
//! backend = "ironic"
//! url = "http://127.0.0.1:6385"
//! user = "admin"            # optional: http_basic when given
//! password_file = "ironic.pw"
//! ```
//!
//! Every top-level key is optional. `features` is a list of paths (a single path is taken as
//! a list of one). A `[profile.NAME]` needs `backend`, a non-empty string this module does
//! not check further (the caller knows the backends); `url` and `user` are strings,
//! `password_file` and `boot_dir` paths, `call_timeout` and `connect_timeout` positive
//! numbers of seconds (integer or float).
//!
//! Relative paths are read from the file's folder and absolute ones are kept. `features`,
//! `factories`, `servers` and each `password_file` must exist; `boot_dir` is a path on the
//! server and is not checked. Secrets never go in the file: a `password` key is refused.
//! Unknown keys are errors, and every error names the file and the line, like a compiler.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The name of the project file.
pub const FILE_NAME: &str = "provspec.toml";

/// The keys allowed at the top level of the file, in the order messages list them.
pub const TOP_KEYS: &[&str] = &["features", "factories", "servers", "profile"];

/// The keys allowed in a `[profile.NAME]`, in the order messages list them.
pub const PROFILE_KEYS: &[&str] = &[
    "backend",
    "url",
    "user",
    "password_file",
    "boot_dir",
    "call_timeout",
    "connect_timeout",
];

/// The nearest provspec.toml in `start` or a folder above it.
///
/// `start` is first made absolute (symlinks resolved, as the system reports the current
/// directory), so the search goes up to the filesystem root; the answer is absolute.
/// A folder that happens to be named `provspec.toml` is not a project file.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start)
        .or_else(|_| std::path::absolute(start))
        .unwrap_or_else(|_| start.to_path_buf());
    start
        .ancestors()
        .map(|folder| folder.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// A checked project file.
#[derive(Clone, Debug, PartialEq)]
pub struct Project {
    /// The provspec.toml read (absolute if given absolute).
    pub file: PathBuf,
    /// Its folder (`.` when the file was named without one).
    pub root: PathBuf,
    /// What `provspec run` runs when given no path, resolved against `root`; empty when the
    /// key is absent.
    pub features: Vec<PathBuf>,
    /// The folder holding the factory books (`FAMILY.toml`), resolved against `root`.
    pub factories: Option<PathBuf>,
    /// The server definitions file, resolved against `root`.
    pub servers: Option<PathBuf>,
    /// The `[profile.NAME]` sections, by name, in file order.
    pub profiles: IndexMap<String, Profile>,
}

/// One `[profile.NAME]`: where a run's backend is and how to reach it.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// NAME of `[profile.NAME]`.
    pub name: String,
    /// The backend (`cobbler`, `ironic`, ...), unchecked: the caller knows the list.
    pub backend: String,
    /// The backend's address.
    pub url: Option<String>,
    /// The user to log in as.
    pub user: Option<String>,
    /// The file holding the password, resolved against the project's root; it exists.
    pub password_file: Option<PathBuf>,
    /// The boot folder on the server (not checked: it is not a local path).
    pub boot_dir: Option<PathBuf>,
    /// The limit on one call, in seconds.
    pub call_timeout: Option<f64>,
    /// The limit on connecting, in seconds.
    pub connect_timeout: Option<f64>,
    /// The line where `[profile.NAME]` starts, 1-based.
    pub line: usize,
    /// The line of `password_file`, checked only when the profile is chosen (a secret one
    /// machine has need not exist on another).
    pub password_file_line: usize,
}

/// What is wrong with a project file. Lines are 1-based; a `table` of `None` is the top
/// level, `Some("profile.staging")` the table `[profile.staging]`.
#[derive(Clone, Debug, thiserror::Error)]
pub enum ProjectError {
    /// The file could not be read.
    #[error("{}: cannot read it: {source}", file.display())]
    Read {
        /// The file.
        file: PathBuf,
        /// Why.
        source: Arc<std::io::Error>,
    },
    /// The text is not TOML.
    #[error("{}:{line}: invalid TOML: {message}", file.display())]
    Syntax {
        /// The file.
        file: PathBuf,
        /// Where the parser stopped.
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// A key the file does not hold.
    #[error(
        "{}:{line}: unknown key `{key}` {}; known keys: {}",
        file.display(),
        table.as_deref().map_or_else(|| "at the top level".to_owned(), |t| format!("in [{t}]")),
        known.join(", ")
    )]
    UnknownKey {
        /// The file.
        file: PathBuf,
        /// The key's line.
        line: usize,
        /// The key.
        key: String,
        /// The table holding it.
        table: Option<String>,
        /// The keys that table may hold.
        known: &'static [&'static str],
    },
    /// A value of the wrong type or out of range (`call_timeout = "x"`, `backend = ""`).
    #[error("{}:{line}: `{key}`{} must be {expected}, not {found}", file.display(), within(table.as_deref()))]
    Invalid {
        /// The file.
        file: PathBuf,
        /// The value's line.
        line: usize,
        /// The key.
        key: String,
        /// The table holding it.
        table: Option<String>,
        /// What it should be (`a positive number of seconds`).
        expected: &'static str,
        /// What it is (`string "x"`).
        found: String,
    },
    /// A path that must exist does not.
    #[error(
        "{}:{line}: `{key}`{} names {}, which does not exist",
        file.display(),
        within(table.as_deref()),
        path.display()
    )]
    Missing {
        /// The file.
        file: PathBuf,
        /// The path's line.
        line: usize,
        /// The key naming it.
        key: String,
        /// The table holding the key.
        table: Option<String>,
        /// The path, resolved against the project's root.
        path: PathBuf,
    },
    /// A profile without `backend`.
    #[error("{}:{line}: [profile.{profile}] has no `backend` (cobbler, ironic, ...)", file.display())]
    NoBackend {
        /// The file.
        file: PathBuf,
        /// The line of `[profile.NAME]`.
        line: usize,
        /// NAME.
        profile: String,
    },
    /// A `password` in a profile: secrets stay out of the file.
    #[error(
        "{}:{line}: `password` is not allowed in a profile: put the password in a file and name it with password_file",
        file.display()
    )]
    Password {
        /// The file.
        file: PathBuf,
        /// The key's line.
        line: usize,
        /// The profile holding it.
        profile: String,
    },
    /// [`Project::profile`] was asked for a profile the file does not define.
    #[error(
        "{}: no profile named {name:?}; known profiles: {}",
        file.display(),
        if known.is_empty() { "none".to_owned() } else { known.join(", ") }
    )]
    UnknownProfile {
        /// The file.
        file: PathBuf,
        /// The name asked for.
        name: String,
        /// The profiles it defines, in file order.
        known: Vec<String>,
    },
}

/// ` in [TABLE]`, or nothing at the top level.
fn within(table: Option<&str>) -> String {
    table.map_or_else(String::new, |t| format!(" in [{t}]"))
}

impl Project {
    /// Reads and checks the file: every relative path is read from the file's folder.
    pub fn load(file: &Path) -> Result<Project, ProjectError> {
        let text = std::fs::read_to_string(file).map_err(|e| ProjectError::Read {
            file: file.to_path_buf(),
            source: Arc::new(e),
        })?;
        Self::parse(file, &text)
    }

    /// Parses text as if read from `file` (for tests; load uses it). The checks are those
    /// of [`Project::load`], paths' existence included.
    pub fn parse(file: &Path, text: &str) -> Result<Project, ProjectError> {
        let document = DeTable::parse(text).map_err(|e| ProjectError::Syntax {
            file: file.to_path_buf(),
            line: e.span().map_or(1, |span| line_at(text, span.start)),
            message: e.message().to_owned(),
        })?;
        let root = match file.parent() {
            Some(folder) if !folder.as_os_str().is_empty() => folder.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let reader = Reader {
            file,
            root: &root,
            text,
        };
        let mut project = Project {
            file: file.to_path_buf(),
            root: root.clone(),
            features: Vec::new(),
            factories: None,
            servers: None,
            profiles: IndexMap::new(),
        };
        for (key, value) in document.get_ref() {
            match key.get_ref().as_ref() {
                "features" => project.features = reader.features(value)?,
                "factories" => project.factories = Some(reader.path("factories", None, value)?),
                "servers" => project.servers = Some(reader.path("servers", None, value)?),
                "profile" => project.profiles = reader.profiles(value)?,
                _ => return Err(reader.unknown(key, None, TOP_KEYS)),
            }
        }
        Ok(project)
    }

    /// The profile named `name`, its password file checked, or
    /// [`ProjectError::UnknownProfile`] listing the known ones.
    pub fn profile(&self, name: &str) -> Result<&Profile, ProjectError> {
        let profile = self
            .profiles
            .get(name)
            .ok_or_else(|| ProjectError::UnknownProfile {
                file: self.file.clone(),
                name: name.to_owned(),
                known: self.profiles.keys().cloned().collect(),
            })?;
        match &profile.password_file {
            Some(path) if !path.exists() => Err(ProjectError::Missing {
                file: self.file.clone(),
                line: profile.password_file_line,
                key: "password_file".to_owned(),
                table: Some(format!("profile.{name}")),
                path: path.clone(),
            }),
            _ => Ok(profile),
        }
    }
}

/// The 1-based line of byte `offset` in `text`.
fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A value as messages show it: `string "x"`, `integer 0`, `a table`.
fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(text) => format!("string {text:?}"),
        DeValue::Integer(number) => format!("integer {number}"),
        DeValue::Float(number) => format!("float {number}"),
        DeValue::Boolean(flag) => format!("boolean {flag}"),
        DeValue::Datetime(moment) => format!("datetime {moment}"),
        DeValue::Array(_) => "an array".to_owned(),
        DeValue::Table(_) => "a table".to_owned(),
    }
}

type Key<'i> = Spanned<Cow<'i, str>>;
type Value<'i> = Spanned<DeValue<'i>>;

/// The file being checked: turns spans into lines and builds errors.
struct Reader<'a> {
    file: &'a Path,
    root: &'a Path,
    text: &'a str,
}

impl Reader<'_> {
    fn line<T>(&self, spanned: &Spanned<T>) -> usize {
        line_at(self.text, spanned.span().start)
    }

    fn unknown(
        &self,
        key: &Key<'_>,
        table: Option<&str>,
        known: &'static [&'static str],
    ) -> ProjectError {
        ProjectError::UnknownKey {
            file: self.file.to_path_buf(),
            line: self.line(key),
            key: key.get_ref().to_string(),
            table: table.map(str::to_owned),
            known,
        }
    }

    fn invalid(
        &self,
        key: &str,
        table: Option<&str>,
        value: &Value<'_>,
        expected: &'static str,
    ) -> ProjectError {
        ProjectError::Invalid {
            file: self.file.to_path_buf(),
            line: self.line(value),
            key: key.to_owned(),
            table: table.map(str::to_owned),
            expected,
            found: describe(value.get_ref()),
        }
    }

    /// A string value.
    fn string(
        &self,
        key: &str,
        table: Option<&str>,
        value: &Value<'_>,
    ) -> Result<String, ProjectError> {
        match value.get_ref() {
            DeValue::String(text) => Ok(text.to_string()),
            _ => Err(self.invalid(key, table, value, "a string")),
        }
    }

    /// A non-empty string value, as a path, unresolved.
    fn raw_path(
        &self,
        key: &str,
        table: Option<&str>,
        value: &Value<'_>,
    ) -> Result<PathBuf, ProjectError> {
        match value.get_ref() {
            DeValue::String(text) if !text.is_empty() => Ok(PathBuf::from(text.as_ref())),
            _ => Err(self.invalid(key, table, value, "a non-empty path")),
        }
    }

    /// A path that must exist, resolved against the root (absolute paths kept).
    fn path(
        &self,
        key: &str,
        table: Option<&str>,
        value: &Value<'_>,
    ) -> Result<PathBuf, ProjectError> {
        let path = self.root.join(self.raw_path(key, table, value)?);
        if path.exists() {
            return Ok(path);
        }
        Err(ProjectError::Missing {
            file: self.file.to_path_buf(),
            line: self.line(value),
            key: key.to_owned(),
            table: table.map(str::to_owned),
            path,
        })
    }

    /// `features`: a list of existing paths, or a single one.
    fn features(&self, value: &Value<'_>) -> Result<Vec<PathBuf>, ProjectError> {
        match value.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .map(|item| match item.get_ref() {
                    DeValue::String(_) => self.path("features", None, item),
                    _ => Err(self.invalid("features", None, item, "a path")),
                })
                .collect(),
            DeValue::String(_) => Ok(vec![self.path("features", None, value)?]),
            _ => Err(self.invalid("features", None, value, "a list of paths")),
        }
    }

    /// A positive, finite number of seconds, integer or float.
    fn seconds(
        &self,
        key: &str,
        table: Option<&str>,
        value: &Value<'_>,
    ) -> Result<f64, ProjectError> {
        let seconds = match value.get_ref() {
            DeValue::Integer(number) => i64::from_str_radix(number.as_str(), number.radix())
                .ok()
                .map(|n| n as f64),
            DeValue::Float(number) => number.as_str().parse::<f64>().ok(),
            _ => None,
        };
        match seconds {
            Some(seconds) if seconds.is_finite() && seconds > 0.0 && seconds < 1e6 => Ok(seconds),
            _ => Err(self.invalid(
                key,
                table,
                value,
                "a positive number of seconds below 1000000",
            )),
        }
    }

    /// The `[profile]` table: its `[profile.NAME]` tables, in file order.
    fn profiles(&self, value: &Value<'_>) -> Result<IndexMap<String, Profile>, ProjectError> {
        let DeValue::Table(entries) = value.get_ref() else {
            return Err(self.invalid("profile", None, value, "a table of [profile.NAME] sections"));
        };
        let mut profiles = IndexMap::new();
        for (name, body) in entries {
            let DeValue::Table(body) = body.get_ref() else {
                return Err(self.invalid(
                    name.get_ref(),
                    Some("profile"),
                    body,
                    "a table ([profile.NAME])",
                ));
            };
            let profile = self.profile(name, body)?;
            profiles.insert(profile.name.clone(), profile);
        }
        Ok(profiles)
    }

    /// One `[profile.NAME]`.
    fn profile(&self, name: &Key<'_>, body: &DeTable<'_>) -> Result<Profile, ProjectError> {
        let mut profile = Profile {
            name: name.get_ref().to_string(),
            backend: String::new(),
            url: None,
            user: None,
            password_file: None,
            boot_dir: None,
            call_timeout: None,
            connect_timeout: None,
            line: self.line(name),
            password_file_line: 0,
        };
        let table = format!("profile.{}", profile.name);
        let table = Some(table.as_str());
        for (key, value) in body {
            match key.get_ref().as_ref() {
                "backend" => match value.get_ref() {
                    DeValue::String(text) if !text.is_empty() => profile.backend = text.to_string(),
                    _ => return Err(self.invalid("backend", table, value, "a non-empty string")),
                },
                "url" => profile.url = Some(self.string("url", table, value)?),
                "user" => profile.user = Some(self.string("user", table, value)?),
                "password_file" => {
                    let path = self.raw_path("password_file", table, value)?;
                    profile.password_file = Some(self.root.join(path));
                    profile.password_file_line = self.line(value);
                }
                "boot_dir" => profile.boot_dir = Some(self.raw_path("boot_dir", table, value)?),
                "call_timeout" => {
                    profile.call_timeout = Some(self.seconds("call_timeout", table, value)?);
                }
                "connect_timeout" => {
                    profile.connect_timeout =
                        Some(self.seconds("connect_timeout", table, value)?);
                }
                "password" => {
                    return Err(ProjectError::Password {
                        file: self.file.to_path_buf(),
                        line: self.line(key),
                        profile: profile.name,
                    });
                }
                _ => return Err(self.unknown(key, table, PROFILE_KEYS)),
            }
        }
        if profile.backend.is_empty() {
            return Err(ProjectError::NoBackend {
                file: self.file.to_path_buf(),
                line: profile.line,
                profile: profile.name,
            });
        }
        Ok(profile)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use tempfile::TempDir;

    const EXAMPLE: &str = r#"# paths are relative to this file's folder
features = ["features", "more/one.feature"]   # what `provspec run` runs when given no path
factories = "factories"                        # folder holding the factory books (FAMILY.toml)
servers = "servers/servers.toml"               # server definitions file

[profile.staging]
backend = "cobbler"
url = "http://cobbler.example:25151/"
user = "qa"
password_file = "secrets/staging.txt"
call_timeout = 20
connect_timeout = 3
boot_dir = "/srv/boot"

[profile.lab-ironic]
backend = "ironic"
url = "http://127.0.0.1:6385"
user = "admin"            # optional: http_basic when given
password_file = "ironic.pw"
"#;

    /// A temporary folder holding `paths` (a trailing `/` makes a folder, else a file).
    fn tree(paths: &[&str]) -> TempDir {
        let dir = tempfile::tempdir().unwrap();
        for path in paths {
            let full = dir.path().join(path);
            if path.ends_with('/') {
                fs::create_dir_all(&full).unwrap();
            } else {
                fs::create_dir_all(full.parent().unwrap()).unwrap();
                fs::write(&full, "x").unwrap();
            }
        }
        dir
    }

    /// The example's folder, with every path it names.
    fn example_tree() -> TempDir {
        tree(&[
            "features/",
            "more/one.feature",
            "factories/",
            "servers/servers.toml",
            "secrets/staging.txt",
            "ironic.pw",
        ])
    }

    /// Writes `text` as the folder's provspec.toml and loads it.
    fn load(dir: &TempDir, text: &str) -> Result<Project, ProjectError> {
        let file = dir.path().join(FILE_NAME);
        fs::write(&file, text).unwrap();
        Project::load(&file)
    }

    /// The message of loading `text` in the example's folder, the folder's path replaced by `DIR`.
    fn error(text: &str) -> String {
        let dir = example_tree();
        let message = load(&dir, text).unwrap_err().to_string();
        message.replace(dir.path().to_str().unwrap(), "DIR")
    }

    #[test]
    fn the_example_parses_with_resolved_paths() {
        let dir = example_tree();
        let root = dir.path();
        let project = load(&dir, EXAMPLE).unwrap();
        assert_eq!(project.file, root.join(FILE_NAME));
        assert_eq!(project.root, root);
        assert_eq!(
            project.features,
            [root.join("features"), root.join("more/one.feature")]
        );
        assert_eq!(project.factories, Some(root.join("factories")));
        assert_eq!(project.servers, Some(root.join("servers/servers.toml")));
        let staging = project.profile("staging").unwrap();
        assert_eq!(
            *staging,
            Profile {
                name: "staging".into(),
                backend: "cobbler".into(),
                url: Some("http://cobbler.example:25151/".into()),
                user: Some("qa".into()),
                password_file: Some(root.join("secrets/staging.txt")),
                boot_dir: Some(PathBuf::from("/srv/boot")),
                call_timeout: Some(20.0),
                connect_timeout: Some(3.0),
                line: 6,
                password_file_line: 10,
            }
        );
        let ironic = project.profile("lab-ironic").unwrap();
        assert_eq!(
            *ironic,
            Profile {
                name: "lab-ironic".into(),
                backend: "ironic".into(),
                url: Some("http://127.0.0.1:6385".into()),
                user: Some("admin".into()),
                password_file: Some(root.join("ironic.pw")),
                boot_dir: None,
                call_timeout: None,
                connect_timeout: None,
                line: 15,
                password_file_line: 19,
            }
        );
    }

    #[test]
    fn profiles_keep_file_order_and_lines() {
        let dir = tree(&[]);
        let text = "[profile.zeta]\nbackend = \"a\"\n\n[profile.alpha]\nbackend = \"b\"\n\
                    [profile.mid]\nbackend = \"c\"\ncall_timeout = 2.5\n";
        let project = load(&dir, text).unwrap();
        let order: Vec<(&str, usize)> = project
            .profiles
            .values()
            .map(|p| (p.name.as_str(), p.line))
            .collect();
        assert_eq!(order, [("zeta", 1), ("alpha", 4), ("mid", 6)]);
        assert_eq!(project.profiles["mid"].call_timeout, Some(2.5));
    }

    #[test]
    fn absent_keys_give_empty_and_none() {
        let dir = tree(&[]);
        let project = load(&dir, "# nothing yet\n").unwrap();
        assert_eq!(project.root, dir.path());
        assert!(project.features.is_empty());
        assert_eq!(project.factories, None);
        assert_eq!(project.servers, None);
        assert!(project.profiles.is_empty());
        let minimal = load(&dir, "[profile.p]\nbackend = \"cobbler\"\n").unwrap();
        let p = &minimal.profiles["p"];
        assert_eq!((p.url.as_ref(), p.user.as_ref()), (None, None));
        assert_eq!(
            (p.password_file.as_ref(), p.boot_dir.as_ref()),
            (None, None)
        );
        assert_eq!((p.call_timeout, p.connect_timeout), (None, None));
    }

    #[test]
    fn absolute_paths_are_kept_and_a_single_feature_path_is_a_list() {
        let elsewhere = example_tree();
        let abs = |p: &str| elsewhere.path().join(p);
        let dir = tree(&[]);
        let text = format!(
            "features = {:?}\nfactories = {:?}\nservers = {:?}\n[profile.p]\nbackend = \"x\"\npassword_file = {:?}\n",
            abs("features"),
            abs("factories"),
            abs("servers/servers.toml"),
            abs("ironic.pw"),
        );
        let project = load(&dir, &text).unwrap();
        assert_eq!(project.features, [abs("features")]);
        assert_eq!(project.factories, Some(abs("factories")));
        assert_eq!(project.servers, Some(abs("servers/servers.toml")));
        assert_eq!(project.profiles["p"].password_file, Some(abs("ironic.pw")));
    }

    #[test]
    fn a_file_named_without_a_folder_reads_from_the_current_one() {
        let project =
            Project::parse(Path::new(FILE_NAME), "[profile.p]\nbackend = \"x\"\n").unwrap();
        assert_eq!(project.file, Path::new(FILE_NAME));
        assert_eq!(project.root, Path::new("."));
    }

    #[test]
    fn find_goes_up_to_the_nearest_file() {
        let dir = tree(&[
            "a/b/c/",
            "provspec.toml",
            "a/x/provspec.toml",
            "a/b/provspec.toml/",
        ]);
        let root = fs::canonicalize(dir.path()).unwrap();
        // a/b holds a folder named provspec.toml: not a project file.
        assert_eq!(find(&root.join("a/b/c")), Some(root.join(FILE_NAME)));
        assert_eq!(
            find(&root.join("a/x")),
            Some(root.join("a/x").join(FILE_NAME))
        );
        assert_eq!(find(&root), Some(root.join(FILE_NAME)));
    }

    #[test]
    fn find_stops_at_the_filesystem_root() {
        let dir = tree(&["deep/er/"]);
        let start = fs::canonicalize(dir.path().join("deep/er")).unwrap();
        if let Some(above) = start.ancestors().find(|a| a.join(FILE_NAME).is_file()) {
            eprintln!("skipped: {} holds a {FILE_NAME}", above.display());
            return;
        }
        assert_eq!(find(&start), None);
        assert_eq!(find(Path::new("/")), None);
    }

    #[test]
    fn unknown_profile_lists_the_known_ones() {
        let dir = example_tree();
        let project = load(&dir, EXAMPLE).unwrap();
        let file = dir.path().join(FILE_NAME);
        let message = project.profile("stagin").unwrap_err().to_string();
        assert_eq!(
            message,
            format!(
                "{}: no profile named \"stagin\"; known profiles: staging, lab-ironic",
                file.display()
            )
        );
        let empty = Project::parse(Path::new(FILE_NAME), "").unwrap();
        assert_eq!(
            empty.profile("staging").unwrap_err().to_string(),
            "provspec.toml: no profile named \"staging\"; known profiles: none"
        );
    }

    #[test]
    fn an_unknown_profile_key_names_the_table_and_the_known_keys() {
        let text = "features = []\n\n[profile.staging]\nbackend = \"cobbler\"\nurl = \"http://x/\"\n\npasword_file = \"secrets/staging.txt\"\n";
        assert_eq!(
            error(text),
            "DIR/provspec.toml:7: unknown key `pasword_file` in [profile.staging]; known keys: \
             backend, url, user, password_file, boot_dir, call_timeout, connect_timeout"
        );
    }

    #[test]
    fn an_unknown_top_level_key_is_refused() {
        assert_eq!(
            error("factories = \"factories\"\nfeature = [\"features\"]\n"),
            "DIR/provspec.toml:2: unknown key `feature` at the top level; known keys: \
             features, factories, servers, profile"
        );
    }

    #[test]
    fn a_missing_path_names_the_key_the_file_and_the_line() {
        assert_eq!(
            error("features = [\"features\"]\n\nfactories = \"factoriez\"\n"),
            "DIR/provspec.toml:3: `factories` names DIR/factoriez, which does not exist"
        );
        assert_eq!(
            error("features = [\n  \"features\",\n  \"more/two.feature\",\n]\n"),
            "DIR/provspec.toml:3: `features` names DIR/more/two.feature, which does not exist"
        );
        assert_eq!(
            error("servers = \"servers.toml\"\n"),
            "DIR/provspec.toml:1: `servers` names DIR/servers.toml, which does not exist"
        );
        // A profile's password file is checked only when the profile is chosen.
        let dir = example_tree();
        let project = load(
            &dir,
            "[profile.s]\nbackend = \"cobbler\"\npassword_file = \"nope.txt\"\n",
        )
        .expect("the file loads: no profile is chosen yet");
        assert_eq!(
            project
                .profile("s")
                .expect_err("its password file is missing")
                .to_string()
                .replace(dir.path().to_str().unwrap(), "DIR"),
            "DIR/provspec.toml:3: `password_file` in [profile.s] names DIR/nope.txt, which does not exist"
        );
    }

    #[test]
    fn boot_dir_is_not_checked() {
        let dir = tree(&[]);
        let project = load(
            &dir,
            "[profile.p]\nbackend = \"x\"\nboot_dir = \"srv/nowhere\"\n",
        )
        .unwrap();
        assert_eq!(
            project.profiles["p"].boot_dir,
            Some(PathBuf::from("srv/nowhere"))
        );
    }

    #[test]
    fn a_profile_without_backend_is_refused_at_its_header() {
        let text = "factories = \"factories\"\n\n[profile.ok]\nbackend = \"ironic\"\n\n\n\n\n\n\n\n[profile.staging]\nurl = \"http://x/\"\n";
        assert_eq!(
            error(text),
            "DIR/provspec.toml:12: [profile.staging] has no `backend` (cobbler, ironic, ...)"
        );
        assert_eq!(
            error("[profile.staging]\nbackend = \"\"\n"),
            "DIR/provspec.toml:2: `backend` in [profile.staging] must be a non-empty string, not string \"\""
        );
    }

    #[test]
    fn a_password_is_refused() {
        let dir = example_tree();
        let text =
            "[profile.staging]\nbackend = \"cobbler\"\nuser = \"qa\"\npassword = \"hunter2\"\n";
        let err = load(&dir, text).unwrap_err();
        assert!(
            matches!(&err, ProjectError::Password { line: 4, profile, .. } if profile == "staging")
        );
        assert_eq!(
            err.to_string().replace(dir.path().to_str().unwrap(), "DIR"),
            "DIR/provspec.toml:4: `password` is not allowed in a profile: put the password in a file \
             and name it with password_file"
        );
        assert!(!err.to_string().contains("hunter2"));
    }

    #[test]
    fn a_syntax_error_has_its_line() {
        let err = Project::parse(
            Path::new("p/provspec.toml"),
            "features = []\n\n[profile.a]\nbackend = cobbler\n",
        )
        .unwrap_err();
        assert!(
            matches!(err, ProjectError::Syntax { line: 4, .. }),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "p/provspec.toml:4: invalid TOML: string values must be quoted, expected literal string"
        );
        let duplicate = "[profile.a]\nbackend = \"x\"\n[profile.a]\nbackend = \"y\"\n";
        assert_eq!(
            error(duplicate),
            "DIR/provspec.toml:3: invalid TOML: duplicate key"
        );
    }

    #[test]
    fn wrong_types_have_their_line() {
        let text = "[profile.staging]\nbackend = \"cobbler\"\n\ncall_timeout = \"x\"\n";
        assert_eq!(
            error(text),
            "DIR/provspec.toml:4: `call_timeout` in [profile.staging] must be a positive number of seconds below 1000000, not string \"x\""
        );
        let cases = [
            (
                "[profile.s]\nbackend = \"c\"\nconnect_timeout = 0\n",
                "DIR/provspec.toml:3: `connect_timeout` in [profile.s] must be a positive number of seconds below 1000000, not integer 0",
            ),
            (
                "[profile.s]\nbackend = \"c\"\nconnect_timeout = -1.5\n",
                "DIR/provspec.toml:3: `connect_timeout` in [profile.s] must be a positive number of seconds below 1000000, not float -1.5",
            ),
            (
                "[profile.s]\nbackend = \"c\"\ncall_timeout = inf\n",
                "DIR/provspec.toml:3: `call_timeout` in [profile.s] must be a positive number of seconds below 1000000, not float inf",
            ),
            (
                "[profile.s]\nbackend = 3\n",
                "DIR/provspec.toml:2: `backend` in [profile.s] must be a non-empty string, not integer 3",
            ),
            (
                "[profile.s]\nbackend = \"c\"\nurl = true\n",
                "DIR/provspec.toml:3: `url` in [profile.s] must be a string, not boolean true",
            ),
            (
                "[profile.s]\nbackend = \"c\"\nboot_dir = []\n",
                "DIR/provspec.toml:3: `boot_dir` in [profile.s] must be a non-empty path, not an array",
            ),
            (
                "factories = 1\n",
                "DIR/provspec.toml:1: `factories` must be a non-empty path, not integer 1",
            ),
            (
                "\nfeatures = [\"features\", 2]\n",
                "DIR/provspec.toml:2: `features` must be a path, not integer 2",
            ),
            (
                "features = { a = 1 }\n",
                "DIR/provspec.toml:1: `features` must be a list of paths, not a table",
            ),
            (
                "profile = \"staging\"\n",
                "DIR/provspec.toml:1: `profile` must be a table of [profile.NAME] sections, not string \"staging\"",
            ),
            (
                "[profile]\nstaging = \"cobbler\"\n",
                "DIR/provspec.toml:2: `staging` in [profile] must be a table ([profile.NAME]), not string \"cobbler\"",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(error(text), expected, "{text}");
        }
    }

    #[test]
    fn numbers_may_be_integers_or_floats_in_any_toml_form() {
        let dir = tree(&[]);
        let text = "[profile.s]\nbackend = \"c\"\ncall_timeout = 1_000\nconnect_timeout = 0x1F\n[profile.t]\nbackend = \"c\"\ncall_timeout = 2.5e1\nconnect_timeout = 0.25\n";
        let project = load(&dir, text).unwrap();
        let s = &project.profiles["s"];
        assert_eq!(
            (s.call_timeout, s.connect_timeout),
            (Some(1000.0), Some(31.0))
        );
        let t = &project.profiles["t"];
        assert_eq!(
            (t.call_timeout, t.connect_timeout),
            (Some(25.0), Some(0.25))
        );
    }

    #[test]
    fn an_unreadable_file_gives_the_io_error() {
        let dir = tree(&[]);
        let file = dir.path().join(FILE_NAME);
        let err = Project::load(&file).unwrap_err();
        let ProjectError::Read { source, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        assert_eq!(
            err.to_string(),
            format!("{}: cannot read it: {source}", file.display())
        );
        assert!(std::error::Error::source(&err).is_some());
    }
}
