//! Processes a scenario starts: start one or several, expect an exit, kill, check the logs.
//! Each runs in its own process group with stdout and stderr in the scenario's log directory;
//! an exit no step waited for fails the scenario at its next step, and a process that still
//! runs when the scenario ends is killed and fails it (a background process may keep running).

use cucumber::gherkin::Step;
use cucumber::{given, then, when};

use super::parameters::Text;
use crate::world::{ProvWorld, tables};

/// `When I start the process "c1" running "sh -c 'echo hi; exit 3'"`: the command line is
/// split into words as a shell would (quotes, no expansion). With `with:` a table of settings:
/// `env.NAME` (an environment variable) and `directory` (the working directory).
#[when(expr = "I start the process {string} running {string}( with:)")]
async fn start_process(
    world: &mut ProvWorld,
    step: &Step,
    name: Text,
    line: Text,
) -> Result<(), String> {
    let settings = tables::key_values(step)?;
    world
        .start_process(Some(&name), &line, &settings, false)
        .map(|_| ())
}

/// `Given the background process "tail" running "sleep 600"`: like a process, but it may still
/// run when the scenario ends (it is killed then, and the scenario does not fail for it).
#[given(expr = "the background process {string} running {string}")]
async fn background(world: &mut ProvWorld, name: Text, line: Text) -> Result<(), String> {
    world
        .start_process(Some(&name), &line, &[], true)
        .map(|_| ())
}

/// `When I start the command "echo hi"`: the process is named after its program, made
/// unique in the scenario (`echo`, then `echo-1`, …).
#[when(expr = "I start the command {string}")]
async fn start_command(world: &mut ProvWorld, line: Text) -> Result<(), String> {
    world.start_process(None, &line, &[], false).map(|_| ())
}

/// `When I start these processes at once:` with a table `| name | command |` (the name column
/// is optional: names then come from the programs).
#[when(expr = "I start these processes at once:")]
async fn start_all(world: &mut ProvWorld, step: &Step) -> Result<(), String> {
    let processes: Vec<(Option<String>, String)> = tables::records(step, &["command"])?
        .into_iter()
        .map(|mut row| {
            (
                row.remove("name"),
                row.remove("command").unwrap_or_default(),
            )
        })
        .collect();
    world.start_processes(&processes).await
}

/// `Then the process "c1" should exit with code 3 within 10 seconds`: waits for it; its exit
/// is then expected.
#[then(expr = "the process {string} should exit with code {int} within {float} second(s)")]
async fn exits(world: &mut ProvWorld, name: Text, code: i32, seconds: f64) -> Result<(), String> {
    world.expect_exit(&name, code, seconds).await
}

/// `Then the processes "one, two" should each exit with code 0 within 10 seconds`: waits for
/// them all at once (one may end before another: the step names them all).
#[then(expr = "the processes {string} should each exit with code {int} within {float} second(s)")]
async fn all_exit(
    world: &mut ProvWorld,
    names: Text,
    code: i32,
    seconds: f64,
) -> Result<(), String> {
    let names: Vec<&str> = names.split(',').map(str::trim).collect();
    world.expect_exits(&names, code, seconds).await
}

/// `When I kill the process "c1"` (or `the server "c1"`): SIGTERM to its whole process group,
/// SIGKILL to what is left after 3 s; its end is expected.
#[when(expr = "I kill the process/server {string}")]
async fn kill(world: &mut ProvWorld, name: Text) -> Result<(), String> {
    world.kill_process(&name).await
}

/// `Then the process "c1" should be running` (it, or something of its process group).
#[then(expr = "the process/server {string} should be running")]
async fn running(world: &mut ProvWorld, name: Text) -> Result<(), String> {
    world.process_running(&name, true)
}

/// `Then the process "c1" should not be running`: nothing of its process group is left.
#[then(expr = "the process/server {string} should not be running")]
async fn not_running(world: &mut ProvWorld, name: Text) -> Result<(), String> {
    world.process_running(&name, false)
}

/// `Then the log of "c1" should contain "listening on"`: its stdout and stderr; waits up to
/// 10 s for the text to appear.
#[then(expr = "the log of {string} should contain {string}")]
async fn log_of_contains(world: &mut ProvWorld, name: Text, text: Text) -> Result<(), String> {
    world.log_of_contains(&name, &text, true).await
}

/// `Then the log of "c1" should not contain "Traceback"` (as it is now).
#[then(expr = "the log of {string} should not contain {string}")]
async fn log_of_lacks(world: &mut ProvWorld, name: Text, text: Text) -> Result<(), String> {
    world.log_of_contains(&name, &text, false).await
}
