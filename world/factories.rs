//! Factories and labs in the World: an item made from its kind's defaults or a named variant
//! of the family's factory book (`factories/FAMILY.toml`), with sub-factories for the parents
//! a step does not name, allocated addresses, sequences and post-create hooks; and standard
//! labs built in one step. Backend-neutral: the book and the catalogue hold what differs.

use crate::world::{StepResult, WorldError};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use crate::backend::{KindSpec, PowerAction};
use crate::factories::addresses::Allocator;
use crate::factories::book::{Book, Recipe};
use crate::factories::template::{self, Expanded};
use crate::world::layout::BookSource;

use super::actions::StagedCreate;
use super::{Mode, ProvWorld};

/// `(attribute, value)` or `(kind, alias)` pairs.
type Pairs = Vec<(String, String)>;

/// What builds a lab item again: its variant, alias, number and the lab's rows.
type Rebuild = (String, String, usize, Pairs);

/// How long a hook waits for an item to settle in a state.
const STATE_SETTLES_WITHIN: Duration = Duration::from_secs(120);

/// The run's factory book, read and checked once (an error is kept and shown by every step
/// that needs the book).
fn book(world: &ProvWorld) -> StepResult<&'static Book> {
    static BOOK: OnceLock<Result<Book, String>> = OnceLock::new();
    BOOK.get_or_init(|| {
        let catalogue = world.backend.catalogue();
        let book = match super::layout::current().factory_book(catalogue) {
            BookSource::File(path, shown) => Book::load(&path, &shown),
            BookSource::BuiltIn(text, shown) => Book::parse(text, &shown),
        }
        .map_err(|e| e.to_string())?;
        check(world, &book).map_err(|e| e.to_string())?;
        Ok(book)
    })
    .as_ref()
    .map_err(|e| WorldError::authoring(e.clone()))
}

/// Every kind section names a kind, every variant resolves, every field is an attribute of
/// its kind: otherwise the first mistake, with the file and line.
fn check(world: &ProvWorld, book: &Book) -> StepResult {
    let catalogue = world.backend.catalogue();
    let kinds: Vec<&str> = catalogue.kinds.iter().map(|k| k.name).collect();
    for name in book.kind_names() {
        if !kinds.contains(&name) {
            return Err(crate::authoring!(
                "{}: [kind.{name}]: the {} backend has no kind {name:?}; its kinds: {}",
                book.path(),
                catalogue.family,
                kinds.join(", ")
            ));
        }
    }
    for (name, section) in book.sections() {
        let recipe = book
            .recipe(name, &kinds)
            .map_err(|e| WorldError::authoring(e.to_string()))?;
        let kind = world.kind(&recipe.kind)?;
        for field in &section.fields {
            world
                .backend
                .check_attribute(kind, &field.path)
                .map_err(|e| crate::authoring!("{}:{}: {e}", book.path(), field.line))?;
        }
    }
    for lab in book.lab_names() {
        for group in &book
            .lab(lab)
            .map_err(|e| WorldError::authoring(e.to_string()))?
            .items
        {
            book.recipe(&group.from, &kinds)
                .map_err(|e| crate::authoring!("lab {lab:?}: {e}"))?;
        }
    }
    Ok(())
}

/// The run's address allocator: the factory book's `[addresses]`, or the defaults.
fn allocator(world: &ProvWorld) -> &'static Allocator {
    static ALLOCATOR: OnceLock<Allocator> = OnceLock::new();
    ALLOCATOR.get_or_init(|| {
        let run_id = &world.config.run_id;
        match book(world).ok().and_then(Book::addresses) {
            Some(config) => Allocator::with(run_id, &config.ipv4_pools, &config.dns_domain),
            None => Allocator::new(run_id),
        }
    })
}

/// Addresses allocated in this scenario: `(alias, "mac" | "ip" | "dns", value)`.
#[derive(Debug, Default)]
pub struct Allocated(Mutex<Vec<(String, &'static str, String)>>);

impl Allocated {
    /// Notes what was allocated for `alias`.
    pub fn note(&self, alias: &str, allocated: Vec<(&'static str, String)>) {
        let mut all = self.0.lock().unwrap_or_else(|p| p.into_inner());
        all.extend(
            allocated
                .into_iter()
                .map(|(what, value)| (alias.to_owned(), what, value)),
        );
    }

    /// The first `what` allocated for `alias`.
    pub fn first(&self, alias: &str, what: &str) -> Option<String> {
        let all = self.0.lock().unwrap_or_else(|p| p.into_inner());
        all.iter()
            .find(|(a, w, _)| a == alias && *w == what)
            .map(|(_, _, v)| v.clone())
    }

    /// True when addresses were allocated for `alias`.
    pub fn has_any(&self, alias: &str) -> bool {
        let all = self.0.lock().unwrap_or_else(|p| p.into_inner());
        all.iter().any(|(a, _, _)| a == alias)
    }

    /// Forgets what was allocated for `alias` (before allocating again).
    pub fn forget(&self, alias: &str) {
        let mut all = self.0.lock().unwrap_or_else(|p| p.into_inner());
        all.retain(|(a, _, _)| a != alias);
    }
}

/// Whether a server's refusal is about an address another item has.
pub fn is_duplicate_address(error: &str) -> bool {
    let error = error.to_ascii_lowercase();
    (error.contains("duplicate") || error.contains("already exists"))
        && ["mac", "ip address", "dns", "address"]
            .iter()
            .any(|w| error.contains(w))
}

impl ProvWorld {
    fn kinds(&self) -> Vec<&'static str> {
        self.backend
            .catalogue()
            .kinds
            .iter()
            .map(|k| k.name)
            .collect()
    }

    /// The recipe for `from` (a variant, or the kind itself), which must make `kind`.
    fn recipe(&self, kind: &'static KindSpec, from: Option<&str>) -> StepResult<Recipe> {
        let book = book(self)?;
        let recipe = book
            .recipe(from.unwrap_or(kind.name), &self.kinds())
            .map_err(|e| WorldError::authoring(e.to_string()))?;
        if recipe.kind != kind.name {
            return Err(crate::authoring!(
                "the variant {:?} makes a {}, not a {kind}",
                from.unwrap_or_default(),
                recipe.kind
            ));
        }
        Ok(recipe)
    }

    /// `text` with `{n}` and addresses expanded for `alias`; allocations are noted.
    pub fn allocate_in(&self, alias: &str, n: usize, text: &str) -> StepResult<String> {
        match template::expand(text, alias, n, allocator(self)).map_err(WorldError::authoring)? {
            Expanded::Text { value, allocated } => {
                self.allocated.note(alias, allocated);
                Ok(value)
            }
            Expanded::NewItem(kind) => Err(crate::authoring!(
                "{{new {kind}}} makes a new item; it belongs in a factory file, not in a step"
            )),
        }
    }

    /// Makes `alias` of `kind` from `from` (a variant; the kind's own factory when `None`),
    /// number `n` of its sequence: the recipe's fields, then `rows` (which win); parents the
    /// recipe makes with `{new KIND}` are made first (alias `ALIAS-KIND`) unless `rows` name
    /// them; then the recipe's hooks run.
    pub async fn build(
        &mut self,
        kind: &str,
        from: Option<&str>,
        alias: &str,
        n: usize,
        rows: Vec<(String, String)>,
    ) -> StepResult {
        let kind = self.kind(kind)?;
        let recipe = self.recipe(kind, from)?;
        let (fields, parents) = self.expand_recipe(&recipe, alias, n, rows)?;
        for (parent_kind, parent_alias) in parents {
            Box::pin(self.build(&parent_kind, None, &parent_alias, n, Vec::new())).await?;
        }
        self.create(Mode::Must, kind.name, alias, fields).await?;
        for hook in &recipe.after {
            self.run_hook(kind, alias, hook).await?;
        }
        Ok(())
    }

    /// Runs one post-create hook on `alias`: `power on` / `power off`, or `state NAME` (the
    /// catalogue's path of actions to that state, each waited for).
    async fn run_hook(&mut self, kind: &'static KindSpec, alias: &str, hook: &str) -> StepResult {
        let words: Vec<&str> = hook.split_whitespace().collect();
        match words.as_slice() {
            ["power", "on"] | ["power", "off"] => {
                let on = words[1] == "on";
                let action = if on {
                    PowerAction::On
                } else {
                    PowerAction::Off
                };
                self.power(Mode::Must, kind.name, alias, action).await?;
                self.await_power(kind.name, alias, on).await
            }
            ["state", state] => self.bring_to_state(kind, alias, state).await,
            _ => Err(crate::authoring!(
                "unknown hook {hook:?} in the factory file; hooks are \"power on\", \"power off\" and \"state NAME\""
            )),
        }
    }

    /// Takes `alias` to `state` through the catalogue's path, waiting for each step to settle.
    pub async fn bring_to_state(
        &mut self,
        kind: &'static KindSpec,
        alias: &str,
        state: &str,
    ) -> StepResult {
        let catalogue = self.backend.catalogue();
        let Some((_, path)) = catalogue.state_paths.iter().find(|(s, _)| *s == state) else {
            let known: Vec<&str> = catalogue.state_paths.iter().map(|(s, _)| *s).collect();
            return Err(crate::authoring!(
                "the {} backend cannot take a new {kind} to state {state:?}; it can to: {}",
                catalogue.family,
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ));
        };
        for (action, settles_in) in *path {
            self.act(
                Mode::Must,
                kind.name,
                alias,
                action,
                serde_json::Value::Null,
            )
            .await?;
            self.await_state(kind.name, alias, settles_in, STATE_SETTLES_WITHIN)
                .await?;
        }
        Ok(())
    }

    /// Makes `count` items of `kind` from `from`, aliases from `pattern` (`web-{n}`: web-1 …).
    pub async fn build_many(
        &mut self,
        count: usize,
        kind: &str,
        pattern: &str,
        from: Option<&str>,
        state: Option<&str>,
    ) -> StepResult {
        if count > 1 && !pattern.contains("{n}") {
            return Err(crate::authoring!(
                "{count} items need different aliases: put {{n}} in {pattern:?} (e.g. \"{pattern}-{{n}}\")"
            ));
        }
        for n in 1..=count {
            let alias = template::numbered(pattern, n);
            self.build(kind, from, &alias, n, Vec::new()).await?;
            if let Some(state) = state {
                let spec = self.kind(kind)?;
                self.bring_to_state(spec, &alias, state).await?;
            }
        }
        Ok(())
    }

    /// Builds the lab `name` (groups in order; a `{new KIND}` in a lab takes the lab's own
    /// items of that kind in turn), with `counts` overriding how many of a kind it makes.
    pub async fn build_lab(&mut self, name: &str, counts: &[(String, usize)]) -> StepResult {
        let book = book(self)?;
        let lab = book
            .lab(name)
            .map_err(|e| WorldError::authoring(e.to_string()))?
            .clone();
        let kinds = self.kinds();
        let mut made: Vec<(String, String)> = Vec::new();
        for (word, _) in counts {
            let kind = self.kind(word)?;
            if !lab.items.iter().any(|g| {
                book.recipe(&g.from, &kinds)
                    .is_ok_and(|r| r.kind == kind.name)
            }) {
                return Err(crate::authoring!(
                    "the lab {name:?} makes no {}",
                    kind.plural
                ));
            }
        }
        let mut staged: Vec<(StagedCreate, Rebuild)> = Vec::new();
        for group in &lab.items {
            let recipe = book
                .recipe(&group.from, &kinds)
                .map_err(|e| WorldError::authoring(e.to_string()))?;
            let kind = self.kind(&recipe.kind)?;
            let count = counts
                .iter()
                .find(|(word, _)| self.kind(word).is_ok_and(|k| k.name == kind.name))
                .map_or(group.count, |(_, c)| *c);
            for n in 1..=count {
                let alias = template::numbered(&group.alias, n);
                // Parents come from the lab's own items, in turn.
                let mut rows = Vec::new();
                for field in &recipe.fields {
                    if let Some(parent) = template::new_item(&field.value) {
                        let ours: Vec<&String> = made
                            .iter()
                            .filter(|(k, _)| *k == parent)
                            .map(|(_, a)| a)
                            .collect();
                        if let Some(pick) = ours.get((n - 1) % ours.len().max(1)) {
                            rows.push((field.path.clone(), (*pick).clone()));
                        }
                    }
                }
                // Without hooks or parents of its own to make, the group's creates are
                // independent: they go to the server together.
                if recipe.after.is_empty()
                    && let Some(fields) = self.plain_fields(&recipe, &alias, n, rows.clone())?
                {
                    let item = self.stage_create(kind.name, &alias, fields)?;
                    staged.push((item, (group.from.clone(), alias.clone(), n, rows)));
                } else {
                    self.build(kind.name, Some(&group.from), &alias, n, rows)
                        .await?;
                }
                made.push((kind.name.to_owned(), alias));
            }
            // An item refused for an address another run holds is built again, alone, with
            // fresh addresses.
            for (from, alias, n, rows) in self.create_together(std::mem::take(&mut staged)).await? {
                self.build(kind.name, Some(&from), &alias, n, rows).await?;
            }
        }
        Ok(())
    }

    /// The recipe's fields for `alias` with `rows` winning, addresses allocated; `None` when
    /// the recipe would make a parent of its own (`{new KIND}` not named by `rows`).
    fn plain_fields(
        &self,
        recipe: &Recipe,
        alias: &str,
        n: usize,
        rows: Vec<(String, String)>,
    ) -> StepResult<Option<Vec<(String, String)>>> {
        let (fields, parents) = self.expand_recipe(recipe, alias, n, rows)?;
        Ok(parents.is_empty().then_some(fields))
    }

    /// The recipe's fields for `alias` (number `n`), addresses allocated, then `rows`, which
    /// win; and the parents to make first, as `(kind, alias)`, for each `{new KIND}` that `rows`
    /// do not name (the field names the parent's alias, `ALIAS-KIND`).
    fn expand_recipe(
        &self,
        recipe: &Recipe,
        alias: &str,
        n: usize,
        rows: Vec<(String, String)>,
    ) -> StepResult<(Pairs, Pairs)> {
        let mut fields = Vec::new();
        let mut parents = Vec::new();
        for field in &recipe.fields {
            if rows.iter().any(|(path, _)| *path == field.path) {
                continue;
            }
            // Addresses are left as placeholders: the create allocates them, and again if
            // the server reports one as taken.
            match template::new_item(&field.value) {
                Some(parent) => {
                    let parent_alias = format!("{alias}-{parent}");
                    fields.push((field.path.clone(), parent_alias.clone()));
                    parents.push((parent, parent_alias));
                }
                None => fields.push((field.path.clone(), template::numbered(&field.value, n))),
            }
        }
        fields.extend(rows);
        Ok((fields, parents))
    }

    /// Sends staged creates to the server, as many at a time as its catalogue says it takes.
    /// Returns the items refused for an address another item holds (to build again); any
    /// other failure is the error (every item is registered and will be cleaned up either
    /// way).
    async fn create_together(
        &mut self,
        staged: Vec<(StagedCreate, Rebuild)>,
    ) -> StepResult<Vec<Rebuild>> {
        use futures::StreamExt as _;
        let backend = self.backend.clone();
        let concurrency = backend.catalogue().concurrent_creates.max(1);
        let results: Vec<(String, Rebuild, Result<(), crate::backend::Error>)> =
            futures::stream::iter(staged)
                .map(|(item, rebuild)| {
                    let backend = backend.clone();
                    async move {
                        let result = backend
                            .create(item.kind, &item.real_name, &item.attributes)
                            .await;
                        (item.action, rebuild, result)
                    }
                })
                .buffer_unordered(concurrency)
                .collect()
                .await;
        let mut again = Vec::new();
        for (action, rebuild, result) in results {
            if let Err(e) = result {
                let error = self.namer.to_aliases(&e.to_string());
                if is_duplicate_address(&error) && self.allocated.has_any(&rebuild.1) {
                    self.allocated.forget(&rebuild.1);
                    again.push(rebuild);
                } else {
                    return Err(crate::authoring!("{action} failed: {error}"));
                }
            }
        }
        Ok(again)
    }

    /// This scenario's items of `kind` on the server now, by alias (the last search is left
    /// as it was).
    pub async fn items_of(&self, kind: &str) -> StepResult<Vec<String>> {
        self.find_aliases(kind, vec![("name".to_owned(), "*".to_owned())])
            .await
    }
}
