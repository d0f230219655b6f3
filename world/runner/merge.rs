//! `provspec merge`: the reports of a run's parts (`--shard K/N` on several machines) joined
//! into one of each kind: JUnit XML (the parts' suites under one `testsuites`, totals summed),
//! Cucumber JSON (a feature's scenarios from every part under one feature) and the manifest
//! (every part's scenarios and leftovers). Each refuses what would make the joined report
//! lie: a scenario twice; and the manifests, which know the whole split's selection, also a
//! part missing and a scenario no part ran.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use serde_json::{Value, json};

/// Why parts cannot be joined.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A part's file cannot be read or parsed.
    #[error("{path}: {why}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        why: String,
    },
    /// The parts do not make one run.
    #[error("{0}")]
    Inconsistent(String),
}

fn unreadable(path: &Path, why: impl std::fmt::Display) -> MergeError {
    MergeError::Unreadable {
        path: path.to_owned(),
        why: why.to_string(),
    }
}

/// The parts' JUnit XML files as one: every part's suites, the totals summed; a test case
/// (class name and name) in two parts is refused.
pub fn junit(parts: &[PathBuf]) -> Result<String, MergeError> {
    let mut suites = Vec::new();
    let mut totals = [0u64; 3];
    let mut seconds = 0.0f64;
    let mut seen: BTreeMap<(String, String), PathBuf> = BTreeMap::new();
    for path in parts {
        let text = std::fs::read_to_string(path).map_err(|e| unreadable(path, e))?;
        let part = junit_part(&text).map_err(|e| unreadable(path, e))?;
        for (key, total) in totals.iter_mut().enumerate() {
            *total += part.totals[key];
        }
        seconds += part.seconds;
        for case in part.cases {
            if let Some(first) = seen.insert(case.clone(), path.clone()) {
                return Err(MergeError::Inconsistent(format!(
                    "the test case {:?} of {:?} is in {} and {}: a scenario ran in two parts",
                    case.1,
                    case.0,
                    first.display(),
                    path.display()
                )));
            }
        }
        suites.extend(part.suites);
    }
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{seconds:.3}\">\n{}\n</testsuites>\n",
        totals[0],
        totals[1],
        totals[2],
        suites.join("\n")
    ))
}

/// One part's JUnit file: its suites as written, its totals, its cases.
struct JUnitPart {
    suites: Vec<String>,
    totals: [u64; 3],
    seconds: f64,
    cases: Vec<(String, String)>,
}

fn junit_part(text: &str) -> Result<JUnitPart, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut part = JUnitPart {
        suites: Vec::new(),
        totals: [0; 3],
        seconds: 0.0,
        cases: Vec::new(),
    };
    let (mut depth, mut suite_start) = (0usize, 0usize);
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(0);
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => {
                depth += 1;
                let name = e.name().as_ref().to_owned();
                if depth == 1 && name == "testsuites" {
                    read_totals(&e, &mut part)?;
                } else if depth == 2 && name == "testsuite" {
                    suite_start = before;
                } else if name == "testcase" {
                    part.cases.push(case_key(&e)?);
                }
            }
            Event::Empty(e) if e.name().as_ref() == "testcase" => part.cases.push(case_key(&e)?),
            Event::End(e) => {
                if depth == 2 && e.name().as_ref() == "testsuite" {
                    let end = usize::try_from(reader.buffer_position()).unwrap_or(text.len());
                    part.suites
                        .push(format!("  {}", &text[suite_start..end].trim()));
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(part)
}

fn attribute(e: &quick_xml::events::BytesStart, name: &str) -> Result<Option<String>, String> {
    match e.try_get_attribute(name).map_err(|e| e.to_string())? {
        Some(value) => Ok(Some(
            value
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| e.to_string())?
                .into_owned(),
        )),
        None => Ok(None),
    }
}

fn read_totals(e: &quick_xml::events::BytesStart, part: &mut JUnitPart) -> Result<(), String> {
    for (key, name) in ["tests", "failures", "errors"].iter().enumerate() {
        let value = attribute(e, name)?.unwrap_or_default();
        part.totals[key] = value.parse().unwrap_or(0);
    }
    part.seconds = attribute(e, "time")?
        .and_then(|t| t.parse().ok())
        .unwrap_or(0.0);
    Ok(())
}

fn case_key(e: &quick_xml::events::BytesStart) -> Result<(String, String), String> {
    Ok((
        attribute(e, "classname")?.unwrap_or_default(),
        attribute(e, "name")?.unwrap_or_default(),
    ))
}

/// The parts' Cucumber JSON files as one: a feature's scenarios from every part under one
/// feature; a scenario (file and line) in two parts is refused.
pub fn cucumber_json(parts: &[PathBuf]) -> Result<String, MergeError> {
    let mut features: Vec<Value> = Vec::new();
    let mut seen: BTreeMap<(String, u64), PathBuf> = BTreeMap::new();
    for path in parts {
        let part = read_json(path)?;
        let Value::Array(part) = part else {
            return Err(unreadable(
                path,
                "not a Cucumber JSON report (no list of features)",
            ));
        };
        for mut feature in part {
            let uri = feature["uri"].as_str().unwrap_or_default().to_owned();
            let elements = feature["elements"].take();
            for element in elements.as_array().into_iter().flatten() {
                let key = (uri.clone(), element["line"].as_u64().unwrap_or(0));
                if let Some(first) = seen.insert(key.clone(), path.clone()) {
                    return Err(MergeError::Inconsistent(format!(
                        "the scenario {}:{} is in {} and {}: a scenario ran in two parts",
                        key.0,
                        key.1,
                        first.display(),
                        path.display()
                    )));
                }
            }
            match features.iter_mut().find(|f| f["uri"] == uri.as_str()) {
                Some(owner) => {
                    if let (Some(all), Some(more)) =
                        (owner["elements"].as_array_mut(), elements.as_array())
                    {
                        all.extend(more.iter().cloned());
                    }
                }
                None => {
                    feature["elements"] = elements;
                    features.push(feature);
                }
            }
        }
    }
    Ok(serde_json::to_string_pretty(&features).unwrap_or_default())
}

fn read_json(path: &Path) -> Result<Value, MergeError> {
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(path, e))?;
    serde_json::from_str(&text).map_err(|e| unreadable(path, e))
}

/// The parts' manifests as one: each must be a part of the same split (`shard`), every part
/// there once, every scenario of the split's selection run by exactly one part.
pub fn manifests(parts: &[PathBuf]) -> Result<String, MergeError> {
    let read: Vec<(PathBuf, Value)> = parts
        .iter()
        .map(|p| read_json(p).map(|v| (p.clone(), v)))
        .collect::<Result<_, _>>()?;
    let (total, selection) = split_of(&read)?;
    let mut ran: BTreeMap<String, u64> = BTreeMap::new();
    for (_, manifest) in &read {
        let index = manifest["shard"]["index"].as_u64().unwrap_or(0);
        for scenario in manifest["scenarios"].as_array().into_iter().flatten() {
            let id = format!(
                "{}:{}",
                scenario["feature"].as_str().unwrap_or_default(),
                scenario["line"]
            );
            if let Some(other) = ran.insert(id.clone(), index) {
                return Err(MergeError::Inconsistent(format!(
                    "{id} ran in part {other}/{total} and in part {index}/{total}"
                )));
            }
        }
    }
    let missing: Vec<&String> = selection
        .iter()
        .filter(|id| !ran.contains_key(*id))
        .collect();
    if let Some(first) = missing.first() {
        return Err(MergeError::Inconsistent(format!(
            "{first} did not run in any part ({} scenario(s) of the split's selection did not: {})",
            missing.len(),
            missing
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(serde_json::to_string_pretty(&joined(&read)).unwrap_or_default())
}

/// The split the parts belong to: its number of parts and its selection, once every part is
/// there once and all agree.
fn split_of(read: &[(PathBuf, Value)]) -> Result<(u64, BTreeSet<String>), MergeError> {
    let Some((first_path, first)) = read.first() else {
        return Err(MergeError::Inconsistent("no manifest to merge".to_owned()));
    };
    let total = first["shard"]["total"].as_u64().ok_or_else(|| {
        unreadable(
            first_path,
            "no `shard`: not a part of a split run (--shard K/N)",
        )
    })?;
    let selection: BTreeSet<String> = first["shard"]["selection"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect();
    let mut indices = BTreeSet::new();
    for (path, manifest) in read {
        let shard = &manifest["shard"];
        if shard["total"].as_u64() != Some(total)
            || shard["selection"] != first["shard"]["selection"]
        {
            return Err(MergeError::Inconsistent(format!(
                "{} is a part of another split than {} (other parts or another selection)",
                path.display(),
                first_path.display()
            )));
        }
        let index = shard["index"].as_u64().unwrap_or(0);
        if !indices.insert(index) {
            return Err(MergeError::Inconsistent(format!(
                "part {index}/{total} is given twice ({})",
                path.display()
            )));
        }
    }
    if let Some(missing) = (1..=total).find(|i| !indices.contains(i)) {
        return Err(MergeError::Inconsistent(format!(
            "part {missing}/{total} is missing: give every part's manifest"
        )));
    }
    Ok((total, selection))
}

/// The joined manifest: the first part's run facts, the earliest start and latest end, the
/// worst outcome, every part's scenarios and leftovers, and the parts' run ids.
fn joined(read: &[(PathBuf, Value)]) -> Value {
    let manifests: Vec<&Value> = read.iter().map(|(_, m)| m).collect();
    let text = |m: &Value, key: &str| m[key].as_str().unwrap_or_default().to_owned();
    let worst = ["server-stopped", "interrupted", "failed"]
        .into_iter()
        .find(|o| manifests.iter().any(|m| m["outcome"] == *o))
        .unwrap_or("passed");
    let all = |key: &str| -> Vec<Value> {
        manifests
            .iter()
            .flat_map(|m| m[key].as_array().cloned().unwrap_or_default())
            .collect()
    };
    let mut shards: Vec<Value> = manifests
        .iter()
        .map(|m| json!({"index": m["shard"]["index"], "run_id": m["run_id"]}))
        .collect();
    shards.sort_by_key(|s| s["index"].as_u64());
    json!({
        "schema": manifests[0]["schema"],
        "run_id": manifests[0]["run_id"],
        "backend": manifests[0]["backend"],
        "endpoint": manifests[0]["endpoint"],
        "started": manifests.iter().map(|m| text(m, "started")).min(),
        "ended": manifests.iter().map(|m| text(m, "ended")).max(),
        "outcome": worst,
        "shards": shards,
        "scenarios": all("scenarios"),
        "left": all("left"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("written");
        path
    }

    fn manifest(index: u32, total: u32, scenarios: &[&str]) -> String {
        let scenarios: Vec<Value> = scenarios
            .iter()
            .map(|id| {
                let (feature, line) = id.rsplit_once(':').expect("file:line");
                json!({"feature": feature, "line": line.parse::<u64>().unwrap(), "name": "s",
                       "status": "passed", "tries": 1, "resources": [], "calls": 0, "call_seconds": 0.0})
            })
            .collect();
        json!({"schema": "provspec-run-manifest/1", "run_id": format!("part{index}"), "backend": "fake",
               "endpoint": "e", "started": format!("2026-12-07T10:00:0{index}Z"), "ended": format!("2026-12-07T10:01:0{index}Z"),
               "outcome": "passed", "scenarios": scenarios, "left": [],
               "shard": {"index": index, "total": total, "selection": ["a.feature:3", "a.feature:9", "b.feature:4"]}})
        .to_string()
    }

    #[test]
    fn parts_that_ran_every_scenario_once_join() {
        let dir = tempfile::tempdir().expect("a folder");
        let one = write(
            dir.path(),
            "1.json",
            &manifest(1, 2, &["a.feature:3", "b.feature:4"]),
        );
        let two = write(dir.path(), "2.json", &manifest(2, 2, &["a.feature:9"]));
        let joined: Value = serde_json::from_str(&manifests(&[two, one]).expect("joins")).unwrap();
        assert_eq!(joined["scenarios"].as_array().map(Vec::len), Some(3));
        assert_eq!(joined["shards"][0]["run_id"], "part1");
        assert_eq!(joined["started"], "2026-12-07T10:00:01Z");
        assert_eq!(joined["ended"], "2026-12-07T10:01:02Z");
    }

    #[test]
    fn a_missing_part_a_scenario_twice_and_one_not_run_are_refused_by_name() {
        let dir = tempfile::tempdir().expect("a folder");
        let one = write(
            dir.path(),
            "1.json",
            &manifest(1, 2, &["a.feature:3", "b.feature:4"]),
        );
        let error = manifests(std::slice::from_ref(&one))
            .unwrap_err()
            .to_string();
        assert_eq!(error, "part 2/2 is missing: give every part's manifest");
        let twice = write(
            dir.path(),
            "2.json",
            &manifest(2, 2, &["a.feature:9", "b.feature:4"]),
        );
        let error = manifests(&[one.clone(), twice]).unwrap_err().to_string();
        assert_eq!(error, "b.feature:4 ran in part 1/2 and in part 2/2");
        let short = write(dir.path(), "3.json", &manifest(2, 2, &[]));
        let error = manifests(&[one, short]).unwrap_err().to_string();
        assert!(
            error.starts_with("a.feature:9 did not run in any part"),
            "{error}"
        );
    }

    #[test]
    fn junit_parts_join_their_suites_and_refuse_a_case_twice() {
        let dir = tempfile::tempdir().expect("a folder");
        let part = |case: &str| {
            format!(
                "<?xml version=\"1.0\"?>\n<testsuites tests=\"1\" failures=\"1\" errors=\"0\" time=\"0.500\">\n  <testsuite name=\"F\" tests=\"1\" failures=\"1\" errors=\"0\">\n    <testcase name=\"{case}\" classname=\"F\"><failure type=\"assertion\">x &amp; y</failure></testcase>\n  </testsuite>\n</testsuites>\n"
            )
        };
        let one = write(dir.path(), "1.xml", &part("one"));
        let two = write(dir.path(), "2.xml", &part("two"));
        let joined = junit(&[one.clone(), two]).expect("joins");
        assert!(
            joined.contains("<testsuites tests=\"2\" failures=\"2\" errors=\"0\" time=\"1.000\">"),
            "{joined}"
        );
        assert_eq!(joined.matches("<testsuite ").count(), 2);
        assert!(joined.contains("x &amp; y"));
        let again = write(dir.path(), "3.xml", &part("one"));
        let error = junit(&[one, again]).unwrap_err().to_string();
        assert!(error.contains("\"one\" of \"F\" is in"), "{error}");
    }

    #[test]
    fn cucumber_json_parts_join_under_one_feature() {
        let dir = tempfile::tempdir().expect("a folder");
        let part = |line: u64| {
            json!([{"uri": "a.feature", "name": "A", "elements": [{"line": line, "name": "s"}]}])
                .to_string()
        };
        let one = write(dir.path(), "1.json", &part(3));
        let two = write(dir.path(), "2.json", &part(9));
        let joined: Value =
            serde_json::from_str(&cucumber_json(&[one.clone(), two]).expect("joins")).unwrap();
        assert_eq!(joined.as_array().map(Vec::len), Some(1));
        assert_eq!(joined[0]["elements"].as_array().map(Vec::len), Some(2));
        let again = write(dir.path(), "3.json", &part(3));
        assert!(
            cucumber_json(&[one, again])
                .unwrap_err()
                .to_string()
                .contains("a.feature:3 is in")
        );
    }
}
