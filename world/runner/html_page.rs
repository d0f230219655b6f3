//! The HTML report's page: one file, no network (its style and script inline): a summary by
//! status, feature and tag; filters by status and tag and a search by name; each scenario with
//! its steps and durations, its failure with the diff's sides coloured, its calls as a
//! timeline, the items it created and how each was cleaned up, its log and its evidence.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::html::{FeatureReport, ScenarioReport, Status, StepStatus};
use crate::world::cleanup::describe;
use crate::world::manifest::{self, Resource};
use crate::world::scenario_record::{self, ScenarioRecord};

const STYLE: &str = include_str!("html_report.css");
const SCRIPT: &str = include_str!("html_report.js");
const STATUSES: [Status; 4] = [
    Status::Passed,
    Status::Failed,
    Status::Flaky,
    Status::Skipped,
];

/// The page for `features`, whose run took `took` and whose file goes into `page_dir`.
pub fn render(features: &[FeatureReport], title: &str, took: Duration, page_dir: &Path) -> String {
    let resources: BTreeMap<(String, usize), Vec<Resource>> = manifest::scenarios()
        .into_iter()
        .map(|s| ((s.feature, s.line), s.resources))
        .collect();
    let all: Vec<&ScenarioReport> = features.iter().flat_map(|f| f.scenarios.iter()).collect();
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "provspec: " (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { "provspec " span.title { (title) } }
                    p.took { (all.len()) " scenario(s) in " (seconds(took)) }
                    (summary(&all))
                    (filters(&all))
                }
                main {
                    (by_feature(features))
                    @for feature in features {
                        @for scenario in &feature.scenarios {
                            (scenario_block(feature, scenario, &resources, page_dir))
                        }
                    }
                    p #nothing-shown hidden { "No scenario matches the filters." }
                }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    page.into_string()
}

/// The count of scenarios by status (what the filters start from).
fn summary(all: &[&ScenarioReport]) -> Markup {
    html! {
        div #summary {
            @for status in STATUSES {
                @let n = all.iter().filter(|s| s.status == status).count();
                button.count.(status.word()) type="button" data-status=(status.word()) {
                    span.n { (n) } " " (status.word())
                }
            }
            button.count.all.selected type="button" data-status="all" {
                span.n { (all.len()) } " all"
            }
        }
    }
}

/// The tag filter and the search by name.
fn filters(all: &[&ScenarioReport]) -> Markup {
    let mut tags: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for scenario in all {
        for tag in &scenario.tags {
            let counts = tags.entry(tag.as_str()).or_default();
            counts[STATUSES
                .iter()
                .position(|s| *s == scenario.status)
                .unwrap_or(0)] += 1;
        }
    }
    html! {
        div #filters {
            label { "Tag " select #tag {
                option value="" { "any tag" }
                @for (tag, counts) in &tags {
                    option value=(tag) {
                        (tag) " (" (counts[0]) " passed, " (counts[1]) " failed, "
                        (counts[2]) " flaky, " (counts[3]) " skipped)"
                    }
                }
            } }
            label { "Search " input #search type="search" placeholder="scenario or feature name"; }
            span #shown {}
        }
    }
}

/// The count of scenarios by status in each feature.
fn by_feature(features: &[FeatureReport]) -> Markup {
    html! {
        details #by-feature {
            summary { "By feature" }
            table {
                thead { tr { th { "Feature" } @for status in STATUSES { th { (status.word()) } } } }
                tbody {
                    @for feature in features {
                        tr {
                            td { (feature.name) " " span.file { (feature.file.as_deref().unwrap_or("")) } }
                            @for status in STATUSES {
                                td.(status.word()) {
                                    (feature.scenarios.iter().filter(|s| s.status == status).count())
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One scenario, folded: its status, name, place and duration; unfolded, all it has.
fn scenario_block(
    feature: &FeatureReport,
    scenario: &ScenarioReport,
    resources: &BTreeMap<(String, usize), Vec<Resource>>,
    page_dir: &Path,
) -> Markup {
    let record = scenario_record::of(&scenario.label);
    let items = resources.get(&(scenario.label.file.clone(), scenario.label.line));
    let place = format!(
        "{}:{}",
        feature.file.as_deref().unwrap_or(&feature.name),
        scenario.line
    );
    html! {
        details.scenario.(scenario.status.word())
            data-status=(scenario.status.word())
            data-tags=(scenario.tags.join(" "))
            data-name=(format!("{} {}", feature.name, scenario.name).to_lowercase()) {
            summary {
                span.status { (scenario.status.word()) }
                span.name { (scenario.keyword) ": " (scenario.name) }
                span.place { (place) }
                span.took { (seconds(scenario.took)) }
            }
            div.body {
                p.feature { "Feature: " (feature.name) }
                @if !scenario.tags.is_empty() { p.tags { (scenario.tags.join(" ")) } }
                @if let Some(why) = &scenario.skipped { p.skipped { (why) } }
                (steps(scenario))
                @if let Some((kind, text)) = &scenario.failure { (failure(kind, text)) }
                @if let Some(record) = &record { (timeline(record)) }
                @if let Some(items) = items { (items_table(items)) }
                @if let Some(record) = &record { (log_and_evidence(record, page_dir)) }
            }
        }
    }
}

fn steps(scenario: &ScenarioReport) -> Markup {
    html! {
        ol.steps {
            @for step in &scenario.steps {
                @let (class, mark) = match step.status {
                    StepStatus::Passed => ("passed", "✔"),
                    StepStatus::Failed => ("failed", "✘"),
                    StepStatus::Undefined => ("undefined", "?"),
                    StepStatus::NotRun => ("not-run", "-"),
                };
                li.(class) {
                    span.mark { (mark) }
                    @if step.background { span.background title="from the Background" { "B" } }
                    span.keyword { (step.keyword) } " " (step.text)
                    @if step.status == StepStatus::Undefined { span.note { " no step matches it" } }
                    @if step.status != StepStatus::NotRun { span.took { (millis(step.took)) } }
                }
            }
        }
    }
}

/// The failure: its kind, and its text with a diff's `- expected` and `+ actual` lines coloured.
fn failure(kind: &str, text: &str) -> Markup {
    html! {
        div.failure {
            h3 { "Failed: " (kind) }
            pre {
                @for line in text.lines() {
                    @if line.starts_with("- ") || line == "-" {
                        span.expected { (line) } "\n"
                    } @else if line.starts_with("+ ") || line == "+" {
                        span.actual { (line) } "\n"
                    } @else {
                        (line) "\n"
                    }
                }
            }
        }
    }
}

/// The scenario's calls in order, each with a bar as long as its share of the longest.
fn timeline(record: &ScenarioRecord) -> Markup {
    let longest = record.calls.iter().map(|c| c.millis).fold(0.0, f64::max);
    html! {
        div.timeline {
            h3 { "Calls (" (record.calls.len()) ")" }
            @if record.calls.is_empty() { p { "No call." } } @else {
                table {
                    thead { tr { th { "#" } th { "Call" } th { "Took" } th {} th { "Outcome" } th { "Injected fault" } } }
                    tbody {
                        @for (n, call) in record.calls.iter().enumerate() {
                            @let width = if longest > 0.0 { call.millis / longest * 100.0 } else { 0.0 };
                            tr.(if call.outcome == "ok" { "ok" } else { "error" }) {
                                td { (n + 1) }
                                td.call { (call.name) }
                                td.took { (call_time(call.millis)) }
                                td.bar { span style=(format!("width:{width:.0}%")) {} }
                                td.outcome { (call.outcome) }
                                td.fault { (call.injected.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The items the scenario created, in order, and what cleanup did with each.
fn items_table(items: &[Resource]) -> Markup {
    html! {
        div.items {
            h3 { "Items (" (items.len()) ")" }
            @if !items.is_empty() {
                table {
                    thead { tr { th { "Kind" } th { "Alias" } th { "Name on the server" } th { "Cleanup" } } }
                    tbody {
                        @for item in items {
                            tr { td { (item.kind) } td { (item.alias) } td { (item.real_name) } td { (describe(&item.cleanup)) } }
                        }
                    }
                }
            }
        }
    }
}

/// The captured log, and links to the evidence and process logs kept for a failure.
fn log_and_evidence(record: &ScenarioRecord, page_dir: &Path) -> Markup {
    let link = |path: &Path| {
        path.strip_prefix(page_dir)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
            .display()
            .to_string()
    };
    let evidence: Vec<String> = record.evidence_files().iter().map(|f| link(f)).collect();
    html! {
        @if !record.log.is_empty() {
            details.log { summary { "Log (" (record.log.len()) " lines)" } pre { (record.log.join("\n")) } }
        }
        @if !evidence.is_empty() || record.process_logs.is_some() {
            div.evidence {
                h3 { "Evidence, kept before cleanup" }
                ul {
                    @for file in &evidence { li { a href=(file) { (file) } } }
                    @if let Some(dir) = &record.process_logs { li { "process logs: " a href=(link(dir)) { (link(dir)) } } }
                }
            }
        }
    }
}

fn seconds(took: Duration) -> String {
    format!("{:.2} s", took.as_secs_f64())
}

/// A call's time: milliseconds, or microseconds under one.
fn call_time(millis: f64) -> String {
    if millis < 1.0 {
        format!("{:.0} µs", millis * 1000.0)
    } else {
        format!("{millis:.1} ms")
    }
}

fn millis(took: Duration) -> String {
    format!("{} ms", took.as_millis())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::cleanup::ScenarioLabel;

    fn scenario(name: &str, status: Status, failure: Option<(&str, &str)>) -> ScenarioReport {
        ScenarioReport {
            keyword: "Scenario".to_owned(),
            name: name.to_owned(),
            line: 3,
            tags: vec!["@smoke".to_owned()],
            status,
            took: Duration::from_millis(20),
            steps: Vec::new(),
            failure: failure.map(|(k, t)| (k.to_owned(), t.to_owned())),
            skipped: None,
            label: ScenarioLabel {
                file: "features/page-test.feature".to_owned(),
                line: 3,
                name: name.to_owned(),
            },
        }
    }

    #[test]
    fn the_page_counts_by_status_escapes_names_and_colours_a_diff() {
        let features = vec![FeatureReport {
            name: "Page <test>".to_owned(),
            file: Some("features/page-test.feature".to_owned()),
            scenarios: vec![
                scenario("ok <script>alert(1)</script>", Status::Passed, None),
                scenario(
                    "wrong",
                    Status::Failed,
                    Some((
                        "assertion",
                        "differs\n- expected\n+ actual\n- \"d2\"\n+ \"d1\"",
                    )),
                ),
            ],
        }];
        let page = render(
            &features,
            "run t",
            Duration::from_secs(1),
            Path::new("/tmp"),
        );
        assert!(page.contains(r#"data-status="passed"><span class="n">1</span> passed"#));
        assert!(page.contains(r#"data-status="failed"><span class="n">1</span> failed"#));
        assert!(page.contains(r#"data-status="skipped"><span class="n">0</span> skipped"#));
        assert!(
            !page.contains("<script>alert"),
            "a name is text, not markup"
        );
        assert!(page.contains("ok &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains(r#"<span class="expected">- &quot;d2&quot;</span>"#));
        assert!(page.contains(r#"<span class="actual">+ &quot;d1&quot;</span>"#));
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "no network"
        );
    }

    #[test]
    fn call_times_under_a_millisecond_are_in_microseconds() {
        assert_eq!(call_time(0.25), "250 µs");
        assert_eq!(call_time(12.34), "12.3 ms");
    }
}
