//! Where a run finds what is not in its features: the project's root (relative paths in
//! messages, `target/` for logs and manifests), its factory books and its server definitions.
//! The runner sets it once from `provspec.toml` ([`crate::project`]) or the current folder;
//! what a project does not have comes built in, so nothing is silently empty.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::backend::Catalogue;

/// The run's layout.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// The project's root: provspec.toml's folder, the crate under test, or the current folder.
    pub root: PathBuf,
    /// The folder of factory books (`FAMILY.toml`) the project file names, if it names one.
    pub factories: Option<PathBuf>,
    /// The server definitions file the project file names, if it names one.
    pub servers: Option<PathBuf>,
}

static LAYOUT: OnceLock<Layout> = OnceLock::new();

/// Makes `layout` the run's (once; false when one was set already).
pub fn install(layout: Layout) -> bool {
    LAYOUT.set(layout).is_ok()
}

/// The run's layout: the one installed, or the crate under test's (CARGO_MANIFEST_DIR, which
/// cargo sets for tests) or the current folder with nothing named.
pub fn current() -> &'static Layout {
    LAYOUT.get_or_init(|| Layout {
        root: default_root(),
        ..Layout::default()
    })
}

/// CARGO_MANIFEST_DIR, or the current folder: always absolute.
pub fn default_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}

/// Where a factory book comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum BookSource {
    /// A file: its path, and how messages show it (relative to the root).
    File(PathBuf, String),
    /// The family's built-in book, as messages name it.
    BuiltIn(&'static str, String),
}

impl Layout {
    /// The factory book of `catalogue`'s family: `FAMILY.toml` in the folder the project file
    /// names or in `factories/` below the root, else the built-in one.
    pub fn factory_book(&self, catalogue: &Catalogue) -> BookSource {
        let dir = self
            .factories
            .clone()
            .unwrap_or_else(|| self.root.join("factories"));
        let path = dir.join(format!("{}.toml", catalogue.family));
        if path.is_file() {
            let shown = self.shown(&path);
            return BookSource::File(path, shown);
        }
        BookSource::BuiltIn(
            catalogue.built_in_factory_book,
            format!("the built-in factories/{}.toml", catalogue.family),
        )
    }

    /// The server definitions file, if the project has one (`servers/servers.toml` below the
    /// root, or the one the project file names); `None` means the built-in ones.
    pub fn servers_file(&self) -> Option<PathBuf> {
        if let Some(path) = &self.servers {
            return Some(path.clone());
        }
        let path = self.root.join("servers").join("servers.toml");
        path.is_file().then_some(path)
    }

    /// `path` as messages show it: relative to the root when below it.
    pub fn shown(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static FAMILY: Catalogue = Catalogue {
        family: "toy",
        kinds: &[],
        login_call: None,
        state_paths: &[],
        concurrent_creates: 1,
        naming_references: &[],
        built_in_factory_book: "[kind.thing]\n",
    };

    #[test]
    fn a_project_without_books_gets_the_built_in_one() {
        let root = tempfile::tempdir().expect("a temporary folder");
        let layout = Layout {
            root: root.path().to_owned(),
            ..Layout::default()
        };
        assert_eq!(
            layout.factory_book(&FAMILY),
            BookSource::BuiltIn(
                "[kind.thing]\n",
                "the built-in factories/toy.toml".to_owned()
            )
        );
        assert_eq!(layout.servers_file(), None);
    }

    #[test]
    fn a_book_below_the_root_wins_over_the_built_in_one() {
        let root = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir(root.path().join("factories")).expect("mkdir");
        std::fs::write(root.path().join("factories/toy.toml"), "").expect("write");
        let layout = Layout {
            root: root.path().to_owned(),
            ..Layout::default()
        };
        assert_eq!(
            layout.factory_book(&FAMILY),
            BookSource::File(
                root.path().join("factories/toy.toml"),
                "factories/toy.toml".to_owned()
            )
        );
    }

    #[test]
    fn a_folder_the_project_file_names_is_used_and_a_book_it_lacks_is_built_in() {
        let root = tempfile::tempdir().expect("a temporary folder");
        let books = root.path().join("books");
        std::fs::create_dir(&books).expect("mkdir");
        let layout = Layout {
            root: root.path().to_owned(),
            factories: Some(books.clone()),
            servers: Some(root.path().join("defs.toml")),
        };
        assert!(matches!(
            layout.factory_book(&FAMILY),
            BookSource::BuiltIn(..)
        ));
        std::fs::write(books.join("toy.toml"), "").expect("write");
        assert_eq!(
            layout.factory_book(&FAMILY),
            BookSource::File(books.join("toy.toml"), "books/toy.toml".to_owned())
        );
        assert_eq!(layout.servers_file(), Some(root.path().join("defs.toml")));
    }
}
