//! The run manifest: what a run did on its server, written as JSON at the end of every run,
//! an interrupted one too. Its schema is `schemas/run-manifest.schema.json`.
//!
//! Per scenario: where it is, how it ended, every item it created (kind, alias, real name)
//! and how that was cleaned up; for the run: id, backend, endpoint (never with credentials),
//! start and end, how it ended, and what is left on the server.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use serde::Serialize;

use super::cleanup::{Cleaned, Outcome, ScenarioLabel};

/// The schema a manifest follows; bumped on any incompatible change.
pub const SCHEMA: &str = "provspec-run-manifest/1";

/// How a scenario ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScenarioStatus {
    /// Every step passed.
    Passed,
    /// A step, a hook or the scenario's cleanup failed, or a step is undefined.
    Failed,
    /// The run stopped while the scenario was running.
    Interrupted,
}

/// One item a scenario created.
#[derive(Clone, Debug, Serialize)]
pub struct Resource {
    /// Its kind (`system`, `node`).
    pub kind: String,
    /// The feature's name for it.
    pub alias: String,
    /// Its name on the server.
    pub real_name: String,
    /// How it was cleaned up: `removed`, `already-gone`, `failed`, `not-tried`; and `error`
    /// saying why for the last two.
    #[serde(flatten)]
    pub cleanup: Outcome,
}

/// One scenario of the run.
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioEntry {
    /// Its feature file, relative to the crate root.
    pub feature: String,
    /// Its line in the file.
    pub line: usize,
    /// Its name.
    pub name: String,
    /// How it ended.
    pub status: ScenarioStatus,
    /// What it created, oldest first, with how each item was cleaned up.
    pub resources: Vec<Resource>,
    /// How many times it ran: more than 1 when it was retried (`--retry`, `@retry(N)`); a
    /// scenario that passed on a later try is flaky.
    pub tries: usize,
    /// How many calls its steps made to the server (cleanup's not counted).
    pub calls: usize,
    /// The time those calls took, in seconds.
    pub call_seconds: f64,
}

/// Something of the run still on the server after it.
#[derive(Clone, Debug, Serialize)]
pub struct Leftover {
    /// Its kind.
    pub kind: String,
    /// Its name on the server.
    pub real_name: String,
}

/// The whole manifest.
#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// The run's id (the marker in every real name).
    pub run_id: String,
    /// The backend's name (`fake`, `cobbler`, `fake-ironic`, `ironic`).
    pub backend: String,
    /// Where the run's calls went, without credentials.
    pub endpoint: String,
    /// When the run started (RFC 3339, UTC).
    pub started: String,
    /// When the run ended (RFC 3339, UTC).
    pub ended: String,
    /// How the run ended: `passed`, `failed`, `interrupted` (a signal) or `server-stopped`
    /// (the server stopped answering).
    pub outcome: String,
    /// The scenarios that ran, in the order they finished.
    pub scenarios: Vec<ScenarioEntry>,
    /// What is left on the server: items whose cleanup failed or was not tried, and what the
    /// leak check found.
    pub left: Vec<Leftover>,
    /// The part of a split run this was (`--shard K/N`), with the whole split's selection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardEntry>,
    /// A joined manifest's parts (`provspec merge --manifest`): each part's run id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shards: Option<Vec<PartRun>>,
}

/// One part of a joined manifest: which part, and its run's id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartRun {
    /// Which part, from 1.
    pub index: u32,
    /// Its run's id.
    pub run_id: String,
}

/// A part of a run split over several machines, as its manifest records it: `provspec merge`
/// checks from it that every part ran and every scenario ran once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShardEntry {
    /// Which part, from 1.
    pub index: u32,
    /// How many parts.
    pub total: u32,
    /// Every scenario the parts together run, as `file:line`, sorted.
    pub selection: Vec<String>,
}

static SHARD: Mutex<Option<ShardEntry>> = Mutex::new(None);

/// Records that this run is a part of a split run (once, as it starts).
pub fn set_shard(entry: ShardEntry) {
    *SHARD.lock().unwrap_or_else(|p| p.into_inner()) = Some(entry);
}

/// The part this run is, if it is one.
pub fn shard() -> Option<ShardEntry> {
    SHARD.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

static SCENARIOS: Mutex<Vec<ScenarioEntry>> = Mutex::new(Vec::new());

/// The calls a scenario's steps made: how many, and the seconds they took.
#[derive(Clone, Copy, Debug, Default)]
pub struct CallTally {
    /// How many.
    pub calls: usize,
    /// Their time, in seconds.
    pub seconds: f64,
}

/// Records how a scenario ended, what became of its items and what its steps called. A
/// scenario no before hook named is recorded as [`ScenarioLabel::not_yet_started`], so that
/// the manifest still has a file and a line for it.
pub fn record(
    scenario: &ScenarioLabel,
    status: ScenarioStatus,
    cleaned: &[Cleaned],
    tally: CallTally,
) {
    let unnamed = ScenarioLabel::not_yet_started();
    let scenario = if scenario.is_named() {
        scenario
    } else {
        &unnamed
    };
    let resources = resources(cleaned);
    let mut scenarios = SCENARIOS.lock().unwrap_or_else(|p| p.into_inner());
    // A retried scenario's later try: one entry, its last status, every try's items and calls.
    let earlier = scenarios.iter_mut().find(|e| {
        scenario.is_named()
            && (e.feature.as_str(), e.line, e.name.as_str())
                == (
                    scenario.file.as_str(),
                    scenario.line,
                    scenario.name.as_str(),
                )
    });
    if let Some(entry) = earlier {
        entry.status = status;
        entry.tries += 1;
        entry.resources.extend(resources);
        entry.calls += tally.calls;
        entry.call_seconds = ((entry.call_seconds + tally.seconds) * 1000.0).round() / 1000.0;
        return;
    }
    scenarios.push(ScenarioEntry {
        feature: scenario.file.clone(),
        line: scenario.line,
        name: scenario.name.clone(),
        status,
        tries: 1,
        resources,
        calls: tally.calls,
        call_seconds: (tally.seconds * 1000.0).round() / 1000.0,
    });
}

/// How many scenarios passed (flaky ones among them), how many did not, and which passed only
/// on a retry, as the manifest has them so far.
pub fn tally() -> (usize, usize, Vec<String>) {
    let scenarios = scenarios();
    let passed: Vec<&ScenarioEntry> = scenarios
        .iter()
        .filter(|s| s.status == ScenarioStatus::Passed)
        .collect();
    let flaky = passed
        .iter()
        .filter(|s| s.tries > 1)
        .map(|s| format!("{}:{} ({} tries)", s.feature, s.line, s.tries))
        .collect();
    (passed.len(), scenarios.len() - passed.len(), flaky)
}

/// A scenario's items in the order it created them (cleanup and the steps took them off in
/// other orders), each with what became of it on the server: a failed removal that a later
/// removal made up for is `removed` ([`Cleaned::final_outcome`]).
fn resources(cleaned: &[Cleaned]) -> Vec<Resource> {
    let mut in_order: Vec<&Cleaned> = cleaned.iter().collect();
    in_order.sort_by_key(|c| c.undo.created);
    in_order
        .into_iter()
        .map(|c| Resource {
            kind: c.undo.kind.name.to_owned(),
            alias: c.undo.alias.clone(),
            real_name: c.undo.real_name.clone(),
            cleanup: c.final_outcome(),
        })
        .collect()
}

/// Every scenario recorded so far.
pub fn scenarios() -> Vec<ScenarioEntry> {
    SCENARIOS.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// Items whose cleanup failed or was not tried, over every recorded scenario.
pub fn not_cleaned() -> Vec<Leftover> {
    scenarios()
        .iter()
        .flat_map(|s| s.resources.iter())
        .filter(|r| matches!(r.cleanup, Outcome::Failed(_) | Outcome::NotTried(_)))
        .map(|r| Leftover {
            kind: r.kind.clone(),
            real_name: r.real_name.clone(),
        })
        .collect()
}

/// `time` as RFC 3339 in UTC, to the second.
pub fn timestamp(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}

/// Where a run's manifest goes when `--manifest` does not say: `target/provspec-runs/ID.json`
/// under the crate root (or CARGO_TARGET_DIR).
pub fn default_path(crate_root: &Path, run_id: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                crate_root.join(dir)
            }
        })
        .unwrap_or_else(|| crate_root.join("target"));
    target.join("provspec-runs").join(format!("{run_id}.json"))
}

impl Manifest {
    /// Writes the manifest to `path` (its directory is created), atomically: a reader sees the
    /// old file or the whole new one.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| format!("cannot encode the run manifest: {e}"))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                format!("cannot create {} for the run manifest: {e}", dir.display())
            })?;
        }
        let partial = path.with_extension("json.partial");
        std::fs::write(&partial, text + "\n")
            .and_then(|()| std::fs::rename(&partial, path))
            .map_err(|e| format!("cannot write the run manifest {}: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cobbler::catalogue::CATALOGUE;
    use crate::world::cleanup::Undo;
    use serde_json::{Value, json};
    use std::time::Duration;

    /// The item created `created`-th (from 0) and how it was cleaned.
    fn cleaned(
        created: u64,
        (kind, alias, real_name): (&str, &str, &str),
        outcome: Outcome,
    ) -> Cleaned {
        Cleaned {
            undo: Undo {
                kind: CATALOGUE.kind(kind).expect("a Cobbler kind"),
                alias: alias.to_owned(),
                real_name: real_name.to_owned(),
                created,
            },
            outcome,
            taken_with: None,
        }
    }

    /// A scenario's items as its cleanup reports them: newest first.
    fn unwound(tag: &str) -> Vec<Cleaned> {
        vec![
            cleaned(
                3,
                ("system", "web-01", &format!("web-01--{tag}-1")),
                Outcome::Failed("refused".into()),
            ),
            cleaned(
                2,
                ("profile", "base", &format!("base--{tag}-1")),
                Outcome::NotTried("the run was stopped".into()),
            ),
            cleaned(
                1,
                ("distro", "d", &format!("d--{tag}-1")),
                Outcome::AlreadyGone,
            ),
            cleaned(0, ("repo", "r", &format!("r--{tag}-1")), Outcome::Removed),
        ]
    }

    /// The recorded scenario named `name` (tests run at once and record their own).
    fn recorded(name: &str) -> ScenarioEntry {
        let found: Vec<ScenarioEntry> =
            scenarios().into_iter().filter(|s| s.name == name).collect();
        assert_eq!(found.len(), 1, "{found:?}");
        found.into_iter().next().unwrap()
    }

    #[test]
    fn recorded_scenarios_read_back_with_their_items_oldest_first() {
        let label = ScenarioLabel {
            file: "features/manifest.feature".into(),
            line: 12,
            name: "manifest round trip".into(),
        };
        let tally = CallTally {
            calls: 7,
            seconds: 1.234_56,
        };
        record(&label, ScenarioStatus::Failed, &unwound("rt"), tally);
        let entry = recorded("manifest round trip");
        assert_eq!(entry.feature, "features/manifest.feature");
        assert_eq!(entry.line, 12);
        assert_eq!(entry.status, ScenarioStatus::Failed);
        assert_eq!(entry.calls, 7);
        assert_eq!(entry.call_seconds, 1.235, "rounded to the millisecond");
        let resources: Vec<(&str, &str, &str, &Outcome)> = entry
            .resources
            .iter()
            .map(|r| {
                (
                    r.kind.as_str(),
                    r.alias.as_str(),
                    r.real_name.as_str(),
                    &r.cleanup,
                )
            })
            .collect();
        assert_eq!(
            resources,
            [
                ("repo", "r", "r--rt-1", &Outcome::Removed),
                ("distro", "d", "d--rt-1", &Outcome::AlreadyGone),
                (
                    "profile",
                    "base",
                    "base--rt-1",
                    &Outcome::NotTried("the run was stopped".into())
                ),
                (
                    "system",
                    "web-01",
                    "web-01--rt-1",
                    &Outcome::Failed("refused".into())
                ),
            ]
        );
        let left: Vec<(String, String)> = not_cleaned()
            .into_iter()
            .filter(|l| l.real_name.ends_with("--rt-1"))
            .map(|l| (l.kind, l.real_name))
            .collect();
        assert_eq!(
            left,
            [
                ("profile".to_owned(), "base--rt-1".to_owned()),
                ("system".to_owned(), "web-01--rt-1".to_owned())
            ],
            "failed and not-tried items are left; removed and already-gone ones are not"
        );
    }

    #[test]
    fn a_written_manifest_follows_its_schema() {
        let label = ScenarioLabel {
            file: "features/manifest.feature".into(),
            line: 30,
            name: "manifest schema".into(),
        };
        record(
            &label,
            ScenarioStatus::Interrupted,
            &unwound("sch"),
            CallTally::default(),
        );
        let passed = ScenarioLabel {
            name: "manifest schema, nothing created".into(),
            line: 40,
            ..label.clone()
        };
        record(
            &passed,
            ScenarioStatus::Passed,
            &[],
            CallTally {
                calls: 2,
                seconds: 0.5,
            },
        );
        let started = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let manifest = Manifest {
            schema: SCHEMA,
            run_id: "k3x9q2".into(),
            backend: "fake".into(),
            endpoint: "the embedded fake Cobbler".into(),
            started: timestamp(started),
            ended: timestamp(started + Duration::from_secs(75)),
            outcome: "interrupted".into(),
            scenarios: vec![
                recorded("manifest schema"),
                recorded("manifest schema, nothing created"),
            ],
            left: not_cleaned()
                .into_iter()
                .filter(|l| l.real_name.ends_with("--sch-1"))
                .collect(),
            shard: Some(ShardEntry {
                index: 2,
                total: 3,
                selection: vec!["features/a.feature:3".into(), "features/a.feature:9".into()],
            }),
            shards: Some(vec![PartRun {
                index: 2,
                run_id: "k3x9q2".into(),
            }]),
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("provspec-runs/k3x9q2.json");
        manifest.write(&path).expect("the manifest is written");
        assert!(
            !path.with_extension("json.partial").exists(),
            "the partial file is renamed into place"
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.ends_with("}\n"));
        let written: Value = serde_json::from_str(&text).unwrap();
        let errors = check(&written);
        assert!(errors.is_empty(), "{errors:#?}\n{text}");
        // The parts the schema leaves to the writer's word.
        assert_eq!(written["started"], "2023-11-14T22:13:20Z");
        assert_eq!(written["ended"], "2023-11-14T22:14:35Z");
        let resources = &written["scenarios"][0]["resources"];
        assert_eq!(
            resources[0],
            json!({"kind": "repo", "alias": "r", "real_name": "r--sch-1", "cleanup": "removed"})
        );
        assert_eq!(
            resources[3],
            json!({"kind": "system", "alias": "web-01", "real_name": "web-01--sch-1",
                   "cleanup": "failed", "error": "refused"})
        );
        assert_eq!(
            written["left"],
            json!([{"kind": "profile", "real_name": "base--sch-1"},
                   {"kind": "system", "real_name": "web-01--sch-1"}])
        );
        // Written again, the file is replaced whole.
        Manifest {
            outcome: "failed".into(),
            ..manifest
        }
        .write(&path)
        .unwrap();
        let again: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(again["outcome"], "failed");
    }

    #[test]
    fn a_scenario_no_before_hook_named_still_follows_the_schema() {
        // What a stack reports before its before hook names it: no file, line 0.
        record(
            &ScenarioLabel::default(),
            ScenarioStatus::Interrupted,
            &unwound("nys"),
            CallTally::default(),
        );
        let entry: Vec<ScenarioEntry> = scenarios()
            .into_iter()
            .filter(|s| s.resources.iter().any(|r| r.real_name == "r--nys-1"))
            .collect();
        assert_eq!(entry.len(), 1, "{entry:?}");
        let unnamed = ScenarioLabel::not_yet_started();
        assert_eq!(
            (&entry[0].feature, entry[0].line, &entry[0].name),
            (&unnamed.file, unnamed.line, &unnamed.name)
        );
        let manifest = Manifest {
            schema: SCHEMA,
            run_id: "k3x9q2".into(),
            backend: "fake".into(),
            endpoint: "the embedded fake Cobbler".into(),
            started: timestamp(SystemTime::UNIX_EPOCH),
            ended: timestamp(SystemTime::UNIX_EPOCH),
            outcome: "interrupted".into(),
            scenarios: entry,
            left: Vec::new(),
            shard: None,
            shards: None,
        };
        let errors = check(&serde_json::to_value(&manifest).unwrap());
        assert!(errors.is_empty(), "{errors:#?}");
    }

    #[test]
    fn a_retried_scenario_is_one_entry_counted_by_its_last_try() {
        let label = ScenarioLabel {
            file: "features/retried-test.feature".into(),
            line: 4,
            name: "retried".into(),
        };
        record(
            &label,
            ScenarioStatus::Failed,
            &unwound("retrya"),
            CallTally {
                calls: 2,
                seconds: 0.5,
            },
        );
        record(
            &label,
            ScenarioStatus::Passed,
            &[],
            CallTally {
                calls: 1,
                seconds: 0.25,
            },
        );
        let entry = recorded("retried");
        assert_eq!(
            (entry.status, entry.tries, entry.calls),
            (ScenarioStatus::Passed, 2, 3)
        );
        assert_eq!(entry.call_seconds, 0.75);
        assert_eq!(
            entry.resources.len(),
            4,
            "the failed try's items stay listed"
        );
        // Other tests record scenarios at the same time: only this one's part is certain.
        let (_, _, flaky) = tally();
        assert!(
            flaky.contains(&"features/retried-test.feature:4 (2 tries)".to_owned()),
            "{flaky:?}"
        );
    }

    #[test]
    fn the_schema_check_catches_what_the_schema_forbids() {
        // The check below is not vacuous: each change breaks one rule of the schema.
        let valid = json!({
            "schema": SCHEMA, "run_id": "abc", "backend": "fake", "endpoint": "e",
            "started": "2023-11-14T22:13:20Z", "ended": "2023-11-14T22:13:20Z",
            "outcome": "passed", "left": [],
            "scenarios": [{"feature": "f", "line": 1, "name": "n", "status": "passed",
                           "tries": 1, "calls": 0, "call_seconds": 0.0,
                           "resources": [{"kind": "system", "alias": "a", "real_name": "a--abc-1",
                                          "cleanup": "removed"}]}],
        });
        assert_eq!(check(&valid), Vec::<String>::new());
        let broken: [(&str, Value); 9] = [
            ("/left", Value::Null),
            ("/schema", json!("provspec-run-manifest/2")),
            ("/run_id", json!("Not-An-Id")),
            ("/endpoint", json!("http://cobbler:secret@host/cobbler_api")),
            ("/started", json!("2023-11-14T22:13:20.5+00:00")),
            ("/scenarios/0/line", json!(0)),
            ("/scenarios/0/resources/0/cleanup", json!("failed")),
            (
                "/scenarios/0/resources/0/error",
                json!("only with failed or not-tried"),
            ),
            ("/scenarios/0/extra", json!(1)),
        ];
        for (pointer, value) in broken {
            let mut manifest = valid.clone();
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            let object = manifest
                .pointer_mut(parent)
                .unwrap()
                .as_object_mut()
                .unwrap();
            if value.is_null() {
                object.remove(key);
            } else {
                object.insert(key.to_owned(), value);
            }
            assert_ne!(check(&manifest), Vec::<String>::new(), "{pointer}");
        }
    }

    /// Where `manifest` breaks `schemas/run-manifest.schema.json`. No JSON Schema crate is a
    /// dependency: this reads the keywords that schema uses, and fails on any other, so that
    /// a new rule in the schema is not skipped unnoticed.
    fn check(manifest: &Value) -> Vec<String> {
        let path = crate::world::crate_root().join("schemas/run-manifest.schema.json");
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .expect("the schema is JSON");
        let mut errors = Vec::new();
        validate(&schema, &schema, manifest, "", &mut errors);
        errors
    }

    fn validate(root: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        let schema = schema.as_object().expect("a schema is an object");
        for (keyword, rule) in schema {
            match keyword.as_str() {
                "$schema" | "$id" | "title" | "description" | "$defs" => {}
                // `date-time` is narrowed by each such field's pattern.
                "format" => assert_eq!(rule, "date-time"),
                "$ref" => {
                    let name = rule
                        .as_str()
                        .and_then(|r| r.strip_prefix("#/$defs/"))
                        .expect("references name a definition");
                    validate(root, &root["$defs"][name], value, at, errors);
                    return;
                }
                "type" => {
                    let ok = match rule.as_str().unwrap() {
                        "object" => value.is_object(),
                        "array" => value.is_array(),
                        "string" => value.is_string(),
                        "integer" => value.is_i64() || value.is_u64(),
                        "number" => value.is_number(),
                        other => panic!("type {other} is not checked"),
                    };
                    if !ok {
                        errors.push(format!("{at}: {value} is not of type {rule}"));
                    }
                }
                "const" if value != rule => errors.push(format!("{at}: {value} is not {rule}")),
                "const" => {}
                "enum" => {
                    if !rule.as_array().unwrap().contains(value) {
                        errors.push(format!("{at}: {value} is not one of {rule}"));
                    }
                }
                "pattern" => {
                    let pattern = regex::Regex::new(rule.as_str().unwrap()).unwrap();
                    if value.as_str().is_some_and(|s| !pattern.is_match(s)) {
                        errors.push(format!("{at}: {value} does not match {rule}"));
                    }
                }
                "minLength" => {
                    let min = rule.as_u64().unwrap();
                    if value
                        .as_str()
                        .is_some_and(|s| (s.chars().count() as u64) < min)
                    {
                        errors.push(format!("{at}: {value} is shorter than {min}"));
                    }
                }
                "minimum" => {
                    let min = rule.as_f64().unwrap();
                    if value.as_f64().is_some_and(|n| n < min) {
                        errors.push(format!("{at}: {value} is below {min}"));
                    }
                }
                "required" => {
                    for key in rule.as_array().unwrap() {
                        let key = key.as_str().unwrap();
                        if value.as_object().is_some_and(|o| !o.contains_key(key)) {
                            errors.push(format!("{at}: {key:?} is missing"));
                        }
                    }
                }
                "additionalProperties" => {
                    assert_eq!(rule, false, "only `false` is checked");
                    let known = schema["properties"].as_object().unwrap();
                    for key in value.as_object().into_iter().flat_map(|o| o.keys()) {
                        if !known.contains_key(key) {
                            errors.push(format!("{at}: {key:?} is not allowed"));
                        }
                    }
                }
                "properties" => {
                    for (key, property) in rule.as_object().unwrap() {
                        if let Some(member) = value.get(key) {
                            validate(root, property, member, &format!("{at}/{key}"), errors);
                        }
                    }
                }
                "items" => {
                    for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                        validate(root, rule, item, &format!("{at}/{i}"), errors);
                    }
                }
                "not" => {
                    let mut inner = Vec::new();
                    validate(root, rule, value, at, &mut inner);
                    if inner.is_empty() {
                        errors.push(format!("{at}: {value} matches the forbidden {rule}"));
                    }
                }
                "if" => {
                    let mut inner = Vec::new();
                    validate(root, rule, value, at, &mut inner);
                    let branch = if inner.is_empty() { "then" } else { "else" };
                    if let Some(then) = schema.get(branch) {
                        validate(root, then, value, at, errors);
                    }
                }
                "then" | "else" => assert!(schema.contains_key("if")),
                other => panic!("the schema check does not know the keyword {other:?}"),
            }
        }
    }

    #[test]
    fn timestamps_are_rfc3339_utc_to_the_second() {
        let time = SystemTime::UNIX_EPOCH + Duration::from_millis(1_700_000_000_999);
        assert_eq!(timestamp(time), "2023-11-14T22:13:20Z");
        assert_eq!(timestamp(SystemTime::UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let now = timestamp(SystemTime::now());
        let shape = regex::Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$").unwrap();
        assert!(shape.is_match(&now), "{now}");
    }

    /// Set in the copies of the test binary the test below starts.
    const PROBE: &str = "PROVSPEC_TEST_DEFAULT_MANIFEST_PATH";

    #[test]
    fn the_default_path_is_under_the_target_dir() {
        let root = Path::new("/crate/root");
        if std::env::var_os(PROBE).is_some() {
            // A copy started below: report the path for this CARGO_TARGET_DIR.
            println!("default path: {}", default_path(root, "k3x9q2").display());
            return;
        }
        // CARGO_TARGET_DIR is read from the environment, which a test must not change while
        // others run: each value is tried in a copy of this test binary.
        let probe = |target_dir: Option<&str>| -> String {
            let mut command = std::process::Command::new(std::env::current_exe().unwrap());
            command
                .args([
                    "world::manifest::tests::the_default_path_is_under_the_target_dir",
                    "--exact",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(PROBE, "1");
            match target_dir {
                Some(dir) => command.env("CARGO_TARGET_DIR", dir),
                None => command.env_remove("CARGO_TARGET_DIR"),
            };
            let output = command.output().unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(output.status.success(), "{stdout}");
            stdout
                .lines()
                .find_map(|l| l.split_once("default path: ").map(|(_, path)| path))
                .unwrap_or_else(|| panic!("no path reported: {stdout}"))
                .to_owned()
        };
        assert_eq!(probe(None), "/crate/root/target/provspec-runs/k3x9q2.json");
        assert_eq!(
            probe(Some("build/out")),
            "/crate/root/build/out/provspec-runs/k3x9q2.json"
        );
        assert_eq!(
            probe(Some("/var/tmp/targets")),
            "/var/tmp/targets/provspec-runs/k3x9q2.json"
        );
    }
}
