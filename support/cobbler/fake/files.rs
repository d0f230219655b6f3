//! The autoinstall templates and snippets one fake server holds (cobblerd's
//! `/var/lib/cobbler/templates` and `snippets`), starting from the stock files of 3.3.10
//! (`recorded/autoinstall.json`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The stock files a real 3.3.10 ships, and the texts recorded of them.
pub struct Stock {
    /// The templates' paths.
    pub templates: Vec<String>,
    /// The snippets' paths.
    pub snippets: Vec<String>,
    /// The scripts' names.
    pub scripts: Vec<String>,
    /// The recorded texts, by path.
    pub texts: BTreeMap<String, String>,
}

/// The stock files, read once.
pub fn stock() -> &'static Stock {
    static STOCK: OnceLock<Stock> = OnceLock::new();
    STOCK.get_or_init(|| {
        let json: serde_json::Value =
            serde_json::from_str(include_str!("recorded/autoinstall.json"))
                .expect("recorded/autoinstall.json is valid JSON");
        let list = |key: &str| -> Vec<String> {
            json[key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        };
        let texts = json["texts"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| v.as_str().map(|t| (k.clone(), t.to_owned())))
            .collect();
        Stock {
            templates: list("templates"),
            snippets: list("snippets"),
            scripts: list("scripts"),
            texts,
        }
    })
}

/// The stock templates' and snippets' paths (a listing shows both kinds; the names differ).
pub fn stock_file_names() -> Vec<String> {
    let stock = stock();
    stock
        .templates
        .iter()
        .chain(&stock.snippets)
        .cloned()
        .collect()
}

/// One directory of files: relative path → text (`None`: a stock file whose text the fake
/// has not recorded).
#[derive(Debug, Clone)]
pub struct Dir(pub BTreeMap<String, Option<String>>);

impl Dir {
    fn stock(names: &[String]) -> Self {
        let texts = &stock().texts;
        Self(
            names
                .iter()
                .map(|n| (n.clone(), texts.get(n).cloned()))
                .collect(),
        )
    }

    /// The file at `path` as the OS finds it (`a//b` is `a/b`).
    pub fn get(&self, path: &str) -> Option<&Option<String>> {
        self.0.get(&key(path))
    }
}

/// The templates and snippets of one fake server.
#[derive(Debug, Clone)]
pub struct Files {
    /// Under `/var/lib/cobbler/templates`.
    pub templates: Dir,
    /// Under `/var/lib/cobbler/snippets`.
    pub snippets: Dir,
}

impl Default for Files {
    /// The stock files of a fresh cobblerd 3.3.10.
    fn default() -> Self {
        Self {
            templates: Dir::stock(&stock().templates),
            snippets: Dir::stock(&stock().snippets),
        }
    }
}

/// The path the OS opens for `base/given`: empty segments dropped.
pub fn key(given: &str) -> String {
    given
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect::<Vec<_>>()
        .join("/")
}
