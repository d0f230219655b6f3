//! Faults injected into the scenario's calls, in front of any backend (an embedded fake, a
//! fake over HTTP, a real server): the client sees what it would see from a server failing
//! that way. Cleanup never meets them.

use super::parameters::{BrokenReply, Text};
use crate::calls::faults::FaultKind;
use crate::world::ProvWorld;
use crate::world::step_definitions::Steps;

fn refuse(message: &str) -> FaultKind {
    FaultKind::Refuse {
        message: message.to_owned(),
    }
}

/// `Given the next call to "save_system" fails with fault "disk full"` (Cobbler: an XML-RPC
/// fault; Ironic: HTTP 400 with that message).
async fn next_call_fails(world: &mut ProvWorld, call: Text, message: Text) {
    world.inject(Some(&call), Some(1), refuse(&message));
}

/// `Given the next 2 calls fail with fault "busy"` (to any method or path).
async fn next_calls_fail(world: &mut ProvWorld, times: u32, message: Text) {
    world.inject(None, Some(times), refuse(&message));
}

/// `Given every call fails with fault "the server is on fire"` (until the scenario ends).
async fn every_call_fails(world: &mut ProvWorld, message: Text) {
    world.inject(None, None, refuse(&message));
}

/// `Given the server answers the next call to "save_system" with HTTP 503`.
async fn next_call_http(world: &mut ProvWorld, call: Text, status: u16) {
    let fault = FaultKind::HttpStatus {
        status,
        body: String::new(),
    };
    world.inject(Some(&call), Some(1), fault);
}

/// `Given the server answers the next call with HTTP 503` (whichever call comes next).
async fn next_any_call_http(world: &mut ProvWorld, status: u16) {
    let fault = FaultKind::HttpStatus {
        status,
        body: String::new(),
    };
    world.inject(None, Some(1), fault);
}

/// `Given the next reply is malformed` (also `is an HTML error page`, `is truncated`), to
/// whichever call comes next.
async fn next_any_reply_broken(world: &mut ProvWorld, form: BrokenReply) {
    world.inject(None, Some(1), FaultKind::Malformed { form: form.0 });
}

/// `Given the server drops the connection on the next call` (whichever call comes next).
async fn drop_next_connection(world: &mut ProvWorld) {
    world.inject(None, Some(1), FaultKind::Drop);
}

/// `Given every call takes 200 ms` (added before each call, until the scenario ends).
async fn latency(world: &mut ProvWorld, base_ms: u64) {
    let fault = FaultKind::Latency {
        base_ms,
        jitter_ms: 0,
    };
    world.inject(None, None, fault);
}

/// `Given every call takes 100 ms give or take 50 ms` (100 to 150 ms, at random).
async fn latency_with_jitter(world: &mut ProvWorld, base_ms: u64, jitter_ms: u64) {
    world.inject(None, None, FaultKind::Latency { base_ms, jitter_ms });
}

/// `Given the next call to "get_distro" is slower than the call timeout` (the client gives up
/// after `--call-timeout`, as it would).
async fn stall(world: &mut ProvWorld, call: Text) {
    world.inject(Some(&call), Some(1), FaultKind::Stall);
}

/// `Given the server drops the connection on the next call to "save_distro"`.
async fn drop_connection(world: &mut ProvWorld, call: Text) {
    world.inject(Some(&call), Some(1), FaultKind::Drop);
}

/// `Given the next reply to "get_distro" is malformed` (also `is an HTML error page`, `is
/// truncated`).
async fn broken_reply(world: &mut ProvWorld, call: Text, form: BrokenReply) {
    world.inject(Some(&call), Some(1), FaultKind::Malformed { form: form.0 });
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .given(
            "the next call to {string} fails with fault {string}",
            next_call_fails,
        )
        .given(
            "the next {int} call(s) fail(s) with fault {string}",
            next_calls_fail,
        )
        .given("every call fails with fault {string}", every_call_fails)
        .given(
            "the server answers the next call to {string} with HTTP {int}",
            next_call_http,
        )
        .given("every call takes {int} ms", latency)
        .given(
            "every call takes {int} ms give or take {int} ms",
            latency_with_jitter,
        )
        .given(
            "the next call to {string} is slower than the call timeout",
            stall,
        )
        .given(
            "the server drops the connection on the next call to {string}",
            drop_connection,
        )
        .given("the next reply to {string} is {broken_reply}", broken_reply)
        .given(
            "the server answers the next call with HTTP {int}",
            next_any_call_http,
        )
        .given("the next reply is {broken_reply}", next_any_reply_broken)
        .given(
            "the server drops the connection on the next call",
            drop_next_connection,
        );
}
