//! Autoinstall templates and snippets (files on the server, named by their path), and the
//! autoinstall file cobblerd renders from them for a profile or system.

use crate::world::StepResult;
use cucumber::gherkin::Step;

use crate::steps::parameters::{Attempt, KindWord, Text};
use crate::world::ProvWorld;
use crate::world::step_definitions::Steps;

/// The docstring of `step`, or a clear error.
fn docstring(step: &Step) -> StepResult<String> {
    step.docstring
        .as_ref()
        .map(|text| text.strip_prefix('\n').unwrap_or(text).to_owned())
        .ok_or_else(|| {
            crate::authoring!(
                "the step \"{}\" needs its text as a docstring (\"\"\" … \"\"\")",
                step.value
            )
        })
}

/// `Given a template "web.ks" with content:` and the text as a docstring (also a snippet);
/// `{name of snippet common}` in the text is that snippet's name on the server.
async fn a_file_with_content(
    world: &mut ProvWorld,
    kind: KindWord,
    alias: Text,
    step: &Step,
) -> StepResult {
    let content = world.expand(&docstring(step)?);
    world
        .create(
            crate::world::Mode::Must,
            &kind.0,
            &alias,
            vec![("content".to_owned(), content)],
        )
        .await
}

/// `When I (try to) write the template "web.ks" with content:` (a docstring): new text for
/// a template or snippet of this scenario.
async fn write_file(
    world: &mut ProvWorld,
    attempt: Attempt,
    kind: KindWord,
    alias: Text,
    step: &Step,
) -> StepResult {
    let content = world.expand(&docstring(step)?);
    world
        .modify(
            attempt.0,
            &kind.0,
            &alias,
            vec![("content".to_owned(), content)],
        )
        .await
}

/// `When I render the autoinstall file of the profile "web"` (or of a system): what cobblerd's
/// `generate_autoinstall` answers, kept for the steps below.
async fn render(world: &mut ProvWorld, kind: KindWord, alias: Text) -> StepResult {
    world.view_of(&kind.0, &alias, "autoinstall").await
}

/// `Then the rendered file should contain "install web"` (real names read as aliases).
async fn rendered_contains(world: &mut ProvWorld, expected: Text) -> StepResult {
    let text = world.last_view()?;
    if text.contains(expected.as_str()) {
        Ok(())
    } else {
        Err(crate::assertion!(
            "the rendered file should contain {expected:?}; it is:\n{text}"
        ))
    }
}

/// `Then the rendered file should not contain "$hostname"`.
async fn rendered_lacks(world: &mut ProvWorld, unexpected: Text) -> StepResult {
    let text = world.last_view()?;
    if text.contains(unexpected.as_str()) {
        Err(crate::assertion!(
            "the rendered file should not contain {unexpected:?}; it is:\n{text}"
        ))
    } else {
        Ok(())
    }
}

/// Registers this file's steps.
pub(crate) fn register(steps: &mut Steps) {
    steps
        .given("a/an {kind} {string} with content:", a_file_with_content)
        .when(
            "{attempt} write the {kind} {string} with content:",
            write_file,
        )
        .when(
            "I render the autoinstall file of the {kind} {string}",
            render,
        )
        .then(
            "the rendered file should contain {string}",
            rendered_contains,
        )
        .then(
            "the rendered file should not contain {string}",
            rendered_lacks,
        );
}
