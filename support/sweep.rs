//! Sweeping a server: removing what runs left behind (a killed run, a crashed CI job), by run
//! id or by age, for `provspec sweep`.
//!
//! Only items whose name carries a run marker (`web-01--tf2k9qx7-4`, read with
//! [`naming::parse_real_name`]) are ever considered. They are removed children before parents
//! (the kinds' references say which kind depends on which; within a kind that references
//! itself, such as Cobbler's sub-profiles, the deepest first) with [`Backend::discard`], which
//! knows the steps each family needs (an Ironic node leaves `active` through maintenance).
//! Before an item goes, the kinds that reference it are searched: if anything this sweep does
//! not remove depends on it (an item without a marker, a run not selected, an item that could
//! not be removed), the item is kept, because removing it would take that along.
//! A failure on one item is reported and the sweep goes on.

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::time::{Duration, SystemTime};

use crate::backend::{self, Backend, Catalogue, Connector, KindSpec};
use crate::naming;

/// What every run marker starts with: [`Backend::list_marked`] with it lists the items of
/// every run (and any other name holding it, which [`naming::parse_real_name`] then drops).
const ANY_RUN: &str = "--";

/// Which runs a sweep removes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Every item of this run, whether or not its id carries a start time.
    Run(String),
    /// Every run whose id says it started longer ago than this; an id chosen by hand carries
    /// no start time and is never swept this way.
    OlderThan(Duration),
}

impl fmt::Display for Selection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selection::Run(run_id) => write!(f, "run {run_id}"),
            Selection::OlderThan(limit) => write!(f, "runs older than {}", exact(*limit)),
        }
    }
}

/// Why a sweep could not start.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The connector is an embedded fake, which lives and dies with its process.
    #[error(
        "the {backend} backend is an embedded fake: it lives and dies with its process, so there is nothing to sweep"
    )]
    EmbeddedFake {
        /// The connector's name (`fake`, `fake-ironic`).
        backend: &'static str,
    },
    /// Listing the marked items failed.
    #[error("cannot list the items on {endpoint}: {error}")]
    Listing {
        /// Where the calls went (credentials hidden).
        endpoint: String,
        /// What the server or the transport said.
        error: backend::Error,
    },
    /// A duration that [`parse_duration`] does not read.
    #[error(
        "{text:?} is not a duration: write a whole number above 0 and a unit (s, m, h or d), e.g. 90s, 30m, 2h, 1d"
    )]
    Duration {
        /// What was given.
        text: String,
    },
}

/// One item a sweep looked at.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Item {
    /// Its kind (`system`, `node`).
    pub kind: &'static str,
    /// Its real name.
    pub name: String,
    /// The run its name carries.
    pub run_id: String,
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} (run {})", self.kind, self.name, self.run_id)
    }
}

/// Why a sweep left a marked item alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Skip {
    /// Sweeping by age, the item's run id carries no start time (it was chosen by hand).
    NoStartTime,
    /// Sweeping by age, the item's run is not old enough.
    TooRecent {
        /// How long ago the run started.
        age: Duration,
        /// The age asked for.
        limit: Duration,
    },
    /// Items this sweep does not remove depend on it, as `(kind, name)`; removing it would
    /// take them along.
    Needed(Vec<(&'static str, String)>),
}

/// What a sweep did with one item.
#[derive(Debug)]
pub enum Outcome {
    /// Removed (or already gone).
    Removed,
    /// A dry run would have removed it.
    WouldRemove,
    /// Removing it failed; it is still there.
    Failed(backend::Error),
    /// Left alone, and why.
    Skipped(Skip),
}

/// One item and what became of it; its `Display` is the line `provspec sweep` prints.
#[derive(Debug)]
pub struct Entry {
    /// The item.
    pub item: Item,
    /// What became of it.
    pub outcome: Outcome,
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let item = &self.item;
        match &self.outcome {
            Outcome::Removed => write!(f, "removed {item}"),
            Outcome::WouldRemove => write!(f, "would remove {item}"),
            Outcome::Failed(error) => write!(f, "could not remove {item}: {error}"),
            Outcome::Skipped(Skip::NoStartTime) => write!(
                f,
                "skipped {item}: carries no start time, sweep it with --run-id {}",
                item.run_id
            ),
            Outcome::Skipped(Skip::TooRecent { age, limit }) => write!(
                f,
                "skipped {item}: started {} ago, not older than {}",
                approximate(*age),
                exact(*limit)
            ),
            Outcome::Skipped(Skip::Needed(by)) => {
                let (verb, state) = if by.len() == 1 {
                    ("depends", "is")
                } else {
                    ("depend", "are")
                };
                let by: Vec<String> = by.iter().map(|(k, n)| format!("{k} {n}")).collect();
                write!(
                    f,
                    "skipped {item}: {} {verb} on it and {state} not swept",
                    by.join(", ")
                )
            }
        }
    }
}

/// Everything a sweep looked at, in the order it did so.
#[derive(Debug)]
pub struct Report {
    /// The server (credentials hidden).
    pub endpoint: String,
    /// What was asked for.
    pub selection: Selection,
    /// True when nothing was removed on purpose.
    pub dry_run: bool,
    /// One entry per marked item the selection concerned.
    pub entries: Vec<Entry>,
}

impl Report {
    /// The items removed (or, in a dry run, that would be).
    pub fn removed(&self) -> impl Iterator<Item = &Item> {
        self.entries
            .iter()
            .filter(|e| matches!(e.outcome, Outcome::Removed | Outcome::WouldRemove))
            .map(|e| &e.item)
    }

    /// The items whose removal failed, with the error.
    pub fn failed(&self) -> impl Iterator<Item = (&Item, &backend::Error)> {
        self.entries.iter().filter_map(|e| match &e.outcome {
            Outcome::Failed(error) => Some((&e.item, error)),
            _ => None,
        })
    }

    /// The items left alone, and why.
    pub fn skipped(&self) -> impl Iterator<Item = (&Item, &Skip)> {
        self.entries.iter().filter_map(|e| match &e.outcome {
            Outcome::Skipped(skip) => Some((&e.item, skip)),
            _ => None,
        })
    }

    /// True when everything selected was removed (or listed, in a dry run): no failure, and
    /// nothing kept because something else depends on it. Items of runs not selected (too
    /// recent, or without a start time) do not count.
    pub fn is_complete(&self) -> bool {
        self.entries.iter().all(|e| {
            !matches!(
                e.outcome,
                Outcome::Failed(_) | Outcome::Skipped(Skip::Needed(_))
            )
        })
    }

    /// The closing line: what was swept where, and the counts.
    pub fn summary(&self) -> String {
        if self.entries.is_empty() {
            return format!("nothing of {} on {}", self.selection, self.endpoint);
        }
        let removed = self.removed().count();
        let failed = self.failed().count();
        let skipped = self.skipped().count();
        if self.dry_run {
            format!(
                "dry run of {} on {}: {removed} would be removed, {skipped} skipped; nothing was removed",
                self.selection, self.endpoint
            )
        } else {
            format!(
                "swept {} on {}: {removed} removed, {failed} could not be removed, {skipped} skipped",
                self.selection, self.endpoint
            )
        }
    }
}

/// A duration as `provspec sweep --older-than` takes it: a whole number above 0 and a unit,
/// `s`, `m`, `h` or `d` (`90s`, `30m`, `2h`, `1d`).
pub fn parse_duration(text: &str) -> Result<Duration, Error> {
    let invalid = || Error::Duration {
        text: text.to_owned(),
    };
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number.parse().map_err(|_| invalid())?;
    let unit: u64 = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return Err(invalid()),
    };
    match number.checked_mul(unit) {
        Some(seconds) if seconds > 0 => Ok(Duration::from_secs(seconds)),
        _ => Err(invalid()),
    }
}

/// `duration` in the largest unit that divides it (`7200 s` → `2h`), as it was given.
fn exact(duration: Duration) -> String {
    let seconds = duration.as_secs();
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if seconds > 0 && seconds.is_multiple_of(size) {
            return format!("{}{unit}", seconds / size);
        }
    }
    format!("{seconds}s")
}

/// `duration` rounded down to a unit a reader takes in at once (`75 min` → `75m`, `5 h` → `5h`).
fn approximate(duration: Duration) -> String {
    let seconds = duration.as_secs();
    match seconds {
        0..120 => format!("{seconds}s"),
        120..7_200 => format!("{}m", seconds / 60),
        7_200..172_800 => format!("{}h", seconds / 3_600),
        _ => format!("{}d", seconds / 86_400),
    }
}

/// What the selection says about an item of run `run_id`.
enum Choice {
    /// Sweep it.
    Take,
    /// Not this selection's business (another run, when sweeping one run).
    Ignore,
    /// A run the selection passes over, and why.
    Skip(Skip),
}

fn choose(selection: &Selection, run_id: &str, now: SystemTime) -> Choice {
    match selection {
        Selection::Run(wanted) if wanted == run_id => Choice::Take,
        Selection::Run(_) => Choice::Ignore,
        Selection::OlderThan(limit) => match naming::run_started_at(run_id) {
            None => Choice::Skip(Skip::NoStartTime),
            Some(started) => {
                // A start a little in the future (clock skew) is age zero.
                let age = now.duration_since(started).unwrap_or_default();
                if age > *limit {
                    Choice::Take
                } else {
                    Choice::Skip(Skip::TooRecent { age, limit: *limit })
                }
            }
        },
    }
}

/// The catalogue's kinds, every kind before the kinds it references (children before
/// parents: Cobbler systems, then profiles and images, then distros; Ironic ports, then
/// nodes), in catalogue order where nothing else decides. A kind referencing itself is not
/// held back by that.
fn removal_order(catalogue: &'static Catalogue) -> Vec<&'static KindSpec> {
    let mut remaining: Vec<&'static KindSpec> = catalogue.kinds.iter().collect();
    let mut order = Vec::new();
    while !remaining.is_empty() {
        let referenced = |kind: &KindSpec, among: &[&KindSpec]| {
            among.iter().any(|other| {
                other.name != kind.name && other.references.iter().any(|(_, t)| *t == kind.name)
            })
        };
        let free: Vec<&'static KindSpec> = remaining
            .iter()
            .copied()
            .filter(|kind| !referenced(kind, &remaining))
            .collect();
        if free.is_empty() {
            // References in a cycle between kinds: no order is right; keep the catalogue's,
            // reversed (it lists parents first).
            order.extend(remaining.drain(..).rev());
            break;
        }
        remaining.retain(|kind| !free.contains(kind));
        order.extend(free);
    }
    order
}

/// The items that reference `kind` `name` through some kind's reference attribute, as
/// `(kind, name)`: what removing it would take along.
async fn dependents(
    backend: &dyn Backend,
    kind: &KindSpec,
    name: &str,
) -> Result<Vec<(&'static str, String)>, backend::Error> {
    let mut found = Vec::new();
    for other in backend.catalogue().kinds {
        for (attribute, target) in other.references {
            if *target != kind.name {
                continue;
            }
            let criteria = [((*attribute).to_owned(), name.to_owned())];
            for dependent in backend.find(other, &criteria).await? {
                if !(other.name == kind.name && dependent == name) {
                    found.push((other.name, dependent));
                }
            }
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

/// `items` (all of `kind`) deepest first along the kind's references to itself (a Cobbler
/// sub-profile before its parent), then by name. An item that cannot be read comes back as
/// an error entry.
async fn deepest_first(
    backend: &dyn Backend,
    kind: &'static KindSpec,
    items: Vec<Item>,
) -> (Vec<Item>, Vec<Entry>) {
    let own: Vec<&str> = kind
        .references
        .iter()
        .filter(|(_, target)| *target == kind.name)
        .map(|(attribute, _)| *attribute)
        .collect();
    if own.is_empty() {
        return (items, Vec::new());
    }
    let names: HashSet<String> = items.iter().map(|i| i.name.clone()).collect();
    let mut parents: Vec<(Item, Vec<String>)> = Vec::new();
    let mut unreadable = Vec::new();
    for item in items {
        match backend.get(kind, &item.name).await {
            Ok(record) => {
                let of_item: Vec<String> = own
                    .iter()
                    .filter_map(|attribute| record.as_ref()?.text(attribute))
                    .filter(|parent| names.contains(parent))
                    .collect();
                parents.push((item, of_item));
            }
            Err(error) => unreadable.push(Entry {
                item,
                outcome: Outcome::Failed(error),
            }),
        }
    }
    let depth = |start: &str| {
        let mut depth = 0;
        let mut current = start.to_owned();
        // Bounded: a cycle of parents cannot loop for ever.
        while depth < parents.len() {
            let parent = parents
                .iter()
                .find(|(item, _)| item.name == current)
                .and_then(|(_, up)| up.first());
            match parent {
                Some(parent) => {
                    current = parent.clone();
                    depth += 1;
                }
                None => break,
            }
        }
        depth
    };
    let mut ordered: Vec<(usize, Item)> = parents
        .iter()
        .map(|(item, _)| (depth(&item.name), item.clone()))
        .collect();
    ordered.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    (
        ordered.into_iter().map(|(_, item)| item).collect(),
        unreadable,
    )
}

/// Sweeps the server behind `connector`: lists the items carrying a run marker, keeps those
/// `selection` chooses and removes them children first (only lists them when `dry_run`).
/// `progress` sees every entry as it is decided, for printing. Fails only when the
/// connector is an embedded fake or the listing fails; a failure on one item is an entry and
/// the rest go on.
pub async fn sweep(
    connector: &dyn Connector,
    selection: &Selection,
    dry_run: bool,
    mut progress: impl FnMut(&Entry),
) -> Result<Report, Error> {
    if connector.is_embedded_fake() {
        return Err(Error::EmbeddedFake {
            backend: connector.name(),
        });
    }
    let endpoint = crate::http::hide_userinfo(&connector.endpoint());
    let backend = connector.open();
    let marker = match selection {
        Selection::Run(run_id) => naming::run_marker(run_id),
        Selection::OlderThan(_) => ANY_RUN.to_owned(),
    };
    let listed = backend
        .list_marked(&marker)
        .await
        .map_err(|error| Error::Listing {
            endpoint: endpoint.clone(),
            error,
        })?;

    let now = SystemTime::now();
    let mut chosen: BTreeSet<Item> = BTreeSet::new();
    let mut passed_over: Vec<Entry> = Vec::new();
    for (kind, name) in listed {
        let Some((run_id, _)) = naming::parse_real_name(&name) else {
            continue;
        };
        let item = Item {
            kind,
            name: name.clone(),
            run_id: run_id.to_owned(),
        };
        match choose(selection, run_id, now) {
            Choice::Take => {
                chosen.insert(item);
            }
            Choice::Ignore => {}
            Choice::Skip(skip) => passed_over.push(Entry {
                item,
                outcome: Outcome::Skipped(skip),
            }),
        }
    }
    let order = removal_order(backend.catalogue());
    let rank = |kind: &str| order.iter().position(|k| k.name == kind);
    passed_over.sort_by(|a, b| {
        (&a.item.run_id, rank(a.item.kind), &a.item.name).cmp(&(
            &b.item.run_id,
            rank(b.item.kind),
            &b.item.name,
        ))
    });
    passed_over.dedup_by(|a, b| a.item == b.item);

    let mut entries = Vec::new();
    for entry in passed_over {
        progress(&entry);
        entries.push(entry);
    }
    let selected: HashSet<(&'static str, String)> = chosen
        .iter()
        .map(|item| (item.kind, item.name.clone()))
        .collect();
    // What stays on the server although selected: what depends on it must stay too.
    let mut kept: HashSet<(&'static str, String)> = HashSet::new();
    for kind in order {
        let of_kind: Vec<Item> = chosen
            .iter()
            .filter(|i| i.kind == kind.name)
            .cloned()
            .collect();
        let (items, unreadable) = deepest_first(backend.as_ref(), kind, of_kind).await;
        for entry in unreadable {
            kept.insert((entry.item.kind, entry.item.name.clone()));
            progress(&entry);
            entries.push(entry);
        }
        for item in items {
            let outcome = match dependents(backend.as_ref(), kind, &item.name).await {
                Err(error) => Outcome::Failed(error),
                Ok(dependents) => {
                    let blocking: Vec<(&'static str, String)> = dependents
                        .into_iter()
                        .filter(|d| !selected.contains(d) || kept.contains(d))
                        .collect();
                    if !blocking.is_empty() {
                        Outcome::Skipped(Skip::Needed(blocking))
                    } else if dry_run {
                        Outcome::WouldRemove
                    } else {
                        match backend.discard(kind, &item.name).await {
                            Ok(()) => Outcome::Removed,
                            Err(error) => Outcome::Failed(error),
                        }
                    }
                }
            };
            if matches!(outcome, Outcome::Failed(_) | Outcome::Skipped(_)) {
                kept.insert((item.kind, item.name.clone()));
            }
            let entry = Entry { item, outcome };
            progress(&entry);
            entries.push(entry);
        }
    }
    Ok(Report {
        endpoint,
        selection: selection.clone(),
        dry_run,
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_a_number_and_a_unit() {
        assert_eq!(parse_duration("90s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("30m").unwrap(), Duration::from_secs(1_800));
        assert_eq!(parse_duration("2h").unwrap(), Duration::from_secs(7_200));
        assert_eq!(parse_duration("1d").unwrap(), Duration::from_secs(86_400));
        for bad in [
            "",
            "2",
            "h",
            "0h",
            "2 h",
            "2H",
            "1h30m",
            "-1h",
            "2w",
            "99999999999999999d",
        ] {
            let error = parse_duration(bad).unwrap_err().to_string();
            assert!(error.contains("is not a duration"), "{bad}: {error}");
        }
        assert_eq!(exact(Duration::from_secs(7_200)), "2h");
        assert_eq!(exact(Duration::from_secs(5_400)), "90m");
        assert_eq!(exact(Duration::from_secs(86_400)), "1d");
        assert_eq!(exact(Duration::from_secs(61)), "61s");
        assert_eq!(approximate(Duration::from_secs(4_500)), "75m");
        assert_eq!(approximate(Duration::from_secs(20_000)), "5h");
    }

    #[test]
    fn kinds_are_removed_children_first() {
        let names =
            |catalogue| -> Vec<&str> { removal_order(catalogue).iter().map(|k| k.name).collect() };
        assert_eq!(
            names(&crate::cobbler::catalogue::CATALOGUE),
            [
                "system",
                "snippet",
                "profile",
                "image",
                "distro",
                "repo",
                "menu",
                "template",
                "mgmtclass",
                "file",
                "package"
            ]
        );
        assert_eq!(
            names(&crate::ironic::catalogue::CATALOGUE),
            [
                "port",
                "deploy_template",
                "runbook",
                "allocation",
                "portgroup",
                "node"
            ]
        );
    }

    #[test]
    fn age_selects_runs_with_a_start_time_older_than_the_limit() {
        let now = SystemTime::now();
        let limit = Duration::from_secs(7_200);
        let old = naming::new_run_id();
        // `new_run_id` is now; three hours later it is old.
        let later = now + Duration::from_secs(3 * 3_600);
        let selection = Selection::OlderThan(limit);
        assert!(matches!(choose(&selection, &old, later), Choice::Take));
        assert!(matches!(
            choose(&selection, &old, now),
            Choice::Skip(Skip::TooRecent { .. })
        ));
        assert!(matches!(
            choose(&selection, "ci42", later),
            Choice::Skip(Skip::NoStartTime)
        ));
        let run = Selection::Run("ci42".into());
        assert!(matches!(choose(&run, "ci42", now), Choice::Take));
        assert!(matches!(choose(&run, &old, now), Choice::Ignore));
        assert_eq!(run.to_string(), "run ci42");
        assert_eq!(selection.to_string(), "runs older than 2h");
    }

    #[test]
    fn entries_read_as_one_line_each() {
        let item = Item {
            kind: "system",
            name: "web-01--tf2k9qx7-4".into(),
            run_id: "tf2k9qx7".into(),
        };
        let line = |outcome| {
            Entry {
                item: item.clone(),
                outcome,
            }
            .to_string()
        };
        assert_eq!(
            line(Outcome::Removed),
            "removed system web-01--tf2k9qx7-4 (run tf2k9qx7)"
        );
        assert_eq!(
            line(Outcome::WouldRemove),
            "would remove system web-01--tf2k9qx7-4 (run tf2k9qx7)"
        );
        assert_eq!(
            line(Outcome::Failed(backend::Error::Invalid("boom".into()))),
            "could not remove system web-01--tf2k9qx7-4 (run tf2k9qx7): boom"
        );
        assert_eq!(
            line(Outcome::Skipped(Skip::NoStartTime)),
            "skipped system web-01--tf2k9qx7-4 (run tf2k9qx7): carries no start time, sweep it with --run-id tf2k9qx7"
        );
        assert_eq!(
            line(Outcome::Skipped(Skip::TooRecent {
                age: Duration::from_secs(600),
                limit: Duration::from_secs(7_200)
            })),
            "skipped system web-01--tf2k9qx7-4 (run tf2k9qx7): started 10m ago, not older than 2h"
        );
        assert_eq!(
            line(Outcome::Skipped(Skip::Needed(vec![(
                "system",
                "db".into()
            )]))),
            "skipped system web-01--tf2k9qx7-4 (run tf2k9qx7): system db depends on it and is not swept"
        );
    }
}
