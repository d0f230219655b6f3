//! Which scenarios a run selects: `--name` and `--tags` together with the backend's tags.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use cucumber::gherkin::{Feature, Rule, Scenario};
use cucumber::tag::Ext as _;

use super::rerun::RerunSet;
use super::split::RunShard;
use crate::world::backend::RunConfig;
use crate::world::hooks::backend_skip_reason;

/// Which scenarios a shard runs: cucumber applies `--name` and `--tags` *instead of* a run's
/// own filter, so both are applied here, with the backend's tags.
pub struct ScenarioFilter {
    /// `--name`: a regex the scenario's name must match.
    pub name: Option<regex::Regex>,
    /// `--tags`: a tag expression over the feature's, rule's and scenario's tags.
    pub tags: Option<cucumber::gherkin::tagexpr::TagOperation>,
    /// Counts the scenarios the filters select.
    pub selected: Arc<AtomicUsize>,
    /// Counts those the backend's tags skip.
    pub skipped: Arc<AtomicUsize>,
    /// Those the backend's tags skip, with why (the reports list them as skipped).
    pub skipped_scenarios: SkippedScenarios,
    /// `--rerun-failed`: the only scenarios to run.
    pub rerun: Option<Arc<RerunSet>>,
    /// `--shard K/N`: the part of a split run this is.
    pub shard: Option<RunShard>,
    /// The run's settings (its backend).
    pub config: &'static RunConfig,
}

impl ScenarioFilter {
    /// Whether `scenario` runs; counts what the filters select and what the backend skips.
    pub fn selects(&self, feature: &Feature, rule: Option<&Rule>, scenario: &Scenario) -> bool {
        match self.decide(feature, rule, scenario) {
            Decision::NotSelected => false,
            Decision::Runs => {
                self.selected.fetch_add(1, Ordering::SeqCst);
                true
            }
            Decision::Skipped(reason) => {
                self.selected.fetch_add(1, Ordering::SeqCst);
                self.skipped.fetch_add(1, Ordering::SeqCst);
                let connector = self.config.connector.as_ref();
                self.skipped_scenarios
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(SkippedScenario {
                        feature: feature.clone(),
                        rule: rule.cloned(),
                        scenario: scenario.clone(),
                        reason: format!("skipped on the {} backend: {reason}", connector.name()),
                    });
                eprintln!(
                    "provspec: skipped on the {} backend: {:?} ({reason})",
                    connector.name(),
                    scenario.name
                );
                false
            }
        }
    }

    /// What the filters decide for `scenario`, counting nothing.
    pub fn decide(&self, feature: &Feature, rule: Option<&Rule>, scenario: &Scenario) -> Decision {
        let tags: Vec<String> = feature
            .tags
            .iter()
            .chain(rule.map(|r| r.tags.iter()).into_iter().flatten())
            .chain(scenario.tags.iter())
            .cloned()
            .collect();
        let named = self
            .name
            .as_ref()
            .is_none_or(|re| re.is_match(&scenario.name));
        let tagged = self
            .tags
            .as_ref()
            .is_none_or(|expression| expression.eval(tags.iter()));
        let label = crate::world::hooks::label(feature, scenario);
        let rerun = self
            .rerun
            .as_ref()
            .is_none_or(|set| set.holds(&label.file, label.line));
        let ours = self
            .shard
            .is_none_or(|shard| shard.owns(&label.file, &scenario.name));
        if !(named && tagged && rerun && ours) {
            return Decision::NotSelected;
        }
        let connector = self.config.connector.as_ref();
        match backend_skip_reason(&feature.tags, &tags, connector) {
            None => Decision::Runs,
            Some(reason) => Decision::Skipped(reason),
        }
    }

    /// How many scenarios of `features` (their outlines expanded) will run.
    pub fn count_runs(&self, features: &[Feature]) -> usize {
        self.runs(features).len()
    }

    /// The scenarios of `features` (their outlines expanded) that will run, as `file:line`.
    pub fn runs(&self, features: &[Feature]) -> Vec<String> {
        use cucumber::feature::Ext as _;
        let mut found = Vec::new();
        for feature in features
            .iter()
            .filter_map(|f| f.clone().expand_examples().ok())
        {
            let groups = std::iter::once((None, &feature.scenarios))
                .chain(feature.rules.iter().map(|r| (Some(r), &r.scenarios)));
            for (rule, scenarios) in groups {
                for scenario in scenarios {
                    if self.decide(&feature, rule, scenario) == Decision::Runs {
                        let label = crate::world::hooks::label(&feature, scenario);
                        found.push(format!("{}:{}", label.file, label.line));
                    }
                }
            }
        }
        found
    }
}

/// What the filters decide for one scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// `--name`, `--tags` or `--rerun-failed` leave it out.
    NotSelected,
    /// It runs.
    Runs,
    /// Selected, but the backend's tags skip it, for this reason.
    Skipped(String),
}

/// A scenario the filters selected and the backend's tags skipped.
#[derive(Clone, Debug)]
pub struct SkippedScenario {
    /// Its feature.
    pub feature: Feature,
    /// The rule it is under, if any.
    pub rule: Option<Rule>,
    /// The scenario.
    pub scenario: Scenario,
    /// Why it did not run ("skipped on the fake backend: tagged @real: needs a real server").
    pub reason: String,
}

/// The scenarios skipped so far, shared by the shards' filters and the reports.
pub type SkippedScenarios = Arc<Mutex<Vec<SkippedScenario>>>;

/// What `skipped` holds now (the reports read it once, when the run has finished).
pub fn skipped_so_far(skipped: &SkippedScenarios) -> Vec<SkippedScenario> {
    skipped.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::backends::{Choice, FAMILIES};

    /// A run on the second family's embedded fake (not installed: a filter only reads it).
    fn second_family_run() -> &'static RunConfig {
        let choice = Choice {
            backend: FAMILIES[1].backends[0].to_owned(),
            ..Choice::default()
        };
        let connector = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
            .block_on(crate::backends::connect(choice))
            .expect("the embedded fake connects");
        Box::leak(Box::new(RunConfig {
            connector,
            run_id: "filtertest".to_owned(),
            step_timeout: Duration::from_secs(1),
            call_timeout: Duration::from_secs(1),
        }))
    }

    fn filter(name: Option<&str>, tags: Option<&str>) -> ScenarioFilter {
        ScenarioFilter {
            name: name.map(|n| regex::Regex::new(n).expect("a regex")),
            tags: tags.map(|t| t.parse().expect("a tag expression")),
            selected: Arc::default(),
            skipped: Arc::default(),
            skipped_scenarios: Arc::default(),
            rerun: None,
            shard: None,
            config: second_family_run(),
        }
    }

    /// The features of `text`, parsed as the runner does.
    fn feature(text: &str) -> Feature {
        Feature::parse(text, cucumber::gherkin::GherkinEnv::default()).expect("a feature")
    }

    /// A feature of the second family: two scenarios, one tagged @slow.
    fn own_feature() -> String {
        format!(
            "@{}\nFeature: own\n\n  @slow\n  Scenario: enroll\n    Given x\n\n  Scenario: delete\n    Given x\n",
            FAMILIES[1].name()
        )
    }

    /// A feature of the first family, which the second family's run skips.
    fn other_feature() -> String {
        format!(
            "@{}\nFeature: other\n\n  Scenario: create\n    Given x\n",
            FAMILIES[0].name()
        )
    }

    fn selected(filter: &ScenarioFilter, text: &str) -> Vec<String> {
        let feature = feature(text);
        feature
            .scenarios
            .iter()
            .filter(|s| filter.selects(&feature, None, s))
            .map(|s| s.name.clone())
            .collect()
    }

    #[test]
    fn name_and_tags_both_hold() {
        let filter = filter(Some("^del"), None);
        assert_eq!(selected(&filter, &own_feature()), ["delete"]);
        let filter = self::filter(None, Some("@slow"));
        assert_eq!(selected(&filter, &own_feature()), ["enroll"]);
        let filter = self::filter(Some("^del"), Some("@slow"));
        assert_eq!(selected(&filter, &own_feature()), Vec::<String>::new());
        assert_eq!(filter.selected.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn the_scenarios_that_will_run_are_counted_without_counting_them_as_selected() {
        let filter = filter(None, None);
        let features = [feature(&own_feature()), feature(&other_feature())];
        assert_eq!(filter.count_runs(&features), 2);
        assert_eq!(filter.selected.load(Ordering::SeqCst), 0);
        let outline = format!(
            "@{}\nFeature: o\n\n  Scenario Outline: x <n>\n    Given x\n\n    Examples:\n      | n |\n      | 1 |\n      | 2 |\n      | 3 |\n",
            FAMILIES[1].name()
        );
        assert_eq!(filter.count_runs(&[feature(&outline)]), 3);
    }

    #[test]
    fn a_feature_of_another_family_is_selected_then_skipped_and_counted() {
        let filter = filter(None, None);
        assert_eq!(selected(&filter, &other_feature()), Vec::<String>::new());
        assert_eq!(filter.selected.load(Ordering::SeqCst), 1);
        assert_eq!(filter.skipped.load(Ordering::SeqCst), 1);
        let skipped = filter
            .skipped_scenarios
            .lock()
            .expect("not poisoned")
            .clone();
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].scenario.name, "create");
        assert!(
            skipped[0].reason.contains("the feature is tagged @"),
            "{}",
            skipped[0].reason
        );
        assert_eq!(selected(&filter, &own_feature()), ["enroll", "delete"]);
        assert_eq!(filter.selected.load(Ordering::SeqCst), 3);
        assert_eq!(filter.skipped.load(Ordering::SeqCst), 1);
    }
}
