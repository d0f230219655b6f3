//! The HTTP transport against fake-cobbler's router and against servers that misbehave:
//! faults verbatim, clear errors naming the method, the URL and the start of the body, and
//! the run-start check failing fast.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use provspec::cobbler::fake::{FakeCobbler, server};
use provspec::cobbler::preflight::{PREFLIGHT_BUDGET, connect};
use provspec::cobbler::protocol::{CallError, HttpOptions, HttpTransport, Transport, Value};
use provspec::cobbler::session::Credentials;

async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

async fn fake_cobbler() -> String {
    let addr = serve(server::router(FakeCobbler::default())).await;
    format!("http://{addr}/")
}

fn transport(url: &str) -> HttpTransport {
    HttpTransport::new(url, HttpOptions::default()).unwrap()
}

#[tokio::test]
async fn values_and_faults_cross_http_verbatim() {
    let url = fake_cobbler().await;
    for path in ["", "RPC2", "cobbler_api"] {
        let t = transport(&format!("{url}{path}"));
        assert_eq!(
            t.call("version", vec![]).await.unwrap(),
            Value::Double(3.31)
        );
    }
    let t = transport(&url);
    let error = t
        .call(
            "login",
            vec![
                Value::String("cobbler".into()),
                Value::String("wrong".into()),
            ],
        )
        .await
        .unwrap_err();
    let fault = error.fault().expect("a fault");
    assert_eq!(fault.code, 1);
    assert_eq!(
        fault.string,
        "<class 'cobbler.cexceptions.CX'>:'login failed (cobbler)'"
    );
    assert_eq!(error.method(), "login");
}

#[tokio::test]
async fn an_unreachable_url_fails_fast_and_names_the_url() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let started = Instant::now();
    let error = transport(&url).call("ping", vec![]).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(error, CallError::Unreachable { .. }), "{error:?}");
    let text = error.to_string();
    assert!(
        text.starts_with(&format!("ping: cannot reach {url}: ")),
        "{text}"
    );
}

#[tokio::test]
async fn an_http_error_status_shows_the_method_the_status_and_the_body() {
    let addr = serve(Router::new().route(
        "/",
        post(|| async {
            (
                StatusCode::BAD_GATEWAY,
                "<html><body>proxy error: upstream down</body></html>",
            )
        }),
    ))
    .await;
    let error = transport(&format!("http://{addr}/"))
        .call("get_distros", vec![])
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(text.starts_with("get_distros: http://"), "{text}");
    assert!(text.contains("answered HTTP 502"), "{text}");
    assert!(text.contains("proxy error: upstream down"), "{text}");
}

#[tokio::test]
async fn an_html_page_or_malformed_xml_is_not_taken_for_a_value() {
    let addr = serve(
        Router::new()
            .route(
                "/html",
                post(|| async { "<!DOCTYPE html><html><title>Welcome to nginx!</title></html>" }),
            )
            .route(
                "/broken",
                post(|| async { "<?xml version='1.0'?><methodResponse><params><param>" }),
            ),
    )
    .await;
    for (path, needle) in [
        ("html", "Welcome to nginx!"),
        ("broken", "<methodResponse><params>"),
    ] {
        let error = transport(&format!("http://{addr}/{path}"))
            .call("get_systems", vec![])
            .await
            .unwrap_err();
        assert!(matches!(error, CallError::Malformed { .. }), "{error:?}");
        let text = error.to_string();
        assert!(text.starts_with("get_systems: "), "{text}");
        assert!(text.contains(needle), "{text}");
    }
}

#[tokio::test]
async fn a_url_that_is_not_http_is_refused_up_front() {
    let error = HttpTransport::new("ftp://example.org/", HttpOptions::default()).unwrap_err();
    assert!(
        error.contains("the scheme must be http or https"),
        "{error}"
    );
    assert!(HttpTransport::new("not a url", HttpOptions::default()).is_err());
}

#[tokio::test]
async fn the_run_start_check_fails_fast_on_a_wrong_url_or_password() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let good = Credentials::new("cobbler", "cobbler");

    let started = Instant::now();
    let error = connect(&dead, &good, PREFLIGHT_BUDGET, HttpOptions::default())
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        error.contains(&format!("the Cobbler at {dead} does not answer")),
        "{error}"
    );

    let url = fake_cobbler().await;
    let started = Instant::now();
    let error = connect(
        &url,
        &Credentials::new("cobbler", "wrong"),
        PREFLIGHT_BUDGET,
        HttpOptions::default(),
    )
    .await
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(error.contains("login failed (cobbler)"), "{error}");
    assert!(
        error.contains("check COBBLER_USER / COBBLER_PASSWORD"),
        "{error}"
    );

    connect(&url, &good, PREFLIGHT_BUDGET, HttpOptions::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_server_that_never_answers_is_cut_off_by_the_budget() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    // Accepts connections and never answers.
    tokio::spawn(async move {
        let mut held = Vec::new();
        loop {
            if let Ok((socket, _)) = listener.accept().await {
                held.push(socket);
            }
        }
    });
    let started = Instant::now();
    let error = connect(
        &url,
        &Credentials::new("cobbler", "cobbler"),
        Duration::from_millis(300),
        HttpOptions::default(),
    )
    .await
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        error.contains("did not answer ping and login within"),
        "{error}"
    );
}
