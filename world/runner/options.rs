//! The runner's own options (after cucumber's): reports, manifest, run id, timeouts, leak
//! check, the feature paths; and how the command line is read.

use std::path::PathBuf;

use crate::options::{ServerOptions, parse_run_id, parse_seconds};

use crate::world::step_timeout::DEFAULT_STEP_TIMEOUT;

/// provspec's own options, after cucumber's. Its `Debug` never shows the passwords.
#[derive(clap::Args, Debug)]
pub struct RunOptions {
    /// Feature files or folders to run; by default provspec.toml's `features`, else the
    /// `features/` folder of the project (provspec.toml's folder, or the current one).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Take the server settings the profile NAME of provspec.toml gives (flags and
    /// environment variables still win).
    #[arg(long, env = "PROVSPEC_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,
    #[command(flatten)]
    pub server: ServerOptions,
    /// Skip the check, after a run on a server, that nothing carrying the run's marker is left.
    #[arg(long)]
    pub no_leak_check: bool,
    /// This run's id (1 to 12 lower-case letters or digits), part of every real name; random
    /// when not given. A script can then look for leftovers named `*--ID-*`.
    #[arg(long, env = "PROVSPEC_RUN_ID", value_parser = parse_run_id)]
    pub run_id: Option<String>,
    /// Print every step the runner knows (keyword, phrase, doc comment, file and line) and
    /// exit: `text` (default) or `markdown` (the form kept in docs/steps.md).
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, default_missing_value = "text", value_parser = ["text", "markdown"])]
    pub list_steps: Option<String>,
    /// Also write a JUnit XML report of the run to PATH (for CI).
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,
    /// Also write a Cucumber JSON report of the run to PATH.
    #[arg(long = "cucumber-json", value_name = "PATH")]
    pub cucumber_json: Option<PathBuf>,
    /// Also write a self-contained HTML report of the run to PATH (one file, no network): a
    /// summary by status, feature and tag, each scenario's steps, failure, calls, items and
    /// evidence, with filters and search.
    #[arg(long, value_name = "PATH")]
    pub html: Option<PathBuf>,
    /// Where a failed scenario's evidence is kept (what the server held before cleanup, its
    /// calls, its log); by default target/provspec-runs/RUN_ID/.
    #[arg(long, value_name = "DIR")]
    pub artifacts: Option<PathBuf>,
    /// The server's log file, when this machine can read it: a failed scenario's evidence
    /// keeps its last lines.
    #[arg(long, value_name = "PATH")]
    pub server_log: Option<PathBuf>,
    /// Run only the scenarios that did not pass in an earlier run, read from its manifest
    /// (by default the newest in target/provspec-runs/).
    #[arg(long, value_name = "MANIFEST", num_args = 0..=1, default_missing_value = "")]
    pub rerun_failed: Option<PathBuf>,
    /// Run part K of the suite split over N machines (as 2/4), by a hash of each scenario's
    /// file and name; by default the part Bazel (TEST_TOTAL_SHARDS, TEST_SHARD_INDEX) or
    /// GitLab (CI_NODE_TOTAL, CI_NODE_INDEX) names. `provspec merge` joins the parts' reports.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<super::split::RunShard>,
    /// Let a run pass when the filters (--name, --tags) select no scenario at all; without
    /// it, an empty selection fails the run (a typo must not keep CI green).
    #[arg(long)]
    pub allow_empty: bool,
    /// Seconds one step may take before it is cancelled and fails (a scenario tagged
    /// @timeout(N) gets N).
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_STEP_TIMEOUT.as_secs_f64(), value_parser = parse_seconds)]
    pub step_timeout: f64,
    /// Seconds a stopped run (Ctrl-C, SIGTERM, a server that stopped answering) spends
    /// cleaning up what its running scenarios created before it exits.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, value_parser = parse_seconds)]
    pub cleanup_timeout: f64,
    /// Where to write the run manifest (JSON: every scenario, what it created and how that
    /// was cleaned up); by default target/provspec-runs/RUN_ID.json.
    #[arg(long, value_name = "PATH")]
    pub manifest: Option<PathBuf>,
}

/// Takes every `--input` (`-i`) pattern out of the command line (`--input P`, `--input=P`,
/// `-i P`, `-iP`, `-i=P`; as often as given), and gives them with the rest of the line:
/// cucumber takes one `--input` only, and the runner reads the features itself.
pub fn take_inputs(args: Vec<std::ffi::OsString>) -> (Vec<String>, Vec<std::ffi::OsString>) {
    let mut inputs = Vec::new();
    let mut rest = Vec::with_capacity(args.len());
    let mut args = args.into_iter();
    rest.extend(args.next());
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy().into_owned();
        if text == "--" {
            rest.push(arg);
            rest.extend(args.by_ref());
            break;
        }
        if text == "--input" || text == "-i" {
            inputs.extend(args.next().map(|a| a.to_string_lossy().into_owned()));
        } else if let Some(value) = text
            .strip_prefix("--input=")
            .or_else(|| text.strip_prefix("-i"))
        {
            inputs.push(value.strip_prefix('=').unwrap_or(value).to_owned());
        } else {
            rest.push(arg);
        }
    }
    (inputs, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_is_taken_out_in_each_of_its_forms() {
        let args = [
            "run",
            "--input",
            "a",
            "-v",
            "--input=b",
            "-i",
            "c",
            "-id",
            "-i=e",
            "x.feature",
        ]
        .map(std::ffi::OsString::from)
        .to_vec();
        let (inputs, rest) = take_inputs(args);
        assert_eq!(inputs, ["a", "b", "c", "d", "e"]);
        assert_eq!(
            rest,
            ["run", "-v", "x.feature"].map(std::ffi::OsString::from)
        );
    }
}
