//! Which scenarios a run selects: `--name` and `--tags` together with the backend's tags.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use cucumber::gherkin::{Feature, Rule, Scenario};
use cucumber::tag::Ext as _;

use crate::world::backend::RunConfig;
use crate::world::hooks::backend_skip_reason;

/// Which scenarios a shard runs: cucumber applies `--name` and `--tags` *instead of* a run's
/// own filter, so both are applied here, with the backend's tags.
pub struct ScenarioFilter {
    pub name: Option<regex::Regex>,
    pub tags: Option<cucumber::gherkin::tagexpr::TagOperation>,
    pub selected: Arc<AtomicUsize>,
    pub skipped: Arc<AtomicUsize>,
    pub config: &'static RunConfig,
}

impl ScenarioFilter {
    /// Whether `scenario` runs; counts what the filters select and what the backend skips.
    pub fn selects(&self, feature: &Feature, rule: Option<&Rule>, scenario: &Scenario) -> bool {
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
        if !(named && tagged) {
            return false;
        }
        self.selected.fetch_add(1, Ordering::SeqCst);
        let connector = self.config.connector.as_ref();
        match backend_skip_reason(&feature.tags, &tags, connector) {
            None => true,
            Some(reason) => {
                self.skipped.fetch_add(1, Ordering::SeqCst);
                eprintln!(
                    "provspec: skipped on the {} backend: {:?} ({reason})",
                    connector.name(),
                    scenario.name
                );
                false
            }
        }
    }
}
