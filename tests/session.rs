//! The session's contract: lazy login, one re-login per expired token (also under
//! concurrency), a second refusal surfaces, and secrets never show.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use provspec::cobbler::fake::FakeCobbler;
use provspec::cobbler::protocol::{CallError, Fault, Transport, Value};
use provspec::cobbler::session::{Arg, Credentials, REDACTED_TOKEN, Session, SessionError};

fn session_on(fake: &FakeCobbler) -> Session {
    Session::new(
        Arc::new(fake.clone()),
        Credentials::new("cobbler", "cobbler"),
    )
}

#[tokio::test]
async fn logs_in_only_when_a_call_needs_a_token() {
    let fake = FakeCobbler::default();
    let session = session_on(&fake);
    session.call("get_distros", vec![]).await.unwrap();
    assert_eq!(session.login_count(), 0);
    session.call("new_distro", vec![Arg::Token]).await.unwrap();
    session.call("new_distro", vec![Arg::Token]).await.unwrap();
    assert_eq!(session.login_count(), 1);
}

#[tokio::test]
async fn an_expired_token_causes_one_login_and_a_retry() {
    let fake = FakeCobbler::default();
    let session = session_on(&fake);
    session.ensure_logged_in().await.unwrap();
    fake.expire_all_tokens();
    let handle = session.call("new_distro", vec![Arg::Token]).await.unwrap();
    assert!(matches!(handle, Value::String(h) if h.starts_with("___NEW___distro::")));
    assert_eq!(session.login_count(), 2);
}

/// The fake, but every call other than login waits a little first, so that concurrent calls
/// are all in flight with the same token before the first of them fails.
#[derive(Debug)]
struct Slow(FakeCobbler);

#[async_trait::async_trait]
impl Transport for Slow {
    async fn call(&self, method: &str, args: Vec<Value>) -> Result<Value, CallError> {
        if method != "login" {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        self.0.call(method, args).await
    }

    fn endpoint(&self) -> String {
        self.0.endpoint()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_calls_failing_on_one_expired_token_cause_exactly_one_login() {
    let fake = FakeCobbler::default();
    let session = Arc::new(Session::new(
        Arc::new(Slow(fake.clone())),
        Credentials::new("cobbler", "cobbler"),
    ));
    session.ensure_logged_in().await.unwrap();
    fake.expire_all_tokens();
    let calls: Vec<_> = (0..16)
        .map(|_| {
            let session = session.clone();
            tokio::spawn(async move { session.call("new_profile", vec![Arg::Token]).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(session.login_count(), 2, "one first login, one re-login");
}

/// Accepts logins, refuses every token, counts logins, and quotes the token in its fault.
#[derive(Debug, Default)]
struct RefusesEveryToken {
    logins: AtomicUsize,
}

#[async_trait::async_trait]
impl Transport for RefusesEveryToken {
    async fn call(&self, method: &str, args: Vec<Value>) -> Result<Value, CallError> {
        if method == "login" {
            let n = self.logins.fetch_add(1, Ordering::SeqCst);
            return Ok(Value::String(format!("token-number-{n:0>23}-abcdefgh")));
        }
        let token = match args.last() {
            Some(Value::String(t)) => t.clone(),
            _ => String::new(),
        };
        Err(CallError::Fault {
            method: method.to_owned(),
            fault: Fault::new(
                1,
                format!("<class 'cobbler.cexceptions.CX'>:'invalid token: {token}'"),
            ),
        })
    }

    fn endpoint(&self) -> String {
        "a server that refuses every token".into()
    }
}

#[tokio::test]
async fn a_second_refusal_surfaces_after_one_relogin_with_the_token_redacted() {
    let transport = Arc::new(RefusesEveryToken::default());
    let session = Session::new(transport.clone(), Credentials::new("cobbler", "cobbler"));
    let error = session
        .call("new_distro", vec![Arg::Token])
        .await
        .unwrap_err();
    assert!(
        matches!(error, SessionError::TokenRefusedAfterLogin { .. }),
        "{error:?}"
    );
    assert_eq!(transport.logins.load(Ordering::SeqCst), 2);
    let text = error.to_string();
    assert!(
        text.contains(&format!("invalid token: {REDACTED_TOKEN}")),
        "{text}"
    );
    assert!(!text.contains("token-number-"), "the token leaked: {text}");
    assert!(!format!("{error:?}").contains("token-number-"));
}

#[tokio::test]
async fn wrong_credentials_fail_with_the_user_and_the_servers_reason() {
    let fake = FakeCobbler::default();
    let session = Session::new(Arc::new(fake), Credentials::new("cobbler", "hunter2-wrong"));
    let error = session.ensure_logged_in().await.unwrap_err();
    let text = error.to_string();
    assert!(
        text.starts_with(
            "login to the embedded fake Cobbler as \"cobbler\" failed: login: fault 1: "
        ),
        "{text}"
    );
    assert!(text.ends_with("'login failed (cobbler)'"), "{text}");
    assert!(!text.contains("hunter2"));
    assert_eq!(session.login_count(), 0);
}

/// Echoes the password back in its fault, as a careless server might.
#[derive(Debug)]
struct EchoesPassword;

#[async_trait::async_trait]
impl Transport for EchoesPassword {
    async fn call(&self, method: &str, args: Vec<Value>) -> Result<Value, CallError> {
        Err(CallError::Fault {
            method: method.to_owned(),
            fault: Fault::new(1, format!("bad login {args:?}")),
        })
    }

    fn endpoint(&self) -> String {
        "an echoing server".into()
    }
}

#[tokio::test]
async fn password_never_shows_in_debug_or_errors() {
    let credentials = Credentials::new("qa", "s3cret-pass");
    assert!(!format!("{credentials:?}").contains("s3cret"));
    let session = Session::new(Arc::new(EchoesPassword), credentials);
    assert!(!format!("{session:?}").contains("s3cret"));
    let error = session.ensure_logged_in().await.unwrap_err();
    assert!(!error.to_string().contains("s3cret"), "{error}");
    assert!(error.to_string().contains("[password]"), "{error}");
}

#[tokio::test]
async fn expiring_the_token_on_the_server_is_recovered_on_the_next_call() {
    let fake = FakeCobbler::default();
    let session = session_on(&fake);
    session.ensure_logged_in().await.unwrap();
    assert!(session.expire_token_on_server().await.unwrap());
    session.call("new_image", vec![Arg::Token]).await.unwrap();
    assert_eq!(session.login_count(), 2);
}
