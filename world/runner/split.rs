//! `--shard K/N`: this run is part K of a suite split over N machines (a CI's matrix or
//! parallel jobs). A scenario belongs to one part by a hash of its feature file and its name,
//! so adding a scenario moves no other. Bazel's `TEST_TOTAL_SHARDS`/`TEST_SHARD_INDEX` and
//! GitLab's `CI_NODE_TOTAL`/`CI_NODE_INDEX` give the part when the option does not.

use std::str::FromStr;

/// Part `index` (1-based) of a run split over `total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunShard {
    /// Which part, from 1.
    pub index: u32,
    /// How many parts.
    pub total: u32,
}

impl FromStr for RunShard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wrong = || format!("--shard takes K/N with 1 <= K <= N (as 2/4), got {text:?}");
        let (index, total) = text.split_once('/').ok_or_else(wrong)?;
        let index: u32 = index.trim().parse().map_err(|_| wrong())?;
        let total: u32 = total.trim().parse().map_err(|_| wrong())?;
        if index == 0 || index > total {
            return Err(wrong());
        }
        Ok(RunShard { index, total })
    }
}

impl std::fmt::Display for RunShard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.total)
    }
}

impl RunShard {
    /// The part the CI's environment names, if any: Bazel's (0-based index) or GitLab's
    /// (1-based).
    pub fn from_environment(
        variable: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, String> {
        let pair = |total: &str, index: &str, base: u32| -> Result<Option<Self>, String> {
            let (Some(count), Some(at)) = (variable(total), variable(index)) else {
                return Ok(None);
            };
            let wrong = || format!("{total}={count} and {index}={at} name no part of a run");
            let count: u32 = count.trim().parse().map_err(|_| wrong())?;
            let at: u32 = at.trim().parse().map_err(|_| wrong())?;
            let index = at + 1 - base;
            if count == 0 || at < base || index > count {
                return Err(wrong());
            }
            Ok(Some(RunShard {
                index,
                total: count,
            }))
        };
        match pair("TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX", 0)? {
            Some(shard) => Ok(Some(shard)),
            None => pair("CI_NODE_TOTAL", "CI_NODE_INDEX", 1),
        }
    }

    /// Whether the scenario `name` of the feature file `file` (as the manifest names it) is
    /// this part's.
    pub fn owns(&self, file: &str, name: &str) -> bool {
        let mut hasher = fnv::FnvHasher::default();
        std::hash::Hasher::write(&mut hasher, file.as_bytes());
        std::hash::Hasher::write(&mut hasher, b"\n");
        std::hash::Hasher::write(&mut hasher, name.as_bytes());
        let hash = std::hash::Hasher::finish(&hasher);
        hash % u64::from(self.total) == u64::from(self.index - 1)
    }
}

/// Tells Bazel that the run shards (it asks with `TEST_SHARD_STATUS_FILE`).
pub fn tell_bazel() {
    if let Some(path) = std::env::var_os("TEST_SHARD_STATUS_FILE") {
        let _ = std::fs::write(path, "");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_is_k_of_n() {
        assert_eq!("2/4".parse(), Ok(RunShard { index: 2, total: 4 }));
        for wrong in ["0/4", "5/4", "2", "a/4", "2/0"] {
            assert!(wrong.parse::<RunShard>().is_err(), "{wrong}");
        }
    }

    #[test]
    fn every_scenario_is_in_exactly_one_part_and_stays_there() {
        let names: Vec<String> = (0..200).map(|n| format!("scenario {n}")).collect();
        let parts: Vec<RunShard> = (1..=4).map(|index| RunShard { index, total: 4 }).collect();
        for name in &names {
            let owners = parts
                .iter()
                .filter(|p| p.owns("features/a.feature", name))
                .count();
            assert_eq!(owners, 1, "{name}");
        }
        let sizes: Vec<usize> = parts
            .iter()
            .map(|p| {
                names
                    .iter()
                    .filter(|n| p.owns("features/a.feature", n))
                    .count()
            })
            .collect();
        assert!(
            sizes.iter().all(|&n| n > 25),
            "an even enough split: {sizes:?}"
        );
        // The hash is fixed: a scenario's part never depends on the others, nor on the build.
        let part = parts
            .iter()
            .position(|p| p.owns("features/distros.feature", "create a distro"));
        assert_eq!(part, Some(FIXED_PART_OF_CREATE_A_DISTRO));
    }

    /// FNV-1a of "features/distros.feature\ncreate a distro", modulo 4: pinned, so that a
    /// change of the hash (which would move every scenario) shows.
    const FIXED_PART_OF_CREATE_A_DISTRO: usize = 1;

    #[test]
    fn the_environment_names_a_part_as_bazel_or_gitlab_counts() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let bazel = env(&[("TEST_TOTAL_SHARDS", "4"), ("TEST_SHARD_INDEX", "0")]);
        assert_eq!(
            RunShard::from_environment(bazel),
            Ok(Some(RunShard { index: 1, total: 4 }))
        );
        let gitlab = env(&[("CI_NODE_TOTAL", "3"), ("CI_NODE_INDEX", "3")]);
        assert_eq!(
            RunShard::from_environment(gitlab),
            Ok(Some(RunShard { index: 3, total: 3 }))
        );
        assert_eq!(RunShard::from_environment(env(&[])), Ok(None));
        let wrong = env(&[("CI_NODE_TOTAL", "3"), ("CI_NODE_INDEX", "0")]);
        assert!(RunShard::from_environment(wrong).is_err());
    }
}
