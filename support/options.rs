//! The command-line options that choose a server and its credentials, shared by the feature
//! runner and the `provspec` command (same flags, same environment variables).

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::backends::{self, Choice};
use crate::cobbler::session::Credentials;
use crate::http::HttpOptions;
use crate::ironic::rest::BasicAuth;

/// Which server, where, and as whom. Its `Debug` never shows the passwords.
#[derive(clap::Args, Clone)]
pub struct ServerOptions {
    /// Which server to talk to: `fake` (the embedded fake Cobbler, default), `cobbler`,
    /// `fake-ironic` (the embedded fake Ironic) or `ironic`.
    #[arg(long, env = "PROVSPEC_BACKEND", default_value = "fake", value_parser = clap::builder::PossibleValuesParser::new(backends::names()))]
    pub backend: String,
    /// The Cobbler XML-RPC URL, e.g. http://127.0.0.1:25151/ (backend cobbler).
    #[arg(long, env = "COBBLER_URL")]
    pub url: Option<String>,
    /// The Cobbler user (backend cobbler).
    #[arg(long, env = "COBBLER_USER", default_value = "cobbler")]
    pub user: String,
    /// The Cobbler password (backend cobbler); prefer the environment variable.
    #[arg(
        long,
        env = "COBBLER_PASSWORD",
        hide_env_values = true,
        default_value = "cobbler"
    )]
    pub password: String,
    /// A file holding the Cobbler password (its first line); wins over COBBLER_PASSWORD.
    #[arg(long, env = "COBBLER_PASSWORD_FILE", value_name = "PATH")]
    pub password_file: Option<PathBuf>,
    /// The Ironic API URL, e.g. http://127.0.0.1:6385 (backend ironic).
    #[arg(long, env = "IRONIC_URL")]
    pub ironic_url: Option<String>,
    /// The Ironic user for http_basic (backend ironic); without it, noauth.
    #[arg(long, env = "IRONIC_USER")]
    pub ironic_user: Option<String>,
    /// The Ironic password for http_basic; prefer the environment variable.
    #[arg(long, env = "IRONIC_PASSWORD", hide_env_values = true)]
    pub ironic_password: Option<String>,
    /// A file holding the Ironic password (its first line); wins over IRONIC_PASSWORD.
    #[arg(long, env = "IRONIC_PASSWORD_FILE", value_name = "PATH")]
    pub ironic_password_file: Option<PathBuf>,
    /// A directory on the Cobbler server holding vmlinuz, initrd.img and bzImage, for a
    /// server on another machine. Without it, provspec writes them to a temporary directory.
    #[arg(long, env = "PROVSPEC_BOOT_DIR")]
    pub boot_dir: Option<PathBuf>,
    /// Seconds one call to a server over HTTP may take, end to end (a call after one that got
    /// no answer gets a fifth of it, at least 2 s).
    #[arg(long, value_name = "SECONDS", default_value_t = 15.0, value_parser = parse_seconds)]
    pub call_timeout: f64,
    /// Seconds to wait for a TCP (and TLS) connection to a server.
    #[arg(long, value_name = "SECONDS", default_value_t = 3.0, value_parser = parse_seconds)]
    pub connect_timeout: f64,
}

impl std::fmt::Debug for ServerOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerOptions")
            .field("backend", &self.backend)
            .field("url", &self.url)
            .field("user", &self.user)
            .field("password_file", &self.password_file)
            .field("ironic_url", &self.ironic_url)
            .field("ironic_user", &self.ironic_user)
            .field("ironic_password_file", &self.ironic_password_file)
            .field("boot_dir", &self.boot_dir)
            .field("call_timeout", &self.call_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .finish_non_exhaustive()
    }
}

impl ServerOptions {
    /// The backend the options choose, with a warning on stderr for a password given on the
    /// command line; a password without a user is a mistake, not noauth.
    pub fn choice(&self) -> Result<Choice, String> {
        for flag in ["--password", "--ironic-password"] {
            if passed_on_command_line(flag) {
                eprintln!(
                    "provspec: warning: {flag} on the command line shows in `ps` and in cargo's message when the run fails; set the environment variable or use {flag}-file instead"
                );
            }
        }
        let password = match &self.password_file {
            Some(path) => read_secret(path)?,
            None => self.password.clone(),
        };
        let ironic_password = match &self.ironic_password_file {
            Some(path) => Some(read_secret(path)?),
            None => self.ironic_password.clone(),
        };
        if self.ironic_user.is_none() && ironic_password.is_some() {
            return Err(
                "IRONIC_PASSWORD (or --ironic-password) is set but IRONIC_USER is not: give both for http_basic, neither for noauth"
                    .to_owned(),
            );
        }
        Ok(Choice {
            backend: self.backend.clone(),
            cobbler_url: self.url.clone(),
            cobbler_credentials: Some(Credentials::new(self.user.clone(), password)),
            boot_dir: self.boot_dir.clone(),
            ironic_url: self.ironic_url.clone(),
            ironic_auth: self
                .ironic_user
                .as_ref()
                .map(|user| BasicAuth::new(user.clone(), ironic_password.unwrap_or_default())),
            http: HttpOptions {
                connect_timeout: Duration::from_secs_f64(self.connect_timeout),
                request_timeout: Duration::from_secs_f64(self.call_timeout),
            },
        })
    }

    /// The URL option of Cobbler's family, or of Ironic's.
    pub fn url_for(&mut self, ironic: bool) -> &mut Option<String> {
        if ironic {
            &mut self.ironic_url
        } else {
            &mut self.url
        }
    }

    /// Sets the user of Cobbler's family, or of Ironic's.
    pub fn set_user(&mut self, ironic: bool, user: String) {
        if ironic {
            self.ironic_user = Some(user);
        } else {
            self.user = user;
        }
    }

    /// The password file option of Cobbler's family, or of Ironic's.
    pub fn password_file_for(&mut self, ironic: bool) -> &mut Option<PathBuf> {
        if ironic {
            &mut self.ironic_password_file
        } else {
            &mut self.password_file
        }
    }

    /// The options that point another command at the same server, for messages such as the
    /// command that sweeps a run: backend and URL only (credentials come from the environment
    /// or a password file, never from a printed command line).
    pub fn server_flags(&self) -> String {
        let mut flags = format!("--backend {}", self.backend);
        let url = match self.backend.as_str() {
            "cobbler" => self.url.as_ref().map(|url| ("--url", url)),
            "ironic" => self.ironic_url.as_ref().map(|url| ("--ironic-url", url)),
            _ => None,
        };
        if let Some((flag, url)) = url {
            flags.push_str(&format!(" {flag} {}", crate::http::hide_userinfo(url)));
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
