//! What every kind can do: modify, rename, copy, delete, exist, and show its fields.

use cucumber::gherkin::Step;
use cucumber::{given, then, when};
use provspec::assertions::Should;

use super::{kind, mode};
use crate::world::{ProvWorld, tables};

/// `Given no distro "ghost" exists`: names an item that must be missing, to refer to it.
#[given(regex = r#"^no (distro|profile|system|image) "([^"]*)" exists$"#)]
async fn none_exists(
    world: &mut ProvWorld,
    kind_name: String,
    alias: String,
) -> Result<(), String> {
    world.reserve_missing(kind(&kind_name), &alias).await
}

/// `When I (try to) modify the system "web-01" with:` (attribute table).
#[when(regex = r#"^I (try to )?modify the (distro|profile|system|image) "([^"]*)" with:$"#)]
async fn modify(
    world: &mut ProvWorld,
    try_to: String,
    kind_name: String,
    alias: String,
    step: &Step,
) -> Result<(), String> {
    let rows = tables::key_values(step)?;
    world
        .modify(mode(&try_to), kind(&kind_name), &alias, rows)
        .await
}

/// `When I (try to) rename the system "web-01" to "web-99"` / `… copy the system "web-01" to "web-02"`.
#[when(
    regex = r#"^I (try to )?(rename|copy) the (distro|profile|system|image) "([^"]*)" to "([^"]*)"$"#
)]
async fn rename_or_copy(
    world: &mut ProvWorld,
    try_to: String,
    verb: String,
    kind_name: String,
    alias: String,
    new_alias: String,
) -> Result<(), String> {
    world
        .rename_or_copy(
            mode(&try_to),
            kind(&kind_name),
            &alias,
            &new_alias,
            verb == "copy",
        )
        .await
}

/// `When I (try to) delete the distro "ubuntu"` (recursive, as Cobbler's default is) /
/// `… "ubuntu" without recursion`.
#[when(
    regex = r#"^I (try to )?delete the (distro|profile|system|image) "([^"]*)"( without recursion)?$"#
)]
async fn delete(
    world: &mut ProvWorld,
    try_to: String,
    kind_name: String,
    alias: String,
    without_recursion: String,
) -> Result<(), String> {
    world
        .delete(
            mode(&try_to),
            kind(&kind_name),
            &alias,
            without_recursion.is_empty(),
        )
        .await
}

/// `Then the system "web-01" should exist` / `should not exist`.
#[then(regex = r#"^the (distro|profile|system|image) "([^"]*)" should( not)? exist$"#)]
async fn should_exist(
    world: &mut ProvWorld,
    kind_name: String,
    alias: String,
    not: String,
) -> Result<(), String> {
    let exists = world.exists(kind(&kind_name), &alias).await?;
    exists
        .should()
        .named(format!("whether {kind_name} {alias:?} exists"))
        .equal(&not.is_empty());
    Ok(())
}

/// `Then the system "web-01" should have:` (field | value; dotted paths such as
/// `interfaces.eth0.mac_address`; names of other items read as aliases).
#[then(regex = r#"^the (distro|profile|system|image) "([^"]*)" should have:$"#)]
async fn should_have(
    world: &mut ProvWorld,
    kind_name: String,
    alias: String,
    step: &Step,
) -> Result<(), String> {
    let expected = tables::key_values(step)?;
    let actual = world.fields(kind(&kind_name), &alias, &expected).await?;
    let expected: std::collections::BTreeMap<String, String> = expected
        .into_iter()
        .map(|(k, v)| (k, world.expand(&v)))
        .collect();
    actual
        .should()
        .named(format!("the fields of {kind_name} {alias:?}"))
        .equal(&expected);
    Ok(())
}

/// `Then the system "web-01" should have hostname "web01.example.org"`.
#[then(
    regex = r#"^the (distro|profile|system|image) "([^"]*)" should have ([a-z0-9_.]+) "([^"]*)"$"#
)]
async fn should_have_one(
    world: &mut ProvWorld,
    kind_name: String,
    alias: String,
    field: String,
    value: String,
) -> Result<(), String> {
    let actual = world
        .fields(kind(&kind_name), &alias, &[(field.clone(), value.clone())])
        .await?;
    actual[&field]
        .should()
        .named(format!("{field} of {kind_name} {alias:?}"))
        .equal(&world.expand(&value));
    Ok(())
}

/// `Then the system "web-01" should have no interfaces.eth0.mac_address`: the server's dict
/// has no such key at all (not even an empty value).
#[then(regex = r#"^the (distro|profile|system|image) "([^"]*)" should have no ([a-z0-9_.]+)$"#)]
async fn should_have_no(
    world: &mut ProvWorld,
    kind_name: String,
    alias: String,
    field: String,
) -> Result<(), String> {
    let present = world.has_field(kind(&kind_name), &alias, &field).await?;
    present
        .should()
        .named(format!("whether {kind_name} {alias:?} has a field {field}"))
        .equal(&false);
    Ok(())
}
