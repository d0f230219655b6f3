//! Autoinstall templates and snippets as items of two kinds of their own: an item's name is its
//! path under `/var/lib/cobbler/templates` (a snippet's under `snippets`), its one attribute
//! its `content`. Written, read, listed and removed with cobblerd's
//! `write_autoinstall_template`, `read_autoinstall_template`, … calls.

use super::cobbler::{Cobbler, expect_string, expect_true};
use crate::cobbler::error::Error;
use crate::cobbler::protocol::{Value, ValueExt};
use crate::cobbler::session::Arg;

/// The attribute a template or snippet has.
pub const CONTENT: &str = "content";

/// Which of the two directories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// An autoinstall template (`templates`).
    Template,
    /// A snippet templates include (`snippets`).
    Snippet,
}

impl FileKind {
    /// The kind a catalogue name stands for (`template`, `snippet`).
    pub fn of(kind: &str) -> Option<Self> {
        match kind {
            "template" => Some(Self::Template),
            "snippet" => Some(Self::Snippet),
            _ => None,
        }
    }

    /// The word in the method names: `write_autoinstall_<word>`.
    fn word(self) -> &'static str {
        match self {
            Self::Template => "template",
            Self::Snippet => "snippet",
        }
    }

    /// The catalogue's name of the kind.
    pub fn name(self) -> &'static str {
        self.word()
    }
}

impl Cobbler {
    /// Writes `content` to `path` (made or replaced).
    pub async fn write_file(&self, kind: FileKind, path: &str, content: &str) -> Result<(), Error> {
        let method = format!("write_autoinstall_{}", kind.word());
        let value = self
            .call(
                || format!("writing {} {path:?}", kind.word()),
                &method,
                vec![path.into(), content.into(), Arg::Token],
            )
            .await?;
        expect_true(&method, &value)
    }

    /// The text at `path`; `None` when there is no such file.
    pub async fn read_file(&self, kind: FileKind, path: &str) -> Result<Option<String>, Error> {
        if !self.list_files(kind).await?.iter().any(|p| p == path) {
            return Ok(None);
        }
        let method = format!("read_autoinstall_{}", kind.word());
        let value = self
            .call(
                || format!("reading {} {path:?}", kind.word()),
                &method,
                vec![path.into(), Arg::Token],
            )
            .await?;
        expect_string(&method, &value).map(Some)
    }

    /// Removes the file at `path`; a missing one is fine when `missing_ok`.
    pub async fn remove_file(
        &self,
        kind: FileKind,
        path: &str,
        missing_ok: bool,
    ) -> Result<(), Error> {
        if missing_ok && !self.list_files(kind).await?.iter().any(|p| p == path) {
            return Ok(());
        }
        let method = format!("remove_autoinstall_{}", kind.word());
        let value = self
            .call(
                || format!("removing {} {path:?}", kind.word()),
                &method,
                vec![path.into(), Arg::Token],
            )
            .await?;
        expect_true(&method, &value)
    }

    /// Every file's path, as the server lists them.
    pub async fn list_files(&self, kind: FileKind) -> Result<Vec<String>, Error> {
        let method = format!("get_autoinstall_{}s", kind.word());
        let value = self
            .call(
                || format!("listing {}s", kind.word()),
                &method,
                vec![Arg::Token],
            )
            .await?;
        Ok(value
            .as_array()
            .unwrap_or_default()
            .iter()
            .filter_map(ValueExt::as_str)
            .map(str::to_owned)
            .collect())
    }

    /// The autoinstall file cobblerd renders for a profile or system (`generate_autoinstall`).
    pub async fn rendered_autoinstall(&self, kind: &str, name: &str) -> Result<String, Error> {
        let (profile, system) = match kind {
            "system" => (Value::String(String::new()), Value::String(name.to_owned())),
            _ => (Value::String(name.to_owned()), Value::String(String::new())),
        };
        let value = self
            .call(
                || format!("rendering the autoinstall file of {kind} {name:?}"),
                "generate_autoinstall",
                vec![profile.into(), system.into()],
            )
            .await?;
        expect_string("generate_autoinstall", &value)
    }
}
