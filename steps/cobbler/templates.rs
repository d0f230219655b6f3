//! Autoinstall templates and snippets (files on the server, named by their path), and the
//! autoinstall file cobblerd renders from them for a profile or system.

use cucumber::gherkin::Step;
use cucumber::{given, then, when};

use crate::steps::parameters::{Attempt, KindWord, Text};
use crate::world::ProvWorld;

/// The docstring of `step`, or a clear error.
fn docstring(step: &Step) -> Result<String, String> {
    step.docstring
        .as_ref()
        .map(|text| text.strip_prefix('\n').unwrap_or(text).to_owned())
        .ok_or_else(|| {
            format!(
                "the step \"{}\" needs its text as a docstring (\"\"\" … \"\"\")",
                step.value
            )
        })
}

/// `Given a template "web.ks" with content:` and the text as a docstring (also a snippet);
/// `{name of snippet common}` in the text is that snippet's name on the server.
#[given(expr = "a/an {kind} {string} with content:")]
async fn a_file_with_content(
    world: &mut ProvWorld,
    kind: KindWord,
    alias: Text,
    step: &Step,
) -> Result<(), String> {
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
#[when(expr = "{attempt} write the {kind} {string} with content:")]
async fn write_file(
    world: &mut ProvWorld,
    attempt: Attempt,
    kind: KindWord,
    alias: Text,
    step: &Step,
) -> Result<(), String> {
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
#[when(expr = "I render the autoinstall file of the {kind} {string}")]
async fn render(world: &mut ProvWorld, kind: KindWord, alias: Text) -> Result<(), String> {
    world.view_of(&kind.0, &alias, "autoinstall").await
}

/// `Then the rendered file should contain "install web"` (real names read as aliases).
#[then(expr = "the rendered file should contain {string}")]
async fn rendered_contains(world: &mut ProvWorld, expected: Text) -> Result<(), String> {
    let text = world.last_view()?;
    if text.contains(expected.as_str()) {
        Ok(())
    } else {
        Err(format!(
            "the rendered file should contain {expected:?}; it is:\n{text}"
        ))
    }
}

/// `Then the rendered file should not contain "$hostname"`.
#[then(expr = "the rendered file should not contain {string}")]
async fn rendered_lacks(world: &mut ProvWorld, unexpected: Text) -> Result<(), String> {
    let text = world.last_view()?;
    if text.contains(unexpected.as_str()) {
        Err(format!(
            "the rendered file should not contain {unexpected:?}; it is:\n{text}"
        ))
    } else {
        Ok(())
    }
}
