//! Processes a scenario starts: start one or several, expect an exit, kill, check the logs.
//! Each runs in its own process group with stdout and stderr in the scenario's log directory;
//! an exit no step waited for fails the scenario at its next step, and a process that still
//! runs when the scenario ends is killed and fails it (a background process may keep running).

use crate::world::StepResult;
use cucumber::gherkin::Step;

use super::parameters::Text;
use crate::world::step_definitions::Steps;
use crate::world::{ProvWorld, tables};

/// `When I start the process "c1" running "sh -c 'echo hi; exit 3'"`: the command line is
/// split into words as a shell would (quotes, no expansion). With `with:` a table of settings:
/// `env.NAME` (an environment variable) and `directory` (the working directory).
async fn start_process(world: &mut ProvWorld, name: Text, line: Text, step: &Step) -> StepResult {
    let settings = tables::key_values(step)?;
    world
        .start_process(Some(&name), &line, &settings, false)
        .map(|_| ())
}

/// `Given the background process "tail" running "sleep 600"`: like a process, but it may still
/// run when the scenario ends (it is killed then, and the scenario does not fail for it).
async fn background(world: &mut ProvWorld, name: Text, line: Text) -> StepResult {
    world
        .start_process(Some(&name), &line, &[], true)
        .map(|_| ())
}

/// `When I start the command "echo hi"`: the process is named after its program, made
/// unique in the scenario (`echo`, then `echo-1`, …).
async fn start_command(world: &mut ProvWorld, line: Text) -> StepResult {
    world.start_process(None, &line, &[], false).map(|_| ())
}

/// `When I start these processes at once:` with a table `| name | command |` (the name column
/// is optional: names then come from the programs).
async fn start_all(world: &mut ProvWorld, step: &Step) -> StepResult {
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
async fn exits(world: &mut ProvWorld, name: Text, code: i32, seconds: f64) -> StepResult {
    world.expect_exit(&name, code, seconds).await
}

/// `Then the processes "one, two" should each exit with code 0 within 10 seconds`: waits for
/// them all at once (one may end before another: the step names them all).
async fn all_exit(world: &mut ProvWorld, names: Text, code: i32, seconds: f64) -> StepResult {
    let names: Vec<&str> = names.split(',').map(str::trim).collect();
    world.expect_exits(&names, code, seconds).await
}

/// `When I kill the process "c1"` (or `the server "c1"`): SIGTERM to its whole process group,
/// SIGKILL to what is left after 3 s; its end is expected.
async fn kill(world: &mut ProvWorld, name: Text) -> StepResult {
    world.kill_process(&name).await
}

/// `Then the process "c1" should be running` (it, or something of its process group).
async fn running(world: &mut ProvWorld, name: Text) -> StepResult {
    world.process_running(&name, true)
}

/// `Then the process "c1" should not be running`: nothing of its process group is left.
async fn not_running(world: &mut ProvWorld, name: Text) -> StepResult {
    world.process_running(&name, false)
}

/// `Then the log of "c1" should contain "listening on"`: its stdout and stderr; waits up to
/// 10 s for the text to appear.
async fn log_of_contains(world: &mut ProvWorld, name: Text, text: Text) -> StepResult {
    world.log_of_contains(&name, &text, true).await
}

/// `Then the log of "c1" should not contain "Traceback"` (as it is now).
async fn log_of_lacks(world: &mut ProvWorld, name: Text, text: Text) -> StepResult {
    world.log_of_contains(&name, &text, false).await
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .when(
            "I start the process {string} running {string}( with:)",
            start_process,
        )
        .given(
            "the background process {string} running {string}",
            background,
        )
        .when("I start the command {string}", start_command)
        .when("I start these processes at once:", start_all)
        .then(
            "the process {string} should exit with code {int} within {float} second(s)",
            exits,
        )
        .then(
            "the processes {string} should each exit with code {int} within {float} second(s)",
            all_exit,
        )
        .when("I kill the process/server {string}", kill)
        .then("the process/server {string} should be running", running)
        .then(
            "the process/server {string} should not be running",
            not_running,
        )
        .then(
            "the log of {string} should contain {string}",
            log_of_contains,
        )
        .then(
            "the log of {string} should not contain {string}",
            log_of_lacks,
        );
}
