//! Login tokens as cobblerd keeps them: 36 characters, in memory, expired lazily.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::Engine as _;

use super::python::{cx, value_error};
use crate::cobbler::protocol::{Fault, Value};

/// The length of every token and of the random part of a `___NEW___` handle.
pub const TOKEN_LEN: usize = 36;

/// 25 random bytes in base64: 36 characters, like cobblerd's tokens and handles.
pub fn random_token() -> String {
    let bytes: [u8; 25] = rand::random();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The tokens the server knows, with when each was issued or last refreshed.
#[derive(Debug, Default)]
pub struct TokenStore {
    /// token -> (user, issued or last refreshed).
    tokens: HashMap<String, (String, Instant)>,
    lifetime: Option<Duration>,
}

impl TokenStore {
    /// A store whose tokens expire after `lifetime` (checked only by `token_check`, as the
    /// real server does), or never.
    pub fn new(lifetime: Option<Duration>) -> Self {
        Self {
            tokens: HashMap::new(),
            lifetime,
        }
    }

    /// Issues a new token to `user`.
    pub fn issue(&mut self, user: &str) -> String {
        let token = random_token();
        self.tokens
            .insert(token.clone(), (user.to_owned(), Instant::now()));
        token
    }

    /// `get_user_from_token`: who logged in with `token`.
    pub fn user_of(&self, token: Option<&Value>) -> Result<&str, Fault> {
        self.validate(token)?;
        let token = token.and_then(|t| match t {
            Value::String(t) => Some(t.as_str()),
            _ => None,
        });
        Ok(token
            .and_then(|t| self.tokens.get(t))
            .map_or("", |(user, _)| user.as_str()))
    }

    /// What a write call does with its token: the format must be right and the token known.
    /// Age is not checked and nothing is refreshed (real cobblerd 3.3 behaves so).
    pub fn validate(&self, token: Option<&Value>) -> Result<(), Fault> {
        match token {
            Some(Value::String(t)) if t.chars().count() == TOKEN_LEN => {
                if self.tokens.contains_key(t) {
                    Ok(())
                } else {
                    Err(cx(format!("invalid token: {t}")))
                }
            }
            _ => Err(value_error(
                "\"token\" did not have the correct format or type!",
            )),
        }
    }

    /// `token_check`: drops every expired token, then refreshes and confirms `token`.
    pub fn check(&mut self, token: &str) -> bool {
        if let Some(lifetime) = self.lifetime {
            let now = Instant::now();
            self.tokens
                .retain(|_, (_, issued)| now.duration_since(*issued) <= lifetime);
        }
        match self.tokens.get_mut(token) {
            Some((_, issued)) => {
                *issued = Instant::now();
                true
            }
            None => false,
        }
    }

    /// `logout`: forgets `token`; false when it was not known.
    pub fn forget(&mut self, token: &str) -> bool {
        self.tokens.remove(token).is_some()
    }

    /// Forgets every token, as a restart of cobblerd does.
    pub fn clear(&mut self) {
        self.tokens.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_36_characters() {
        let mut store = TokenStore::new(None);
        let token = store.issue("cobbler");
        assert_eq!(token.len(), TOKEN_LEN);
        assert!(store.validate(Some(&Value::String(token))).is_ok());
    }

    #[test]
    fn expiry_takes_effect_only_after_token_check() {
        let mut store = TokenStore::new(Some(Duration::ZERO));
        let old = store.issue("cobbler");
        std::thread::sleep(Duration::from_millis(5));
        assert!(store.validate(Some(&Value::String(old.clone()))).is_ok());
        assert!(!store.check("someone else's garbage"));
        let fault = store.validate(Some(&Value::String(old))).unwrap_err();
        assert!(fault.is_invalid_token(), "{fault}");
    }

    #[test]
    fn a_short_token_is_a_format_error_not_an_invalid_token() {
        let store = TokenStore::new(None);
        let fault = store
            .validate(Some(&Value::String("bogus".into())))
            .unwrap_err();
        assert!(!fault.is_invalid_token());
        assert_eq!(
            fault.string,
            "<class 'ValueError'>:\"token\" did not have the correct format or type!"
        );
    }
}
