//! An authenticated conversation with one Cobbler API (the MAAS client's semantics).
//!
//! - It logs in lazily, on the first call that needs a token.
//! - [`Arg::Token`] in an argument list stands for the current token.
//! - A fault containing `invalid token: ` makes it log in again and retry that call once.
//! - A login generation (the "state cookie") makes sure that several calls failing on the
//!   same expired token cause exactly one new login.
//! - Password and token never appear in `Debug`, `Display`, logs or errors.
//! - Sessions can share one login ([`SharedLogin`]): every scenario of a run on a server uses
//!   the token the run's first login got, each call still going through its own transport
//!   (its scenario's journal and faults); [`Session::make_own`] gives one its own again.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;

use crate::cobbler::protocol::{CallError, Fault, Transport, Value, ValueExt};

/// What a token is replaced by in any text that leaves the session.
pub const REDACTED_TOKEN: &str = "[token]";

/// A user name and a password. The password is never printed.
#[derive(Clone)]
pub struct Credentials {
    /// The Cobbler user.
    pub user: String,
    password: SecretString,
}

impl Credentials {
    /// Credentials for `user` with `password`.
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            user: user.into(),
            password: SecretString::from(password.into()),
        }
    }

    /// The password, for a login call of its own (`provspec conformance`); never print it.
    pub fn password(&self) -> &str {
        self.password.expose_secret()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password", &"[redacted]")
            .finish()
    }
}

/// One positional argument of a session call: a value, or "the current token here".
#[derive(Clone, Debug)]
pub enum Arg {
    /// A plain value.
    Value(Value),
    /// Replaced by the current token when the call is sent.
    Token,
}

impl From<Value> for Arg {
    fn from(value: Value) -> Self {
        Arg::Value(value)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Self {
        Arg::Value(Value::String(text.to_owned()))
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Self {
        Arg::Value(Value::String(text))
    }
}

impl From<bool> for Arg {
    fn from(flag: bool) -> Self {
        Arg::Value(Value::Boolean(flag))
    }
}

/// Why a session call failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SessionError {
    /// The server refused the credentials, or could not be asked.
    #[error("login to {endpoint} as {user:?} failed: {reason}")]
    LoginFailed {
        /// Where the login went.
        endpoint: String,
        /// Who tried to log in.
        user: String,
        /// The server's fault or the transport's error.
        reason: String,
    },
    /// The call failed (fault or transport), tokens redacted.
    #[error(transparent)]
    Call(#[from] CallError),
    /// A fresh token was refused as well: re-authentication does not help.
    #[error(
        "{method}: the server refused a freshly issued token too ({fault}); giving up after one re-login"
    )]
    TokenRefusedAfterLogin {
        /// The XML-RPC method.
        method: String,
        /// The second fault, tokens redacted.
        fault: Fault,
    },
}

impl SessionError {
    /// The server's fault, if the failure is one.
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            SessionError::Call(call) => call.fault(),
            SessionError::TokenRefusedAfterLogin { fault, .. } => Some(fault),
            SessionError::LoginFailed { .. } => None,
        }
    }
}

/// The token and the login generation it belongs to (the state cookie).
#[derive(Default)]
struct AuthState {
    generation: u64,
    token: Option<SecretString>,
}

/// A login that sessions share: the token, its generation, and how many logins it took. The
/// generation makes sure that calls of any of the sessions failing on the same expired token
/// cause exactly one new login.
#[derive(Clone, Default)]
pub struct SharedLogin {
    auth: Arc<Mutex<AuthState>>,
    logins: Arc<AtomicU64>,
}

impl SharedLogin {
    /// A login no session made yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many successful logins the sessions sharing it made, together.
    pub fn login_count(&self) -> u64 {
        self.logins.load(Ordering::SeqCst)
    }
}

impl fmt::Debug for SharedLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedLogin")
            .field("logins", &self.login_count())
            .finish_non_exhaustive()
    }
}

/// An authenticated session over a [`Transport`].
pub struct Session {
    transport: Arc<dyn Transport>,
    credentials: Credentials,
    /// The login this session uses: its own, or one shared with other sessions.
    login: std::sync::RwLock<SharedLogin>,
    /// Successful logins this session made (whoever shares the token).
    logins: AtomicU64,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("endpoint", &self.transport.endpoint())
            .field("user", &self.credentials.user)
            .field("logins", &self.login_count())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session that has not logged in yet.
    pub fn new(transport: Arc<dyn Transport>, credentials: Credentials) -> Self {
        Self::sharing(transport, credentials, SharedLogin::new())
    }

    /// A session that uses `login`'s token, logging in through its own transport when there
    /// is none yet or the server no longer knows it (once for all sessions sharing it).
    pub fn sharing(
        transport: Arc<dyn Transport>,
        credentials: Credentials,
        login: SharedLogin,
    ) -> Self {
        Self {
            transport,
            credentials,
            login: std::sync::RwLock::new(login),
            logins: AtomicU64::new(0),
        }
    }

    /// Gives the session a login of its own, not logged in yet, instead of a shared one: a
    /// scenario about sessions (its logins counted, its token expired) asks for this before
    /// its first call.
    pub fn make_own(&self) {
        *self.login.write().unwrap_or_else(|p| p.into_inner()) = SharedLogin::new();
    }

    /// The login in use now.
    fn shared(&self) -> SharedLogin {
        self.login.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Where the calls go.
    pub fn endpoint(&self) -> String {
        self.transport.endpoint()
    }

    /// The user this session logs in as.
    pub fn user(&self) -> &str {
        &self.credentials.user
    }

    /// How many successful logins this session made itself.
    pub fn login_count(&self) -> u64 {
        self.logins.load(Ordering::SeqCst)
    }

    /// Logs in now unless a token is already held. Useful to check credentials up front.
    pub async fn ensure_logged_in(&self) -> Result<(), SessionError> {
        self.current_token().await.map(|_| ())
    }

    /// Calls `method`; [`Arg::Token`] is replaced by the token (logging in first if needed).
    pub async fn call(&self, method: &str, args: Vec<Arg>) -> Result<Value, SessionError> {
        if !args.iter().any(|a| matches!(a, Arg::Token)) {
            let values = args.into_iter().map(|a| match a {
                Arg::Value(v) => v,
                Arg::Token => unreachable!("checked above"),
            });
            return Ok(self.transport.call(method, values.collect()).await?);
        }
        let (generation, token) = self.current_token().await?;
        match self.send_with_token(method, &args, &token).await {
            Err(CallError::Fault { fault, .. }) if fault.is_invalid_token() => {
                tracing::debug!(method, "token refused; logging in again");
                let (_, fresh) = self.relogin_after(generation).await?;
                self.send_with_token(method, &args, &fresh)
                    .await
                    .map_err(|e| match e {
                        CallError::Fault { method, fault } if fault.is_invalid_token() => {
                            SessionError::TokenRefusedAfterLogin { method, fault }
                        }
                        other => SessionError::Call(other),
                    })
            }
            other => Ok(other?),
        }
    }

    /// Makes the server forget this session's current token (`logout`), as an expiry would,
    /// while the session keeps it: the next call must recover by itself. Returns `logout`'s value.
    pub async fn expire_token_on_server(&self) -> Result<bool, SessionError> {
        let (_, token) = self.current_token().await?;
        let answer = self
            .transport
            .call(
                "logout",
                vec![Value::String(token.expose_secret().to_owned())],
            )
            .await
            .map_err(|e| e.redact(token.expose_secret(), REDACTED_TOKEN))?;
        Ok(answer.as_bool().unwrap_or(false))
    }

    async fn send_with_token(
        &self,
        method: &str,
        args: &[Arg],
        token: &SecretString,
    ) -> Result<Value, CallError> {
        let values = args
            .iter()
            .map(|a| match a {
                Arg::Value(v) => v.clone(),
                Arg::Token => Value::String(token.expose_secret().to_owned()),
            })
            .collect();
        self.transport
            .call(method, values)
            .await
            .map_err(|e| e.redact(token.expose_secret(), REDACTED_TOKEN))
    }

    /// The held token and its generation, logging in if there is none.
    async fn current_token(&self) -> Result<(u64, SecretString), SessionError> {
        let shared = self.shared();
        let mut auth = shared.auth.lock().await;
        if let Some(token) = &auth.token {
            return Ok((auth.generation, token.clone()));
        }
        self.login_locked(&mut auth, &shared).await
    }

    /// Logs in again unless another call already did so since `generation` was current.
    async fn relogin_after(&self, generation: u64) -> Result<(u64, SecretString), SessionError> {
        let shared = self.shared();
        let mut auth = shared.auth.lock().await;
        if auth.generation != generation
            && let Some(token) = &auth.token
        {
            return Ok((auth.generation, token.clone()));
        }
        self.login_locked(&mut auth, &shared).await
    }

    async fn login_locked(
        &self,
        auth: &mut AuthState,
        shared: &SharedLogin,
    ) -> Result<(u64, SecretString), SessionError> {
        let failed = |reason: String| SessionError::LoginFailed {
            endpoint: self.transport.endpoint(),
            user: self.credentials.user.clone(),
            reason,
        };
        let password = self.credentials.password.expose_secret();
        let answer = self
            .transport
            .call(
                "login",
                vec![
                    Value::String(self.credentials.user.clone()),
                    Value::String(password.to_owned()),
                ],
            )
            .await
            .map_err(|e| failed(e.redact(password, "[password]").to_string()))?;
        let token = match answer.as_str() {
            Some(token) if !token.is_empty() => SecretString::from(token.to_owned()),
            _ => {
                return Err(failed(format!(
                    "login returned a {} instead of a token string",
                    answer.type_name()
                )));
            }
        };
        auth.generation += 1;
        auth.token = Some(token.clone());
        self.logins.fetch_add(1, Ordering::SeqCst);
        shared.logins.fetch_add(1, Ordering::SeqCst);
        tracing::debug!(user = %self.credentials.user, generation = auth.generation, "logged in");
        Ok((auth.generation, token))
    }
}
