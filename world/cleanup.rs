//! Undo actions for everything a scenario created, unwound newest first, whatever happened.
//!
//! Each scenario's stack is also held in a run-wide list of pending stacks, so that a run
//! stopped mid-scenario (Ctrl-C, SIGTERM, a server that stopped answering) can still unwind
//! every stack after cucumber's own scenario futures are gone: see [`unwind_pending`].

use crate::world::StepResult;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::backend::{Backend, KindSpec};
use crate::calls::layer::CallLayer;
use serde::Serialize;

/// One item to remove after the scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undo {
    /// The item's kind.
    pub kind: &'static KindSpec,
    /// The alias, for reports.
    pub alias: String,
    /// The name on the server.
    pub real_name: String,
    /// Its place in the order the scenario created its items (0 for the first): the manifest
    /// lists them so, whatever order cleanup or the steps took them off in.
    pub created: u64,
}

impl Undo {
    /// "system "web-01" (web-01--tf2k9qx7-4)".
    fn item(&self) -> String {
        format!("{} {:?} ({})", self.kind, self.alias, self.real_name)
    }
}

/// How one item was cleaned up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "cleanup", content = "error")]
pub enum Outcome {
    /// Removed by the cleanup (or it was already gone: the server does not always say).
    Removed,
    /// A step of the scenario removed it; cleanup had nothing left to do.
    AlreadyGone,
    /// The removal failed; the error says why.
    Failed(String),
    /// Not tried: the run was stopped, or the server stopped answering, before its turn.
    NotTried(String),
}

/// One created item and how it was cleaned up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cleaned {
    /// The item.
    pub undo: Undo,
    /// What happened to it.
    pub outcome: Outcome,
    /// For a failed removal: the later removal (of an item it depended on, which takes its
    /// dependants) that took it after all, so that it is not left on the server. The outcome
    /// stays [`Outcome::Failed`]: the undo call did fail, and that fails the scenario.
    pub taken_with: Option<String>,
}

impl Cleaned {
    /// "system "web-01" (web-01--tf2k9qx7-4)".
    pub fn item(&self) -> String {
        self.undo.item()
    }

    /// What became of the item on the server: its outcome, except that a failed removal
    /// another removal made up for ([`Cleaned::taken_with`]) is [`Outcome::Removed`].
    pub fn final_outcome(&self) -> Outcome {
        match self.taken_with {
            Some(_) => Outcome::Removed,
            None => self.outcome.clone(),
        }
    }
}

/// Where a scenario is, for reports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScenarioLabel {
    /// The feature file, relative to the crate root.
    pub file: String,
    /// The scenario's line.
    pub line: usize,
    /// The scenario's name.
    pub name: String,
}

impl ScenarioLabel {
    /// Whether a before hook named the scenario (a stack starts unnamed).
    pub fn is_named(&self) -> bool {
        !self.file.is_empty() && self.line >= 1
    }

    /// The label of a stack no before hook named: its World was made for a scenario that had
    /// not started when the run stopped. It says so where the file would be, and takes the
    /// first line, as the manifest's schema wants a file and a line.
    pub fn not_yet_started() -> Self {
        Self {
            file: "(a scenario not yet started)".to_owned(),
            line: 1,
            name: "(the run stopped before its before hook named it)".to_owned(),
        }
    }
}

impl std::fmt::Display for ScenarioLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} ({}:{})", self.name, self.file, self.line)
    }
}

/// An item of the stack that references another (a profile's distro, a system's profile, a
/// port's node): a removal of the parent that takes its dependants takes it too.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Link {
    /// The dependent item's kind and real name.
    child: (&'static KindSpec, String),
    /// The attribute holding the reference (`profile`, `distro`, `node`).
    attribute: String,
    /// The referenced item's kind and real name.
    parent: (&'static KindSpec, String),
}

#[derive(Debug)]
struct Stack {
    scenario: ScenarioLabel,
    /// References between the scenario's items, as its steps set them.
    links: Vec<Link>,
    backend: Arc<dyn Backend>,
    /// The scenario's call layer, switched off before the first undo: injected faults never
    /// reach cleanup, and the journal holds only the steps' calls.
    layer: CallLayer,
    /// Still to undo, newest last.
    undo: Vec<Undo>,
    /// The [`Undo::created`] of the next item pushed.
    next_created: u64,
    /// Already undone (or given up), in the order it happened.
    cleaned: Vec<Cleaned>,
}

/// The undo actions of one scenario, newest last, and what became of those already unwound.
#[derive(Clone)]
pub struct CleanupStack {
    ticket: u64,
    stack: Arc<Mutex<Stack>>,
}

/// Every scenario's stack that has not been unwound yet, in the order the scenarios started.
static PENDING: Mutex<Vec<CleanupStack>> = Mutex::new(Vec::new());
static NEXT_TICKET: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn pending() -> MutexGuard<'static, Vec<CleanupStack>> {
    PENDING.lock().unwrap_or_else(|p| p.into_inner())
}

impl std::fmt::Debug for CleanupStack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let stack = self.lock();
        let pending: Vec<String> = stack.undo.iter().map(Undo::item).collect();
        let cleaned: Vec<String> = stack
            .cleaned
            .iter()
            .map(|c| format!("{}: {}", c.item(), describe(&c.outcome)))
            .collect();
        f.debug_struct("CleanupStack")
            .field("pending", &pending)
            .field("cleaned", &cleaned)
            .finish()
    }
}

/// One outcome in words.
pub fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Removed => "removed".to_owned(),
        Outcome::AlreadyGone => "already gone (a step removed it)".to_owned(),
        Outcome::Failed(error) => format!("failed: {error}"),
        Outcome::NotTried(why) => format!("not tried: {why}"),
    }
}

impl CleanupStack {
    /// An empty stack for a scenario on `backend` (whose calls go through `layer`), listed
    /// among the run's pending stacks.
    pub fn new(backend: Arc<dyn Backend>, layer: CallLayer) -> Self {
        let stack = Self {
            ticket: NEXT_TICKET.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            stack: Arc::new(Mutex::new(Stack {
                scenario: ScenarioLabel::default(),
                links: Vec::new(),
                backend,
                layer,
                undo: Vec::new(),
                next_created: 0,
                cleaned: Vec::new(),
            })),
        };
        pending().push(stack.clone());
        stack
    }

    fn lock(&self) -> MutexGuard<'_, Stack> {
        self.stack.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Points the stack at another backend (a scenario pointed at a server it started); only
    /// while it holds nothing to undo, so that every undo goes where its item was made.
    pub fn rebind(&self, backend: Arc<dyn Backend>, layer: CallLayer) -> StepResult {
        let mut stack = self.lock();
        if !stack.undo.is_empty() {
            return Err(crate::authoring!(
                "the scenario already created {} item(s) on its first server; point it at another server before creating anything",
                stack.undo.len()
            ));
        }
        stack.backend = backend;
        stack.layer = layer;
        Ok(())
    }

    /// Names the scenario the stack belongs to, for reports.
    pub fn set_scenario(&self, scenario: ScenarioLabel) {
        self.lock().scenario = scenario;
    }

    /// The items still to undo, oldest first.
    pub fn pending_items(&self) -> Vec<Undo> {
        self.lock().undo.clone()
    }

    /// The scenario the stack belongs to.
    pub fn scenario(&self) -> ScenarioLabel {
        self.lock().scenario.clone()
    }

    /// Adds the removal of `real_name`. Pushed *before* the create is tried: a failed create
    /// can still leave the item on the server, and discarding a missing item is harmless.
    /// True when it was not on the stack yet.
    pub fn push(&self, kind: &'static KindSpec, alias: &str, real_name: &str) -> bool {
        let mut stack = self.lock();
        if stack
            .undo
            .iter()
            .any(|u| u.kind == kind && u.alias == alias && u.real_name == real_name)
        {
            return false;
        }
        let created = stack.next_created;
        stack.next_created += 1;
        stack.undo.push(Undo {
            kind,
            alias: alias.to_owned(),
            real_name: real_name.to_owned(),
            created,
        });
        true
    }

    /// Takes back the undo [`CleanupStack::push`] just added for an item whose create the
    /// backend says left nothing on the server: there is nothing to remove.
    pub fn never_created(&self, kind: &'static KindSpec, real_name: &str) {
        let mut stack = self.lock();
        if let Some(at) = stack
            .undo
            .iter()
            .rposition(|u| u.kind == kind && u.real_name == real_name)
        {
            stack.undo.remove(at);
        }
        stack
            .links
            .retain(|l| !(l.child.0 == kind && l.child.1 == real_name));
    }

    /// Notes that `real_name` references `parent` through `attribute` (set by a create, a
    /// modify or a copy); `None` clears it.
    pub fn link(
        &self,
        kind: &'static KindSpec,
        real_name: &str,
        attribute: &str,
        parent: Option<(&'static KindSpec, String)>,
    ) {
        let mut stack = self.lock();
        stack
            .links
            .retain(|l| !(l.child.0 == kind && l.child.1 == real_name && l.attribute == attribute));
        if let Some(parent) = parent {
            stack.links.push(Link {
                child: (kind, real_name.to_owned()),
                attribute: attribute.to_owned(),
                parent,
            });
        }
    }

    /// Gives the copy `new_name` the references of `real_name`.
    pub fn copied(&self, kind: &'static KindSpec, real_name: &str, new_name: &str) {
        let mut stack = self.lock();
        let copies: Vec<Link> = stack
            .links
            .iter()
            .filter(|l| l.child.0 == kind && l.child.1 == real_name)
            .map(|l| Link {
                child: (kind, new_name.to_owned()),
                ..l.clone()
            })
            .collect();
        stack.links.extend(copies);
    }

    /// Notes that a step renamed `real_name` to `new_name`: the old name is gone (cleanup
    /// removes the new one), and references to it follow the rename as the server's do.
    pub fn renamed_by_step(&self, kind: &'static KindSpec, real_name: &str, new_name: &str) {
        let mut stack = self.lock();
        take_off(&mut stack, kind, real_name, Outcome::AlreadyGone);
        for link in &mut stack.links {
            if link.child.0 == kind && link.child.1 == real_name {
                new_name.clone_into(&mut link.child.1);
            }
            if link.parent.0 == kind && link.parent.1 == real_name {
                new_name.clone_into(&mut link.parent.1);
            }
        }
    }

    /// Notes that a step removed `real_name` (with what depends on it when `recursive`):
    /// nothing is left to undo for them.
    pub fn removed_by_step(&self, kind: &'static KindSpec, real_name: &str, recursive: bool) {
        let mut stack = self.lock();
        take_off(&mut stack, kind, real_name, Outcome::AlreadyGone);
        if recursive {
            let by = format!("a step's removal of {kind} {real_name}");
            take_dependants(&mut stack, kind, real_name, Outcome::AlreadyGone, &by);
        }
    }

    /// Discards everything, newest first, whatever state it is in, and takes the stack off
    /// the run's pending list. A failing removal is recorded and the rest go on. With a
    /// `deadline`, what is left when it passes is not tried. Returns every item the scenario
    /// created, with how it was cleaned.
    pub async fn unwind(&self, deadline: Option<Instant>) -> Vec<Cleaned> {
        loop {
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return self.abandon("the time for cleanup ran out");
            }
            if self.unwind_one(deadline).await.is_none() {
                return self.finish();
            }
        }
    }

    /// Undoes the newest item, within `deadline`: its outcome, or `None` when none is left.
    async fn unwind_one(&self, deadline: Option<Instant>) -> Option<Outcome> {
        let (backend, undo) = {
            let stack = self.lock();
            stack.layer.bypass();
            (stack.backend.clone(), stack.undo.last().cloned()?)
        };
        // Peeked, not popped: if this future is dropped mid-call (the run stopped), the item
        // stays pending and the run's last unwinding tries it again.
        let discard = backend.discard(undo.kind, &undo.real_name);
        let result = match deadline {
            None => discard.await.map_err(|e| e.to_string()),
            Some(deadline) => match tokio::time::timeout_at(deadline.into(), discard).await {
                Ok(result) => result.map_err(|e| e.to_string()),
                Err(_) => Err("no answer before the cleanup's deadline".to_owned()),
            },
        };
        let outcome = match result {
            Ok(()) => Outcome::Removed,
            Err(error) => Outcome::Failed(error),
        };
        let mut stack = self.lock();
        // Another unwinding of this stack (were two ever to run at once) may have taken it
        // while the call was out, and recorded it: it is recorded once, and the unwinding
        // goes on with what is left.
        let Some(at) = stack.undo.iter().rposition(|u| *u == undo) else {
            return Some(outcome);
        };
        stack.undo.remove(at);
        let (kind, real_name, by) = (undo.kind, undo.real_name.clone(), undo.item());
        stack.cleaned.push(Cleaned {
            undo,
            outcome: outcome.clone(),
            taken_with: None,
        });
        if outcome == Outcome::Removed {
            // `discard` removes what depends on the item with it (Cobbler's recursive
            // removal, Ironic's node with its ports): no call is left to make for those, and
            // one whose own removal failed earlier is gone after all.
            let by = format!("the removal of {by}");
            take_dependants(&mut stack, kind, &real_name, Outcome::Removed, &by);
        }
        Some(outcome)
    }

    /// Takes the stack off the pending list; every item with how it was cleaned.
    fn finish(&self) -> Vec<Cleaned> {
        pending().retain(|p| p.ticket != self.ticket);
        self.lock().cleaned.clone()
    }

    /// Gives up on everything still pending, with `why`, and takes the stack off the pending
    /// list.
    pub fn abandon(&self, why: &str) -> Vec<Cleaned> {
        {
            let mut stack = self.lock();
            let left: Vec<Undo> = stack.undo.drain(..).rev().collect();
            stack.cleaned.extend(left.into_iter().map(|undo| Cleaned {
                undo,
                outcome: Outcome::NotTried(why.to_owned()),
                taken_with: None,
            }));
        }
        self.finish()
    }
}

/// Takes `real_name`'s undo off the stack as cleaned with `outcome`; false when it was not on
/// the stack.
fn take_off(stack: &mut Stack, kind: &'static KindSpec, real_name: &str, outcome: Outcome) -> bool {
    let Some(at) = stack
        .undo
        .iter()
        .position(|u| u.kind == kind && u.real_name == real_name)
    else {
        return false;
    };
    let undo = stack.undo.remove(at);
    stack.cleaned.push(Cleaned {
        undo,
        outcome,
        taken_with: None,
    });
    true
}

/// Notes that `by` took `real_name` after its own removal failed: it is not left on the server.
/// Its outcome stays failed (the call did fail), and its error says what took it.
fn taken_after_failing(stack: &mut Stack, kind: &'static KindSpec, real_name: &str, by: &str) {
    let failed = stack.cleaned.iter_mut().rev().find(|c| {
        c.undo.kind == kind
            && c.undo.real_name == real_name
            && c.taken_with.is_none()
            && matches!(c.outcome, Outcome::Failed(_))
    });
    if let Some(cleaned) = failed {
        if let Outcome::Failed(error) = &mut cleaned.outcome {
            error.push_str(&format!(
                " (then {by} took it too: it is not left on the server)"
            ));
        }
        cleaned.taken_with = Some(by.to_owned());
    }
}

/// Takes off the stack, as cleaned with `outcome`, every item that references `real_name`,
/// directly or through others (a removal that takes dependants, `by`, took them); one whose
/// own removal failed earlier is noted as taken by `by`.
fn take_dependants(
    stack: &mut Stack,
    kind: &'static KindSpec,
    real_name: &str,
    outcome: Outcome,
    by: &str,
) {
    let mut gone = vec![(kind, real_name.to_owned())];
    while let Some((kind, name)) = gone.pop() {
        let children: Vec<(&'static KindSpec, String)> = stack
            .links
            .iter()
            .filter(|l| l.parent.0 == kind && l.parent.1 == name)
            .map(|l| l.child.clone())
            .collect();
        stack
            .links
            .retain(|l| !(l.parent.0 == kind && l.parent.1 == name));
        for (child_kind, child) in children {
            if !take_off(stack, child_kind, &child, outcome.clone()) {
                taken_after_failing(stack, child_kind, &child, by);
            }
            gone.push((child_kind, child));
        }
    }
}

/// Unwinds every stack no after-hook unwound (the run was stopped), newest scenario first,
/// all within `budget`. With `per_call` (the server stopped answering), each removal gets that
/// long at most, and once one fails the rest are not tried. Returns each scenario with its
/// items and how they were cleaned. A stack no before hook named is a World made for a
/// scenario that had not started: with nothing in it, it is not reported; with something, it
/// is reported as [`ScenarioLabel::not_yet_started`].
pub async fn unwind_pending(
    budget: Duration,
    per_call: Option<Duration>,
) -> Vec<(ScenarioLabel, Vec<Cleaned>)> {
    let stacks: Vec<CleanupStack> = pending().iter().rev().cloned().collect();
    unwind_stacks(stacks, budget, per_call).await
}

/// [`unwind_pending`] on `stacks`.
async fn unwind_stacks(
    stacks: Vec<CleanupStack>,
    budget: Duration,
    per_call: Option<Duration>,
) -> Vec<(ScenarioLabel, Vec<Cleaned>)> {
    const SILENT: &str = "the server stopped answering";
    let deadline = Instant::now() + budget;
    let mut reports = Vec::new();
    let mut silent = false;
    for stack in stacks {
        let cleaned = match per_call {
            None => stack.unwind(Some(deadline)).await,
            Some(per_call) => loop {
                if silent {
                    break stack.abandon(SILENT);
                }
                if Instant::now() >= deadline {
                    break stack.abandon("the time for cleanup ran out");
                }
                let bound = (Instant::now() + per_call).min(deadline);
                match stack.unwind_one(Some(bound)).await {
                    None => break stack.finish(),
                    Some(Outcome::Failed(_)) => silent = true,
                    Some(_) => {}
                }
            },
        };
        let scenario = stack.scenario();
        if scenario.is_named() {
            reports.push((scenario, cleaned));
        } else if !cleaned.is_empty() {
            reports.push((ScenarioLabel::not_yet_started(), cleaned));
        }
    }
    reports
}

#[cfg(test)]
mod tests {
    //! The stack against the embedded fake Cobbler. Items are made through the backend the
    //! way the World's actions do it (undo pushed before the create, dependency references
    //! linked after). The backend's calls go through a layer of their own (`wire`), which the
    //! stack never switches off: its journal shows every call cleanup sent, and its faults
    //! reach cleanup's removals. In a run the stack and the backend share one layer, which
    //! cleanup switches off; `cleanup_goes_around_the_scenarios_faults_and_journal` checks
    //! that wiring.

    use super::*;
    use crate::backend::Connector;
    use crate::calls::faults::{FaultKind, FaultRule};
    use crate::cobbler::Kind;
    use crate::cobbler::backend::CobblerConnector;
    use crate::cobbler::boot_files::BootFiles;
    use crate::cobbler::catalogue::CATALOGUE;
    use crate::cobbler::fake::FakeCobbler;
    use crate::world::manifest::{self, CallTally, ScenarioStatus};

    fn spec(kind: &str) -> &'static KindSpec {
        CATALOGUE.kind(kind).expect("a Cobbler kind")
    }

    /// One scenario's stack over its own embedded fake.
    struct Lab {
        fake: FakeCobbler,
        /// Holds the dummy boot files the distros point at.
        connector: CobblerConnector,
        backend: Arc<dyn Backend>,
        /// Under the backend: journals every call (cleanup's too) and injects faults.
        wire: CallLayer,
        /// The scenario's layer, which the stack switches off.
        scenario: CallLayer,
        stack: CleanupStack,
    }

    impl Lab {
        fn new() -> Self {
            Self::wired(false)
        }

        /// As the World wires it: the stack on the backend's own layer.
        fn production_wiring() -> Self {
            Self::wired(true)
        }

        fn wired(shared_layer: bool) -> Self {
            let fake = FakeCobbler::default();
            let boot = BootFiles::create_local().expect("dummy boot files can be written");
            let connector = CobblerConnector::embedded(Some(fake.clone()), boot);
            let wire = CallLayer::new(Duration::from_secs(30), None);
            let backend = connector.open_with(wire.clone());
            let scenario = if shared_layer {
                wire.clone()
            } else {
                CallLayer::new(Duration::from_secs(30), None)
            };
            let stack = CleanupStack::new(backend.clone(), scenario.clone());
            Self {
                fake,
                connector,
                backend,
                wire,
                scenario,
                stack,
            }
        }

        /// Creates `kind` `name` with the kind's defaults and `attributes` (references by real
        /// name), as the World's create does it.
        async fn create(&self, kind: &str, name: &str, attributes: &[(&str, &str)]) {
            let spec = spec(kind);
            assert!(self.stack.push(spec, &alias(name), name));
            let placeholders = self.connector.placeholders();
            let mut all: Vec<(String, String)> = spec
                .defaults
                .iter()
                .map(|(a, v)| {
                    let v = placeholders
                        .iter()
                        .fold((*v).to_owned(), |v, (p, with)| v.replace(p, with));
                    ((*a).to_owned(), v)
                })
                .collect();
            all.extend(
                attributes
                    .iter()
                    .map(|(a, v)| ((*a).to_owned(), (*v).to_owned())),
            );
            // Where the stack's undos go (another server after a rebind), as the World's
            // backend follows it.
            let backend = self.stack.lock().backend.clone();
            backend
                .create(spec, name, &all)
                .await
                .unwrap_or_else(|e| panic!("creating {kind} {name}: {e}"));
            self.link(kind, name, attributes);
        }

        fn link(&self, kind: &str, name: &str, attributes: &[(&str, &str)]) {
            for (attribute, value) in attributes {
                if let Some(target) = spec(kind).reference(attribute)
                    && CATALOGUE.is_dependency(kind, attribute)
                {
                    self.stack.link(
                        spec(kind),
                        name,
                        attribute,
                        Some((spec(target), (*value).to_owned())),
                    );
                }
            }
        }

        /// The removals the server received, in order: `remove_profile p1`.
        fn removals(&self) -> Vec<String> {
            self.wire
                .calls()
                .iter()
                .filter(|c| c.name.starts_with("remove_"))
                .map(|c| format!("{} {}", c.name, c.arguments[0].as_str().unwrap_or("?")))
                .collect()
        }

        fn is_pending(&self) -> bool {
            pending().iter().any(|p| p.ticket == self.stack.ticket)
        }

        fn still_to_undo(&self) -> Vec<String> {
            self.stack
                .lock()
                .undo
                .iter()
                .map(|u| u.real_name.clone())
                .collect()
        }
    }

    /// The alias of a test item: its name up to `--`.
    fn alias(name: &str) -> String {
        name.split("--").next().unwrap_or(name).to_owned()
    }

    /// `(kind, real name, outcome)` of each cleaned item, in the order they were cleaned.
    fn summary(cleaned: &[Cleaned]) -> Vec<(&'static str, &str, Outcome)> {
        cleaned
            .iter()
            .map(|c| {
                (
                    c.undo.kind.name,
                    c.undo.real_name.as_str(),
                    c.outcome.clone(),
                )
            })
            .collect()
    }

    /// Records `cleaned` in the manifest as the scenario named `name`, and reads back its items
    /// as `(kind, real name, cleanup)`, and what of them the manifest lists as left.
    fn in_the_manifest(
        name: &str,
        cleaned: &[Cleaned],
    ) -> (Vec<(String, String, Outcome)>, Vec<String>) {
        let label = ScenarioLabel {
            file: "world/cleanup.rs".into(),
            line: 1,
            name: name.to_owned(),
        };
        manifest::record(
            &label,
            ScenarioStatus::Failed,
            cleaned,
            CallTally::default(),
        );
        let entry = manifest::scenarios()
            .into_iter()
            .find(|s| s.name == name)
            .expect("the scenario is recorded");
        let resources: Vec<(String, String, Outcome)> = entry
            .resources
            .into_iter()
            .map(|r| (r.kind, r.real_name, r.cleanup))
            .collect();
        let left = manifest::not_cleaned()
            .into_iter()
            .map(|l| l.real_name)
            .filter(|l| resources.iter().any(|(_, name, _)| name == l))
            .collect();
        (resources, left)
    }

    /// d1, a profile p1 on it, a system s1 on p1.
    async fn distro_profile_system(lab: &Lab) {
        lab.create("distro", "d1--t-1", &[]).await;
        lab.create("profile", "p1--t-1", &[("distro", "d1--t-1")])
            .await;
        lab.create("system", "s1--t-1", &[("profile", "p1--t-1")])
            .await;
    }

    #[tokio::test]
    async fn unwind_removes_newest_first_and_leaves_the_server_empty() {
        let lab = Lab::new();
        distro_profile_system(&lab).await;
        assert!(lab.is_pending());
        let cleaned = lab.stack.unwind(None).await;
        assert_eq!(
            lab.removals(),
            [
                "remove_system s1--t-1",
                "remove_profile p1--t-1",
                "remove_distro d1--t-1"
            ]
        );
        assert_eq!(
            summary(&cleaned),
            [
                ("system", "s1--t-1", Outcome::Removed),
                ("profile", "p1--t-1", Outcome::Removed),
                ("distro", "d1--t-1", Outcome::Removed),
            ]
        );
        assert_eq!(cleaned[0].undo.alias, "s1");
        assert!(lab.fake.is_empty(), "left: {:?}", lab.fake.inventory());
        assert!(
            !lab.is_pending(),
            "an unwound stack leaves the pending list"
        );
        assert!(lab.still_to_undo().is_empty());
    }

    #[tokio::test]
    async fn what_a_parents_removal_took_is_not_removed_again() {
        // d1, p1 on d1, s1 on p1, then d2, and p1 moved to d2: the stack holds d1 p1 s1 d2,
        // and removing d2 (recursively, as cleanup does) takes p1 and, through it, s1.
        let lab = Lab::new();
        distro_profile_system(&lab).await;
        lab.create("distro", "d2--t-1", &[]).await;
        lab.backend
            .modify(
                spec("profile"),
                "p1--t-1",
                &[("distro".into(), "d2--t-1".into())],
            )
            .await
            .unwrap();
        lab.link("profile", "p1--t-1", &[("distro", "d2--t-1")]);
        let cleaned = lab.stack.unwind(None).await;
        assert_eq!(
            lab.removals(),
            ["remove_distro d2--t-1", "remove_distro d1--t-1"],
            "p1 and s1 went with d2: no call is left to make for them"
        );
        assert_eq!(
            summary(&cleaned),
            [
                ("distro", "d2--t-1", Outcome::Removed),
                ("profile", "p1--t-1", Outcome::Removed),
                ("system", "s1--t-1", Outcome::Removed),
                ("distro", "d1--t-1", Outcome::Removed),
            ]
        );
        assert!(lab.fake.is_empty(), "left: {:?}", lab.fake.inventory());
    }

    #[tokio::test]
    async fn what_a_steps_recursive_removal_took_is_already_gone() {
        let lab = Lab::new();
        distro_profile_system(&lab).await;
        lab.create("distro", "d2--t-1", &[]).await;
        // A step removes d1 recursively, as `When I delete distro "d1"` does.
        lab.backend
            .remove(spec("distro"), "d1--t-1", true)
            .await
            .unwrap();
        lab.stack.removed_by_step(spec("distro"), "d1--t-1", true);
        assert_eq!(lab.still_to_undo(), ["d2--t-1"]);
        let sent_by_steps = lab.removals().len();
        let cleaned = lab.stack.unwind(None).await;
        assert_eq!(
            lab.removals()[sent_by_steps..],
            ["remove_distro d2--t-1"],
            "cleanup removes only what the step left"
        );
        assert_eq!(
            summary(&cleaned),
            [
                ("distro", "d1--t-1", Outcome::AlreadyGone),
                ("profile", "p1--t-1", Outcome::AlreadyGone),
                ("system", "s1--t-1", Outcome::AlreadyGone),
                ("distro", "d2--t-1", Outcome::Removed),
            ]
        );
        assert!(lab.fake.is_empty(), "left: {:?}", lab.fake.inventory());
    }

    #[tokio::test]
    async fn a_step_removal_without_recursion_takes_only_its_item() {
        let lab = Lab::new();
        distro_profile_system(&lab).await;
        lab.stack.removed_by_step(spec("profile"), "p1--t-1", false);
        assert_eq!(lab.still_to_undo(), ["d1--t-1", "s1--t-1"]);
        lab.stack.unwind(None).await;
    }

    #[tokio::test]
    async fn references_follow_a_rename_by_a_step() {
        // d1 renamed to d1b by a step: p1 now hangs off d1b, so removing d1b takes p1.
        let lab = Lab::new();
        lab.create("distro", "d1--t-1", &[]).await;
        lab.create("profile", "p1--t-1", &[("distro", "d1--t-1")])
            .await;
        lab.stack.push(spec("distro"), "d1b", "d1b--t-1");
        lab.backend
            .renaming()
            .expect("the fake renames")
            .rename(spec("distro"), "d1--t-1", "d1b--t-1")
            .await
            .unwrap();
        lab.stack
            .renamed_by_step(spec("distro"), "d1--t-1", "d1b--t-1");
        let cleaned = lab.stack.unwind(None).await;
        assert_eq!(lab.removals(), ["remove_distro d1b--t-1"]);
        assert_eq!(
            summary(&cleaned),
            [
                ("distro", "d1--t-1", Outcome::AlreadyGone),
                ("distro", "d1b--t-1", Outcome::Removed),
                ("profile", "p1--t-1", Outcome::Removed),
            ]
        );
        assert!(lab.fake.is_empty(), "left: {:?}", lab.fake.inventory());
    }

    #[tokio::test]
    async fn an_undo_stays_on_the_stack_until_its_call_returns() {
        let lab = Lab::new();
        distro_profile_system(&lab).await;
        // The first removal is slow; the unwinding is dropped while it waits (a run stopped).
        lab.wire.inject(FaultRule {
            call: Some("remove_system".into()),
            times: Some(1),
            fault: FaultKind::Latency {
                base_ms: 60_000,
                jitter_ms: 0,
            },
        });
        let dropped =
            tokio::time::timeout(Duration::from_millis(300), lab.stack.unwind(None)).await;
        assert!(dropped.is_err(), "the removal should still be waiting");
        assert_eq!(
            lab.still_to_undo(),
            ["d1--t-1", "p1--t-1", "s1--t-1"],
            "the system's undo is kept while its call has not returned"
        );
        assert!(lab.stack.lock().cleaned.is_empty());
        assert!(lab.is_pending());
        assert_eq!(lab.fake.names(Kind::System), ["s1--t-1"]);
        // The run's last unwinding tries it again.
        let cleaned = lab.stack.unwind(None).await;
        assert_eq!(
            summary(&cleaned),
            [
                ("system", "s1--t-1", Outcome::Removed),
                ("profile", "p1--t-1", Outcome::Removed),
                ("distro", "d1--t-1", Outcome::Removed),
            ]
        );
        assert!(lab.fake.is_empty(), "left: {:?}", lab.fake.inventory());
    }

    #[tokio::test]
    async fn a_failed_undo_is_reported_and_the_rest_still_run() {
        let lab = Lab::new();
        lab.create("repo", "r1--t-1", &[("mirror", "http://mirror.invalid/r1")])
            .await;
        distro_profile_system(&lab).await;
        lab.wire.inject(FaultRule {
            call: Some("remove_profile".into()),
            times: Some(1),
            fault: FaultKind::Refuse {
                message: "profile is busy".into(),
            },
        });
        let cleaned = lab.stack.unwind(None).await;
        assert_eq!(
            lab.removals(),
            [
                "remove_system s1--t-1",
                "remove_profile p1--t-1",
                "remove_distro d1--t-1",
                "remove_repo r1--t-1"
            ]
        );
        let summary = summary(&cleaned);
        assert_eq!(summary.len(), 4, "every item is reported: {summary:?}");
        assert_eq!(summary[0], ("system", "s1--t-1", Outcome::Removed));
        assert!(
            matches!(&summary[1], ("profile", "p1--t-1", Outcome::Failed(e)) if e.contains("profile is busy")),
            "{:?}",
            summary[1]
        );
        assert_eq!(summary[2], ("distro", "d1--t-1", Outcome::Removed));
        assert_eq!(summary[3], ("repo", "r1--t-1", Outcome::Removed));
        assert!(describe(&summary[1].2).starts_with("failed: "));
        // The distro's recursive removal took the profile on the server.
        assert!(lab.fake.is_empty(), "left: {:?}", lab.fake.inventory());
        assert!(!lab.is_pending());
    }

    #[tokio::test]
    async fn a_deadline_fails_the_call_in_flight_and_leaves_the_rest_not_tried() {
        let lab = Lab::new();
        distro_profile_system(&lab).await;
        lab.wire.inject(FaultRule {
            call: Some("remove_system".into()),
            times: Some(1),
            fault: FaultKind::Stall,
        });
        let deadline = Instant::now() + Duration::from_millis(300);
        let cleaned = lab.stack.unwind(Some(deadline)).await;
        let why = "the time for cleanup ran out".to_owned();
        assert_eq!(
            summary(&cleaned),
            [
                (
                    "system",
                    "s1--t-1",
                    Outcome::Failed("no answer before the cleanup's deadline".into())
                ),
                ("profile", "p1--t-1", Outcome::NotTried(why.clone())),
                ("distro", "d1--t-1", Outcome::NotTried(why)),
            ]
        );
        assert!(lab.still_to_undo().is_empty());
        assert!(!lab.is_pending());
        assert_eq!(lab.fake.inventory().len(), 3, "nothing was removed");
    }

    #[tokio::test]
    async fn cleanup_goes_around_the_scenarios_faults_and_journal() {
        let lab = Lab::production_wiring();
        distro_profile_system(&lab).await;
        // Every call of the scenario fails from now on; cleanup's must not.
        lab.scenario.inject(FaultRule {
            call: None,
            times: None,
            fault: FaultKind::Refuse {
                message: "injected".into(),
            },
        });
        let journal = lab.scenario.calls().len();
        let cleaned = lab.stack.unwind(None).await;
        assert!(
            cleaned.iter().all(|c| c.outcome == Outcome::Removed),
            "{cleaned:?}"
        );
        assert!(lab.fake.is_empty(), "left: {:?}", lab.fake.inventory());
        assert!(lab.scenario.is_bypassed());
        assert_eq!(
            lab.scenario.calls().len(),
            journal,
            "the journal holds only the steps' calls"
        );
    }

    #[tokio::test]
    async fn an_abandoned_stack_reports_everything_as_not_tried_newest_first() {
        let lab = Lab::new();
        distro_profile_system(&lab).await;
        let cleaned = lab.stack.abandon("the run was stopped");
        let why = Outcome::NotTried("the run was stopped".into());
        assert_eq!(
            summary(&cleaned),
            [
                ("system", "s1--t-1", why.clone()),
                ("profile", "p1--t-1", why.clone()),
                ("distro", "d1--t-1", why),
            ]
        );
        assert!(lab.removals().is_empty());
        assert!(!lab.is_pending());
        assert_eq!(
            describe(&cleaned[0].outcome),
            "not tried: the run was stopped"
        );
        assert_eq!(cleaned[0].item(), "system \"s1\" (s1--t-1)");
    }

    #[tokio::test]
    async fn an_item_is_pushed_once_and_one_never_created_is_not_removed() {
        let lab = Lab::new();
        let system = spec("system");
        assert!(lab.stack.push(system, "s1", "s1--t-1"));
        assert!(!lab.stack.push(system, "s1", "s1--t-1"), "pushed again");
        assert!(lab.stack.push(system, "s2", "s2--t-1"));
        lab.stack.never_created(system, "s1--t-1");
        assert_eq!(lab.still_to_undo(), ["s2--t-1"]);
        lab.stack.never_created(system, "s2--t-1");
        let cleaned = lab.stack.unwind(None).await;
        assert!(cleaned.is_empty(), "{cleaned:?}");
        assert!(lab.removals().is_empty());
    }

    #[tokio::test]
    async fn a_stack_moves_to_another_server_only_while_empty() {
        let lab = Lab::new();
        let other = Lab::new();
        lab.stack
            .rebind(other.backend.clone(), other.wire.clone())
            .expect("an empty stack can move");
        lab.create("distro", "d1--t-1", &[]).await;
        // The create went to the other server: so does its undo.
        assert!(lab.fake.is_empty());
        assert_eq!(other.fake.names(Kind::Distro), ["d1--t-1"]);
        assert_eq!(
            lab.stack
                .rebind(lab.backend.clone(), lab.wire.clone())
                .map_err(|e| e.to_string()),
            Err("the scenario already created 1 item(s) on its first server; point it at another server before creating anything".to_owned())
        );
        lab.stack.unwind(None).await;
        assert!(other.fake.is_empty());
        other.stack.abandon("unused");
    }

    #[tokio::test]
    async fn the_manifest_lists_items_in_the_order_they_were_created() {
        // d1, p1 on d1; a step removes d1 recursively (taking p1); then d2. Cleanup took
        // them off in the order d1 p1 d2, and not newest first.
        let lab = Lab::new();
        lab.create("distro", "d1--mo-1", &[]).await;
        lab.create("profile", "p1--mo-1", &[("distro", "d1--mo-1")])
            .await;
        lab.backend
            .remove(spec("distro"), "d1--mo-1", true)
            .await
            .unwrap();
        lab.stack.removed_by_step(spec("distro"), "d1--mo-1", true);
        lab.create("distro", "d2--mo-1", &[]).await;
        let cleaned = lab.stack.unwind(None).await;
        let (resources, left) = in_the_manifest("manifest order after a step's removal", &cleaned);
        let resources: Vec<(&str, &str, &Outcome)> = resources
            .iter()
            .map(|(k, n, o)| (k.as_str(), n.as_str(), o))
            .collect();
        assert_eq!(
            resources,
            [
                ("distro", "d1--mo-1", &Outcome::AlreadyGone),
                ("profile", "p1--mo-1", &Outcome::AlreadyGone),
                ("distro", "d2--mo-1", &Outcome::Removed),
            ],
            "oldest first, whatever removed them"
        );
        assert!(left.is_empty(), "{left:?}");
    }

    #[tokio::test]
    async fn a_failed_removal_a_parents_removal_made_up_for_is_not_left() {
        // r1; d2 with p2; d1 with p1. Unwinding newest first: p1 refused, d1 refused (p1
        // stays with it), p2 refused but d2's removal takes it, r1 refused.
        let lab = Lab::new();
        lab.create(
            "repo",
            "r1--mu-1",
            &[("mirror", "http://mirror.invalid/r1")],
        )
        .await;
        lab.create("distro", "d2--mu-1", &[]).await;
        lab.create("profile", "p2--mu-1", &[("distro", "d2--mu-1")])
            .await;
        lab.create("distro", "d1--mu-1", &[]).await;
        lab.create("profile", "p1--mu-1", &[("distro", "d1--mu-1")])
            .await;
        for (call, times) in [
            ("remove_profile", 2),
            ("remove_distro", 1),
            ("remove_repo", 1),
        ] {
            lab.wire.inject(FaultRule {
                call: Some(call.into()),
                times: Some(times),
                fault: FaultKind::Refuse {
                    message: "busy".into(),
                },
            });
        }
        let cleaned = lab.stack.unwind(None).await;
        let made_up: Vec<(&str, Option<&str>, Outcome)> = cleaned
            .iter()
            .map(|c| {
                (
                    c.undo.real_name.as_str(),
                    c.taken_with.as_deref(),
                    c.final_outcome(),
                )
            })
            .collect();
        let failed_like = |o: &Outcome| matches!(o, Outcome::Failed(_));
        assert_eq!(made_up.len(), 5, "{made_up:?}");
        assert_eq!(made_up[0].0, "p1--mu-1");
        assert!(made_up[0].1.is_none() && failed_like(&made_up[0].2));
        assert_eq!(made_up[1].0, "d1--mu-1");
        assert!(made_up[1].1.is_none() && failed_like(&made_up[1].2));
        assert_eq!(
            made_up[2],
            (
                "p2--mu-1",
                Some("the removal of distro \"d2\" (d2--mu-1)"),
                Outcome::Removed
            )
        );
        assert_eq!(made_up[3], ("d2--mu-1", None, Outcome::Removed));
        assert_eq!(made_up[4].0, "r1--mu-1");
        assert!(made_up[4].1.is_none() && failed_like(&made_up[4].2));
        // The undo call of p2 did fail: the after hook still counts it and fails the scenario,
        // and its error says what took it.
        let failures = cleaned
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Failed(_)))
            .count();
        assert_eq!(failures, 4);
        assert!(
            matches!(&cleaned[2].outcome, Outcome::Failed(e) if e.contains("'busy'")
                && e.ends_with("(then the removal of distro \"d2\" (d2--mu-1) took it too: it is not left on the server)")),
            "{:?}",
            cleaned[2].outcome
        );
        let mut on_server: Vec<String> = lab.fake.inventory().into_values().flatten().collect();
        on_server.sort();
        assert_eq!(on_server, ["d1--mu-1", "p1--mu-1", "r1--mu-1"]);
        // The manifest says p2 was removed, and lists as left only what the server still has.
        let (resources, mut left) = in_the_manifest("a failed removal made up for", &cleaned);
        assert_eq!(
            resources[2],
            ("profile".into(), "p2--mu-1".into(), Outcome::Removed)
        );
        left.sort();
        assert_eq!(left, on_server);
    }

    #[tokio::test]
    async fn a_stack_no_before_hook_named_is_reported_only_with_something_in_it() {
        // Worlds made for scenarios that had not started when the run stopped: one holds
        // nothing (as it always does today), one holds an item; a third is named.
        let (empty, holding, named) = (Lab::new(), Lab::new(), Lab::new());
        holding.create("distro", "d1--un-1", &[]).await;
        let label = ScenarioLabel {
            file: "features/x.feature".into(),
            line: 3,
            name: "named".into(),
        };
        named.stack.set_scenario(label.clone());
        assert!(!empty.stack.scenario().is_named() && label.is_named());
        let reports = unwind_stacks(
            vec![
                named.stack.clone(),
                holding.stack.clone(),
                empty.stack.clone(),
            ],
            Duration::from_secs(10),
            None,
        )
        .await;
        let reported: Vec<(ScenarioLabel, usize)> =
            reports.into_iter().map(|(l, c)| (l, c.len())).collect();
        assert_eq!(
            reported,
            [(label, 0), (ScenarioLabel::not_yet_started(), 1)],
            "the empty unnamed stack is not reported"
        );
        let unnamed = ScenarioLabel::not_yet_started();
        assert!(unnamed.is_named() && unnamed.line >= 1 && !unnamed.file.is_empty());
        assert!(!empty.is_pending() && !holding.is_pending() && !named.is_pending());
        assert!(holding.fake.is_empty());
    }

    #[tokio::test]
    async fn two_unwindings_of_one_stack_record_each_item_once() {
        // Both peek s1. A's call is slow; B removes s1 meanwhile, then waits on p1's removal.
        // A finds s1 taken, goes on, and removes p1 and d1; B finds p1 taken and ends.
        let lab = Lab::new();
        distro_profile_system(&lab).await;
        for (call, base_ms) in [("remove_system", 300), ("remove_profile", 1_000)] {
            lab.wire.inject(FaultRule {
                call: Some(call.into()),
                times: Some(1),
                fault: FaultKind::Latency {
                    base_ms,
                    jitter_ms: 0,
                },
            });
        }
        let (a, b) = tokio::join!(lab.stack.unwind(None), lab.stack.unwind(None));
        let each_once = [
            ("system", "s1--t-1", Outcome::Removed),
            ("profile", "p1--t-1", Outcome::Removed),
            ("distro", "d1--t-1", Outcome::Removed),
        ];
        assert_eq!(
            summary(&a),
            each_once,
            "A goes on after s1, and records it once"
        );
        assert_eq!(summary(&b), each_once, "B records p1 once");
        assert!(lab.fake.is_empty(), "left: {:?}", lab.fake.inventory());
        assert!(!lab.is_pending());
    }
}
