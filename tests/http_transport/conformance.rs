//! `provspec conformance` as QA run it: the binary against a served fake Cobbler and a served
//! fake Ironic. Fake against fake must agree on every call (so the normalisers mask every
//! token, handle, uid, time and id), and a difference the server is made to show (a scripted
//! refusal through the control API) must be reported side by side with exit status 1.

use provspec::cobbler::fake::{FakeCobbler, server as cobbler};
use provspec::ironic::fake::{FakeIronic, FakeIronicConfig, server as ironic};

use super::serve;

/// Runs `provspec conformance ARGS` with no server settings from the environment.
async fn conformance(args: &[&str]) -> (Option<i32>, String, String) {
    super::outcome(super::provspec_command("conformance", args)).await
}

#[tokio::test]
async fn a_fake_cobbler_conforms_to_itself_and_a_scripted_difference_is_shown() {
    let control = cobbler::control();
    let fake = FakeCobbler::default();
    let addr = serve(cobbler::router_with(fake.clone(), &control)).await;
    let url = format!("http://{addr}/");
    let (code, stdout, stderr) = conformance(&["--backend", "cobbler", "--url", &url]).await;
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.trim_end().ends_with("no difference"), "{stdout}");
    assert!(fake.is_empty(), "the probe left {:?}", fake.inventory());

    let rule = r#"{"call": "extended_version", "kind": "refuse", "message": "scripted"}"#;
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/_provspec/faults"))
        .body(rule)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let (code, stdout, stderr) = conformance(&["--backend", "cobbler", "--url", &url]).await;
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("support/cobbler/conformance.probe:11: extended_version []"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Fault 1: \"<class 'cobbler.cexceptions.CX'>:'scripted'\""),
        "{stdout}"
    );
    assert!(
        // The scripted refusal answers every extended_version call: conformance.probe's and
        // conformance-methods.probe's (one argument too many).
        stdout.trim_end().ends_with("differ (extended_version 2)"),
        "{stdout}"
    );
}

#[tokio::test]
async fn a_fake_ironic_conforms_to_itself() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let fake = FakeIronic::new(FakeIronicConfig {
        base_url: url.clone(),
        ..FakeIronicConfig::default()
    });
    tokio::spawn(ironic::serve(
        listener,
        fake.clone(),
        std::future::pending(),
    ));
    let (code, stdout, stderr) = conformance(&["--backend", "ironic", "--ironic-url", &url]).await;
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.trim_end().ends_with("no difference"), "{stdout}");
    // Every kind the probes make (nodes, ports, portgroups, allocations, chassis, deploy
    // templates, runbooks) is gone again.
    assert!(fake.is_empty(), "left nodes: {:?}", fake.node_names());
}
