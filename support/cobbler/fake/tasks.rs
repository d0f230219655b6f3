//! Background tasks and their events (`background_*`, `get_task_status`, `get_event_log`), and
//! the synchronous calls that do the same work (`sync`, `sync_dhcp`).
//!
//! The fake runs a task to its end inside the call that starts it, so its status reads
//! `complete` (or `failed`) at once where cobblerd says `running` for a moment. Its log holds
//! the lines a client looks for: the start, each warning, the end; cobblerd's info lines about
//! what a sync wrote are not copied.

use std::collections::BTreeMap;

use super::args::Args;
use super::events::Event;
use super::power_conf::power_warnings;
use super::python::{cx, exception};
use super::state::State;
use super::store::{epoch_seconds, field};
use crate::cobbler::kind::Kind;
use crate::cobbler::protocol::{Fault, Value, ValueExt};

/// The option `key` when it is given and not empty.
fn given<'a>(options: &'a BTreeMap<String, Value>, key: &str) -> Option<&'a Value> {
    options
        .get(key)
        .filter(|v| !matches!(v, Value::Nil) && !v.render().is_empty())
}

/// What the fake refuses at the call of `method`, before any event: what it cannot do.
fn refused_task(method: &str, options: &BTreeMap<String, Value>) -> Option<Fault> {
    match method {
        "background_buildiso" if given(options, "distro").is_some() => Some(task_not_faked(
            "background_buildiso with a distro (the fake builds no ISO)",
        )),
        "background_aclsetup"
            if ["adduser", "addgroup", "removeuser", "removegroup"]
                .iter()
                .any(|k| given(options, k).is_some()) =>
        {
            Some(task_not_faked(
                "background_aclsetup with users or groups (setfacl)",
            ))
        }
        _ => None,
    }
}

/// The background methods the fake runs, with the event name cobblerd gives each.
pub const BACKGROUND: [(&str, &str); 10] = [
    ("background_sync", "Sync"),
    ("background_syncsystems", "Syncsystems"),
    ("background_power_system", "Power management"),
    ("background_import", "Media import"),
    ("background_reposync", "Reposync"),
    ("background_buildiso", "Build Iso"),
    ("background_hardlink", "Hardlink"),
    ("background_replicate", "Replicate"),
    ("background_aclsetup", "(CLI) ACL Configuration"),
    (
        "background_validate_autoinstall_files",
        "Automated installation files validation",
    ),
];

/// What a task the fake cannot run as cobblerd would does instead: fault at the call.
fn task_not_faked(what: &str) -> Fault {
    super::not_faked::not_faked(what)
}

/// `(2026-11-30, 10:03:14, milliseconds)` of the clock now (cobblerd: local time; UTC here).
fn clock() -> (String, String, u32) {
    let now = epoch_seconds();
    let secs = now as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    (
        format!("{y:04}-{m:02}-{d:02}"),
        format!("{:02}{:02}{:02}", rest / 3600, rest % 3600 / 60, rest % 60),
        (now.fract() * 1000.0) as u32,
    )
}

/// `2026-11-30_100314_Sync_57ca10f1…`.
fn event_id(name: &str) -> String {
    let (date, time, _) = clock();
    format!("{date}_{time}_{name}_{:032x}", rand::random::<u128>())
}

/// cobblerd's exception class.
const CX: &str = "cobbler.cexceptions.CX";

/// What `utils.log_exc` writes to a task's log for an exception of `class` whose `str()` is
/// `value`; the traceback that follows `Exception Info:` in cobblerd's log (its own source
/// paths) is not copied.
fn exception_lines(id: &str, class: &str, value: &str) -> [String; 3] {
    [
        log_line(
            id,
            "INFO",
            &format!("Exception occurred: <class '{class}'>"),
        ),
        log_line(id, "INFO", &format!("Exception value: {value}")),
        log_line(id, "INFO", "Exception Info:"),
    ]
}

/// One log line as cobblerd's task logger writes it.
fn log_line(id: &str, level: &str, text: &str) -> String {
    let (date, time, millis) = clock();
    format!(
        "[{id}] {date} {}:{}:{},{millis:03} - {level} | {text}",
        &time[..2],
        &time[2..4],
        &time[4..]
    )
}

/// Days since 1970-01-01 as (year, month, day) (Howard Hinnant's algorithm).
pub(super) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

impl State {
    /// `sync(token)`, and the work of a background sync: fails like cobblerd on a distro whose
    /// kernel is missing (one a failed `save_distro` left behind).
    pub fn sync(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["token"], 1)?;
        self.tokens.validate(args.get(0))?;
        self.run_sync()?;
        Ok(Value::Boolean(true))
    }

    fn run_sync(&self) -> Result<(), Fault> {
        if let Some((name, _)) = self
            .store
            .items(Kind::Distro)
            .find(|(_, item)| field(item, "kernel").is_empty())
        {
            return Err(exception(
                "FileNotFoundError",
                format!(
                    "No kernel found at \"\", tried to copy to: \"/srv/tftpboot/images/{name}\""
                ),
            ));
        }
        Ok(())
    }

    /// `sync_dhcp(token)`: nothing to write in the fake.
    pub fn sync_dhcp(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["token"], 1)?;
        self.tokens.validate(args.get(0))?;
        Ok(Value::Boolean(true))
    }

    /// `background_*(options, token)`: runs the task and answers its event id.
    pub fn background(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["options", "token"], 2)?;
        self.tokens.validate(args.get(1))?;
        let options = args
            .get(0)
            .and_then(ValueExt::as_struct)
            .cloned()
            .unwrap_or_default();
        let base = BACKGROUND
            .iter()
            .find(|(m, _)| *m == method)
            .map_or("Task", |(_, name)| *name);
        let name = if method == "background_power_system" {
            let power = options
                .get("power")
                .map(ValueExt::render)
                .unwrap_or_default();
            format!("{base} ({power})")
        } else {
            base.to_owned()
        };
        // Checked before the event exists: what the fake cannot do, it refuses at the call.
        if let Some(fault) = refused_task(method, &options) {
            return Err(fault);
        }
        let id = event_id(&name);
        let role = method
            .trim_start_matches("background_")
            .trim_end_matches("_system");
        let line = |level: &str, text: &str| log_line(&id, level, text);
        let mut log = vec![line("INFO", &format!("start_task({role}); event_id({id})"))];
        let state = self.run_task(method, &options, &id, &mut log);
        if state == "complete" {
            log.push(line("INFO", "### TASK COMPLETE ###"));
        } else {
            log.push(line("ERROR", "### TASK FAILED ###"));
        }
        self.events.insert(
            id.clone(),
            Event {
                statetime: epoch_seconds(),
                name,
                state,
                log,
                read_by: Vec::new(),
            },
        );
        Ok(Value::String(id))
    }

    /// Runs the task `method` and says how it ended (`complete` or `failed`), its log lines
    /// added to `log`.
    fn run_task(
        &mut self,
        method: &str,
        options: &BTreeMap<String, Value>,
        id: &str,
        log: &mut Vec<String>,
    ) -> &'static str {
        match method {
            "background_power_system" => self.power_task(options, id, log),
            // Without media, a named import fails as one from a missing path does (rsync);
            // without a name, cobblerd logs that and calls the task complete.
            "background_import" if given(options, "name").is_some() => {
                // utils.die: logged by die and again by the task.
                for _ in 0..2 {
                    log.extend(exception_lines(id, CX, "'Command failed'"));
                }
                return "failed";
            }
            "background_import" => {
                log.push(log_line(id, "INFO", "import failed.  no --name specified"))
            }
            // The fake has no repos: every name given is unknown, which cobblerd skips.
            "background_reposync" | "background_hardlink" => {}
            // Without a distro, cobblerd's buildiso fails at its first lookup.
            "background_buildiso" => {
                log.extend(exception_lines(
                    id,
                    "ValueError",
                    "calling find with no arguments",
                ));
                return "failed";
            }
            // The fake reaches no other cobblerd: replication fails.
            "background_replicate" if given(options, "master").is_some() => {
                let refused = "[Errno 111] Connection refused";
                log.extend(exception_lines(id, "ConnectionRefusedError", refused));
                return "failed";
            }
            "background_replicate" => {
                let why = "'No Cobbler master specified, try --master.'";
                for _ in 0..2 {
                    log.extend(exception_lines(id, CX, why));
                }
                return "failed";
            }
            // Without users or groups: "no arguments specified, nothing to do".
            "background_aclsetup" => {
                let why = "'no arguments specified, nothing to do'";
                log.extend(exception_lines(id, CX, why));
                return "failed";
            }
            "background_validate_autoinstall_files" => {
                let failures = self.validate_autoinstall_files();
                for failure in &failures {
                    log.push(log_line(id, "WARNING", failure));
                }
                if !failures.is_empty() {
                    return "failed";
                }
            }
            _ => {
                if let Err(fault) = self.run_sync() {
                    log.push(log_line(id, "ERROR", &fault.string));
                    return "failed";
                }
            }
        }
        "complete"
    }

    /// `background_power_system`: each system's power warnings, and the failure of its power
    /// action, as warnings of the task.
    fn power_task(&mut self, options: &BTreeMap<String, Value>, id: &str, log: &mut Vec<String>) {
        let power = options
            .get("power")
            .map(ValueExt::render)
            .unwrap_or_default();
        let systems: Vec<String> = options
            .get("systems")
            .and_then(ValueExt::as_array)
            .map(|s| s.iter().map(ValueExt::render).collect())
            .unwrap_or_default();
        for system in systems {
            let handle = Value::String(format!("system::{system}"));
            let outcome = if let Some(item) = self.store.get(Kind::System, &system) {
                // Checked after the power type: without one, cobblerd stops before them.
                if !field(item, "power_type").is_empty() {
                    for warning in power_warnings(item) {
                        log.push(log_line(id, "WARNING", warning));
                    }
                }
                Ok(())
            } else {
                Err(format!("'internal error, unknown system name {system}'"))
            };
            let outcome = if outcome.is_err() {
                outcome
            } else {
                self.power(&handle, &power).map(|_| ()).map_err(|f| {
                    // The power manager's utils.die logs the exception in the task's log.
                    if let Some((class, value)) = f
                        .string
                        .strip_prefix("<class '")
                        .and_then(|rest| rest.split_once("'>:"))
                    {
                        log.extend(exception_lines(id, class, value));
                    }
                    f.string
                        .split_once(":'")
                        .map_or(f.string.clone(), |(_, m)| format!("'{m}"))
                })
            };
            if let Err(why) = outcome {
                log.push(log_line(
                    id,
                    "WARNING",
                    &format!("failed to execute power task on {system}, exception: {why}"),
                ));
            }
        }
    }

    /// `get_task_status(event_id)`: `[statetime, name, state, read_by_who]`.
    pub fn task_status(&self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["event_id"], 1)?;
        let Some(id) = args.get(0).and_then(ValueExt::as_str) else {
            return Err(exception("TypeError", "\"event_id\" must be of type str!"));
        };
        let event = self
            .events
            .get(id)
            .ok_or_else(|| cx("no event with that id"))?;
        Ok(event.row())
    }

    /// `get_events(for_user='')`: `{id: [statetime, name, state, read_by]}`; with a user,
    /// only the events that user has not seen, which are then marked seen.
    pub fn events(&mut self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["for_user"], 0)?;
        let user = match args.get(0) {
            None => "",
            Some(Value::String(user)) => user.as_str(),
            Some(_) => {
                return Err(exception(
                    "TypeError",
                    "\"for_user\" must be of type str (may be empty str)!",
                ));
            }
        };
        let mut shown = std::collections::BTreeMap::new();
        for (id, event) in &mut self.events {
            if event.read_by.iter().any(|u| u == user) {
                continue;
            }
            shown.insert(id.clone(), event.row());
            if !user.is_empty() {
                event.read_by.push(user.to_owned());
            }
        }
        Ok(Value::Struct(shown))
    }

    /// What `validate_autoinstall_files` warns about: the profiles and systems whose template
    /// has placeholders Cheetah does not find (the fake names them without cobblerd's line and
    /// column), or that the fake cannot render.
    fn validate_autoinstall_files(&self) -> Vec<String> {
        let mut failures = Vec::new();
        for kind in [Kind::Profile, Kind::System] {
            let names: Vec<String> = self.store.items(kind).map(|(n, _)| n.to_owned()).collect();
            for name in names {
                match self.autoinstall_for(kind, &name) {
                    Err(fault) => failures.push(fault.string),
                    Ok((_, unknown)) if !unknown.is_empty() => {
                        failures.push("Potential templating errors:".to_owned());
                        for raw in unknown {
                            failures.push(format!("Unknown variable found: '{raw}'"));
                        }
                    }
                    Ok(_) => {}
                }
            }
        }
        if !failures.is_empty() {
            failures.push(
                "*** potential errors detected in automatic installation files ***".to_owned(),
            );
        }
        failures
    }

    /// `get_event_log(event_id)`: the task's log, `?` for an unknown event.
    pub fn event_log(&self, method: &str, values: &[Value]) -> Result<Value, Fault> {
        let args = Args::new(method, values, &["event_id"], 1)?;
        let Some(id) = args.get(0).and_then(ValueExt::as_str) else {
            return Err(exception("TypeError", "\"event_id\" must be of type str!"));
        };
        Ok(Value::String(match self.events.get(id) {
            None => "?".to_owned(),
            Some(event) => event.log.iter().map(|l| format!("{l}\n")).collect(),
        }))
    }
}
