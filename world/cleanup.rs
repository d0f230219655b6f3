//! Undo actions for everything a scenario created, unwound newest first, whatever happened.
//!
//! Each scenario's stack is also held in a run-wide list of pending stacks, so that a run
//! stopped mid-scenario (Ctrl-C, SIGTERM, a server that stopped answering) can still unwind
//! every stack after cucumber's own scenario futures are gone: see [`unwind_pending`].

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
}

impl Cleaned {
    /// "system "web-01" (web-01--tf2k9qx7-4)".
    pub fn item(&self) -> String {
        format!(
            "{} {:?} ({})",
            self.undo.kind, self.undo.alias, self.undo.real_name
        )
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
        let pending: Vec<String> = stack
            .undo
            .iter()
            .map(|u| format!("{} {:?} ({})", u.kind, u.alias, u.real_name))
            .collect();
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
    pub fn rebind(&self, backend: Arc<dyn Backend>, layer: CallLayer) -> Result<(), String> {
        let mut stack = self.lock();
        if !stack.undo.is_empty() {
            return Err(format!(
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

    /// The scenario the stack belongs to.
    pub fn scenario(&self) -> ScenarioLabel {
        self.lock().scenario.clone()
    }

    /// Adds the removal of `real_name`. Pushed *before* the create is tried: a failed create
    /// can still leave the item on the server, and discarding a missing item is harmless.
    /// True when it was not on the stack yet.
    pub fn push(&self, kind: &'static KindSpec, alias: &str, real_name: &str) -> bool {
        let undo = Undo {
            kind,
            alias: alias.to_owned(),
            real_name: real_name.to_owned(),
        };
        let mut stack = self.lock();
        let fresh = !stack.undo.contains(&undo);
        if fresh {
            stack.undo.push(undo);
        }
        fresh
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
            take_dependants(&mut stack, kind, real_name, Outcome::AlreadyGone);
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
        if stack.undo.last() == Some(&undo) {
            stack.undo.pop();
        }
        let (kind, real_name) = (undo.kind, undo.real_name.clone());
        stack.cleaned.push(Cleaned {
            undo,
            outcome: outcome.clone(),
        });
        if outcome == Outcome::Removed {
            // `discard` removes what depends on the item with it (Cobbler's recursive
            // removal, Ironic's node with its ports): no call is left to make for those.
            take_dependants(&mut stack, kind, &real_name, Outcome::Removed);
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
            }));
        }
        self.finish()
    }
}

/// Takes `real_name`'s undo off the stack as cleaned with `outcome`.
fn take_off(stack: &mut Stack, kind: &'static KindSpec, real_name: &str, outcome: Outcome) {
    if let Some(at) = stack
        .undo
        .iter()
        .position(|u| u.kind == kind && u.real_name == real_name)
    {
        let undo = stack.undo.remove(at);
        stack.cleaned.push(Cleaned { undo, outcome });
    }
}

/// Takes off the stack, as cleaned with `outcome`, every item that references `real_name`,
/// directly or through others (a removal that takes dependants took them).
fn take_dependants(stack: &mut Stack, kind: &'static KindSpec, real_name: &str, outcome: Outcome) {
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
            take_off(stack, child_kind, &child, outcome.clone());
            gone.push((child_kind, child));
        }
    }
}

/// Unwinds every stack no after-hook unwound (the run was stopped), newest scenario first,
/// all within `budget`. With `per_call` (the server stopped answering), each removal gets that
/// long at most, and once one fails the rest are not tried. Returns each scenario with its
/// items and how they were cleaned.
pub async fn unwind_pending(
    budget: Duration,
    per_call: Option<Duration>,
) -> Vec<(ScenarioLabel, Vec<Cleaned>)> {
    const SILENT: &str = "the server stopped answering";
    let deadline = Instant::now() + budget;
    let stacks: Vec<CleanupStack> = pending().iter().rev().cloned().collect();
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
        reports.push((stack.scenario(), cleaned));
    }
    reports
}
