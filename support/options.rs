//! The command-line options that choose a server and its credentials, shared by the feature
//! runner and the `provspec` command (same flags, same environment variables). Each backend
//! family has the same four options, named by its [`ServerFlags`]: `--url`, `--user`,
//! `--password`, `--password-file` and COBBLER_URL, … for Cobbler; `--ironic-url`, … and
//! IRONIC_URL, … for Ironic.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::backend::{Family, ServerFlags};
use crate::backends::{self, Choice, FAMILIES, Login};
use crate::http::HttpOptions;

/// Which server, where, and as whom. Its `Debug` never shows the passwords.
#[derive(Clone)]
pub struct ServerOptions {
    /// Which backend: one of [`backends::names`]; `fake` (the embedded fake Cobbler) by default.
    pub backend: String,
    /// Each family's URL, user, password and password file, in [`FAMILIES`] order.
    pub families: Vec<FamilyOptions>,
    /// A directory on the server holding the dummy boot files (vmlinuz, initrd.img, bzImage),
    /// for a server on another machine. Without it, provspec writes them to a temporary
    /// directory.
    pub boot_dir: Option<PathBuf>,
    /// Seconds one call to a server over HTTP may take, end to end.
    pub call_timeout: f64,
    /// Seconds to wait for a TCP (and TLS) connection to a server.
    pub connect_timeout: f64,
}

/// One family's server options.
#[derive(Clone, Default)]
pub struct FamilyOptions {
    /// The server's URL.
    pub url: Option<String>,
    /// Who to log in as.
    pub user: Option<String>,
    /// The password (prefer the environment variable, or a file).
    pub password: Option<String>,
    /// A file holding the password (its first line); wins over the password.
    pub password_file: Option<PathBuf>,
}

impl std::fmt::Debug for ServerOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut debug = f.debug_struct("ServerOptions");
        debug.field("backend", &self.backend);
        for (family, options) in FAMILIES.iter().zip(&self.families) {
            debug.field(
                family.name(),
                &(&options.url, &options.user, &options.password_file),
            );
        }
        debug
            .field("boot_dir", &self.boot_dir)
            .field("call_timeout", &self.call_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .finish_non_exhaustive()
    }
}

/// The option ids (and long flags) of a family's four options.
fn ids(flags: &ServerFlags) -> [String; 4] {
    ["url", "user", "password", "password-file"].map(|name| format!("{}{name}", flags.flag_prefix))
}

/// The four options of `family`.
fn family_args(family: &Family) -> [Arg; 4] {
    let flags = &family.server_flags;
    let [url, user, password, password_file] = ids(flags);
    let env = |name: &str| format!("{}_{name}", flags.env_prefix);
    let server = flags.server;
    let backends = family.backends[1..].join(", ");
    [
        Arg::new(url.clone())
            .long(url)
            .env(env("URL"))
            .value_name("URL")
            .help(format!(
                "The {server} URL, e.g. {} (backend {backends})",
                flags.url_example
            )),
        Arg::new(user.clone())
            .long(user)
            .env(env("USER"))
            .value_name("USER")
            .help(match flags.default_login {
                Some((user, _)) => {
                    format!("The {server} user (backend {backends}) [default: {user}]")
                }
                None => format!("The {server} user (backend {backends}); without it, no login"),
            }),
        Arg::new(password.clone())
            .long(password)
            .env(env("PASSWORD"))
            .hide_env_values(true)
            .value_name("PASSWORD")
            .help(format!(
                "The {server} password; prefer the environment variable or a file"
            )),
        Arg::new(password_file.clone())
            .long(password_file)
            .env(env("PASSWORD_FILE"))
            .value_name("PATH")
            .value_parser(clap::value_parser!(PathBuf))
            .help(format!(
                "A file holding the {server} password (its first line); wins over {}",
                env("PASSWORD")
            )),
    ]
}

impl clap::Args for ServerOptions {
    fn augment_args(command: Command) -> Command {
        let command = command.arg(
            Arg::new("backend")
                .long("backend")
                .env("PROVSPEC_BACKEND")
                .default_value("fake")
                .value_parser(clap::builder::PossibleValuesParser::new(backends::names()))
                .help("Which server to talk to: a family's embedded fake (`fake` is the default) or a server of that family"),
        );
        let command = FAMILIES
            .iter()
            .fold(command, |command, family| command.args(family_args(family)));
        command
            .arg(
                Arg::new("boot_dir")
                    .long("boot-dir")
                    .env("PROVSPEC_BOOT_DIR")
                    .value_name("DIR")
                    .value_parser(clap::value_parser!(PathBuf))
                    .help("A directory on the server holding the dummy boot files (vmlinuz, initrd.img, bzImage), for a server on another machine; without it, provspec writes them to a temporary directory"),
            )
            .arg(
                Arg::new("call_timeout")
                    .long("call-timeout")
                    .value_name("SECONDS")
                    .default_value("15")
                    .value_parser(parse_seconds)
                    .action(ArgAction::Set)
                    .help("Seconds one call to a server over HTTP may take, end to end (a call after one that got no answer gets a fifth of it, at least 2 s)"),
            )
            .arg(
                Arg::new("connect_timeout")
                    .long("connect-timeout")
                    .value_name("SECONDS")
                    .default_value("3")
                    .value_parser(parse_seconds)
                    .help("Seconds to wait for a TCP (and TLS) connection to a server"),
            )
    }

    fn augment_args_for_update(command: Command) -> Command {
        Self::augment_args(command)
    }
}

impl clap::FromArgMatches for ServerOptions {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let text = |id: &str| matches.get_one::<String>(id).cloned();
        let families = FAMILIES
            .iter()
            .map(|family| {
                let [url, user, password, password_file] = ids(&family.server_flags);
                FamilyOptions {
                    url: text(&url),
                    user: text(&user),
                    password: text(&password),
                    password_file: matches.get_one::<PathBuf>(&password_file).cloned(),
                }
            })
            .collect();
        Ok(Self {
            backend: text("backend").unwrap_or_else(|| "fake".to_owned()),
            families,
            boot_dir: matches.get_one::<PathBuf>("boot_dir").cloned(),
            call_timeout: *matches.get_one::<f64>("call_timeout").unwrap_or(&15.0),
            connect_timeout: *matches.get_one::<f64>("connect_timeout").unwrap_or(&3.0),
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl ServerOptions {
    /// Every password these options hold, given or in a password file (to keep out of files).
    pub fn secrets(&self) -> Vec<String> {
        self.families
            .iter()
            .flat_map(|family| {
                let from_file = family.password_file.as_ref().and_then(|path| {
                    let text = std::fs::read_to_string(path).ok()?;
                    Some(text.lines().next()?.to_owned())
                });
                family.password.clone().into_iter().chain(from_file)
            })
            .filter(|secret| !secret.is_empty())
            .collect()
    }

    /// The chosen backend's family and its options (the first family's for an unknown name,
    /// which `choice` refuses).
    fn chosen(&self) -> (&'static Family, &FamilyOptions) {
        let index = self.chosen_index();
        (FAMILIES[index], &self.families[index])
    }

    /// The options of the chosen backend's family, to change them (a profile does).
    pub fn chosen_mut(&mut self) -> (&'static Family, &mut FamilyOptions) {
        let index = self.chosen_index();
        (FAMILIES[index], &mut self.families[index])
    }

    /// Where the chosen backend's family stands in [`FAMILIES`] (0 for an unknown name).
    fn chosen_index(&self) -> usize {
        FAMILIES
            .iter()
            .position(|f| f.backends.contains(&self.backend.as_str()))
            .unwrap_or(0)
    }

    /// The option ids of the chosen backend's family: url, user, password, password file.
    pub fn chosen_ids(&self) -> [String; 4] {
        ids(&self.chosen().0.server_flags)
    }

    /// The backend the options choose, with a warning on stderr for a password given on the
    /// command line; a password without a user is a mistake, not noauth.
    pub fn choice(&self) -> Result<Choice, String> {
        for family in FAMILIES {
            let flag = format!("--{}password", family.server_flags.flag_prefix);
            if passed_on_command_line(&flag) {
                eprintln!(
                    "provspec: warning: {flag} on the command line shows in `ps` and in cargo's message when the run fails; set the environment variable or use {flag}-file instead"
                );
            }
        }
        backends::family_of(&self.backend)?;
        // A password without a user is a mistake, not "no login", whichever backend is chosen.
        for (family, options) in FAMILIES.iter().zip(&self.families) {
            let flags = &family.server_flags;
            let password_given = options.password.is_some() || options.password_file.is_some();
            if flags.default_login.is_none() && options.user.is_none() && password_given {
                return Err(format!(
                    "{prefix}_PASSWORD (or --{flag}password) is set but {prefix}_USER is not: give both for {login}, neither for {none}",
                    prefix = flags.env_prefix,
                    flag = flags.flag_prefix,
                    login = flags.login_words.0,
                    none = flags.login_words.1,
                ));
            }
        }
        let (family, options) = self.chosen();
        let flags = &family.server_flags;
        let password = match &options.password_file {
            Some(path) => Some(read_secret(path)?),
            None => options.password.clone(),
        };
        let user = options
            .user
            .clone()
            .or_else(|| flags.default_login.map(|(user, _)| user.to_owned()));
        let login = user.map(|user| Login {
            password: password
                .or_else(|| flags.default_login.map(|(_, p)| p.to_owned()))
                .unwrap_or_default(),
            user,
        });
        Ok(Choice {
            backend: self.backend.clone(),
            url: options.url.clone(),
            login,
            boot_dir: self.boot_dir.clone(),
            http: HttpOptions {
                connect_timeout: Duration::from_secs_f64(self.connect_timeout),
                request_timeout: Duration::from_secs_f64(self.call_timeout),
            },
        })
    }

    /// The options that point another command at the same server, for messages such as the
    /// command that sweeps a run: backend, URL, user and password file (a password comes from
    /// the environment or that file, never from a printed command line).
    pub fn server_flags(&self) -> String {
        let mut flags = format!("--backend {}", self.backend);
        let (family, options) = self.chosen();
        if family.backends.first() == Some(&self.backend.as_str()) {
            return flags;
        }
        let prefix = family.server_flags.flag_prefix;
        if let Some(url) = &options.url {
            let url = crate::http::hide_userinfo(url);
            flags.push_str(&format!(" --{prefix}url {url}"));
        }
        if let Some(user) = &options.user {
            flags.push_str(&format!(" --{prefix}user {user}"));
        }
        if let Some(file) = &options.password_file {
            flags.push_str(&format!(" --{prefix}password-file {}", file.display()));
        }
        flags
    }
}

/// True when `flag` (`--password`) was given on the command line, not through the environment.
fn passed_on_command_line(flag: &str) -> bool {
    std::env::args().any(|arg| arg == flag || arg.starts_with(&format!("{flag}=")))
}

/// The first line of the file at `path` (a password), or one clear message.
fn read_secret(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map(|text| text.lines().next().unwrap_or("").to_owned())
        .map_err(|e| format!("cannot read the password file {}: {e}", path.display()))
}

/// A run id given on the command line: 1 to 12 lower-case letters or digits.
pub fn parse_run_id(text: &str) -> Result<String, String> {
    let valid = (1..=12).contains(&text.len())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if valid {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "{text:?} is not a run id: use 1 to 12 lower-case letters or digits"
        ))
    }
}

/// A positive number of seconds (`15`, `0.5`).
pub fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds.is_finite() && seconds < 1e6 => Ok(seconds),
        _ => Err(format!(
            "{text:?} is not a number of seconds: give a positive number, e.g. 15 or 0.5"
        )),
    }
}
