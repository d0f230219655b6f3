//! The runner's first phases, before anything runs: the command line, the project file and
//! its profile, and which feature files to read.
//!
//! Precedence, for every setting a profile can give: a flag beats its environment variable,
//! which beats the profile chosen with `--profile` (or PROVSPEC_PROFILE) in provspec.toml,
//! which beats the built-in default.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory as _, FromArgMatches as _};

use super::Opts;
use crate::options::ServerOptions;
use crate::project::{self, Profile, Project};
use crate::world::layout::{self, Layout};

/// The command line parsed, with where each value came from.
pub struct Parsed {
    /// The options.
    pub opts: Opts,
    /// The matches, to tell a value given from a default.
    pub matches: ArgMatches,
}

/// Parses `args` (the program's name first) as `name`'s command line; a usage error or
/// `--help` is clap's to print and exit with.
pub fn parse_options(name: &'static str, args: Vec<OsString>) -> Result<Parsed, clap::Error> {
    let command = Opts::command()
        .name(name)
        .bin_name(name)
        .version(env!("CARGO_PKG_VERSION"))
        .about("Runs feature files with provspec's steps, on the embedded fake Cobbler by default.")
        .long_about(None);
    let matches = command.try_get_matches_from(args)?;
    let opts = Opts::from_arg_matches(&matches)?;
    Ok(Parsed { opts, matches })
}

/// The project file found from `start` upward, read and checked; `None` without one.
pub fn find_project(start: &Path) -> Result<Option<Project>, String> {
    project::find(start)
        .map(|file| Project::load(&file).map_err(|e| e.to_string()))
        .transpose()
}

/// The run's layout: the project's root and what it names, or `fallback_root` without one.
pub fn layout_for(project: Option<&Project>, fallback_root: PathBuf) -> Layout {
    match project {
        Some(project) => Layout {
            root: project.root.clone(),
            factories: project.factories.clone(),
            servers: project.servers.clone(),
        },
        None => Layout {
            root: fallback_root,
            ..Layout::default()
        },
    }
}

/// The profile `--profile` names, from the project file; an error when there is no file or no
/// such profile.
pub fn chosen_profile<'p>(
    name: Option<&str>,
    project: Option<&'p Project>,
    start: &Path,
) -> Result<Option<&'p Profile>, String> {
    let Some(name) = name else { return Ok(None) };
    let project = project.ok_or_else(|| {
        format!(
            "--profile {name}: no {} in {} or a folder above it",
            project::FILE_NAME,
            start.display()
        )
    })?;
    project.profile(name).map(Some).map_err(|e| e.to_string())
}

/// Applies `profile` to `server`: each value the profile gives replaces one that came from
/// neither a flag nor the environment. The profile's `url`, `user` and `password_file` go to
/// the options of its backend's family (`--url`/COBBLER_URL for Cobbler's, `--ironic-url`/
/// IRONIC_URL for Ironic's, as its family names them).
pub fn apply_profile(
    server: &mut ServerOptions,
    profile: &Profile,
    matches: &ArgMatches,
) -> Result<(), String> {
    let unset = |id: &str| {
        !matches!(
            matches.value_source(id),
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        )
    };
    let family = crate::backends::family_of(&profile.backend).map_err(|e| {
        format!(
            "[profile.{}] (line {}): backend = {:?}: {e}",
            profile.name, profile.line, profile.backend
        )
    })?;
    if unset("backend") {
        server.backend.clone_from(&profile.backend);
    } else if !family.backends.contains(&server.backend.as_str()) {
        return Err(format!(
            "--profile {} is for the {} backend, but --backend (or PROVSPEC_BACKEND) chose {}, of another family: drop one of them",
            profile.name, profile.backend, server.backend
        ));
    }
    let [url_id, user_id, password_id, file_id] = server.chosen_ids();
    // A password given by flag or environment beats the profile's file.
    let password_given = !unset(&password_id) || !unset(&file_id);
    let (_, options) = server.chosen_mut();
    if let Some(url) = profile.url.clone().filter(|_| unset(&url_id)) {
        options.url = Some(url);
    }
    if let Some(user) = profile.user.clone().filter(|_| unset(&user_id)) {
        options.user = Some(user);
    }
    if let Some(file) = profile.password_file.clone().filter(|_| !password_given) {
        options.password_file = Some(file);
    }
    if let Some(dir) = profile.boot_dir.clone().filter(|_| unset("boot_dir")) {
        server.boot_dir = Some(dir);
    }
    if let Some(seconds) = profile.call_timeout.filter(|_| unset("call_timeout")) {
        server.call_timeout = seconds;
    }
    if let Some(seconds) = profile.connect_timeout.filter(|_| unset("connect_timeout")) {
        server.connect_timeout = seconds;
    }
    Ok(())
}

/// What the run reads: the paths given, else the `--input` patterns, else the project file's features,
/// else `features/` below the root. A path given that does not exist is an error.
pub fn feature_inputs(
    paths: &[PathBuf],
    input: Vec<String>,
    project: Option<&Project>,
    root: &Path,
) -> Result<Vec<String>, String> {
    if !paths.is_empty() {
        let missing: Vec<String> = paths
            .iter()
            .filter(|p| !p.exists())
            .map(|p| p.display().to_string())
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "no such feature file or folder: {}",
                missing.join(", ")
            ));
        }
        return Ok(paths.iter().map(|p| p.display().to_string()).collect());
    }
    if !input.is_empty() {
        return Ok(input);
    }
    match project.filter(|p| !p.features.is_empty()) {
        Some(project) => Ok(project
            .features
            .iter()
            .map(|p| p.display().to_string())
            .collect()),
        None => {
            let features = root.join("features");
            if !features.exists() {
                return Err(format!(
                    "no feature files: {} does not exist; give feature files or folders (provspec run PATH...), or name them in provspec.toml (features = [...])",
                    features.display()
                ));
            }
            Ok(vec![features.display().to_string()])
        }
    }
}

/// Where a run's project is: `provspec run`'s is found from the current folder; a crate's
/// feature suite under `cargo test` is the crate (CARGO_MANIFEST_DIR), whose own
/// provspec.toml counts and none above it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RootPolicy {
    /// From the current folder upward (`provspec run`).
    CurrentFolder,
    /// The crate under test, or the current folder outside cargo.
    Crate,
}

impl RootPolicy {
    /// The project file and the root a run without one uses.
    fn locate(self, cwd: &Path) -> Result<(Option<Project>, PathBuf), String> {
        let crate_root = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
        match (self, crate_root) {
            (RootPolicy::Crate, Some(root)) => {
                let file = root.join(project::FILE_NAME);
                let project = file
                    .is_file()
                    .then(|| Project::load(&file).map_err(|e| e.to_string()))
                    .transpose()?;
                Ok((project, root))
            }
            _ => Ok((find_project(cwd)?, cwd.to_owned())),
        }
    }
}

/// The project found from the current folder, its layout installed, its profile applied:
/// the feature inputs to read, or what is wrong.
pub fn prepare(
    parsed: &mut Parsed,
    input: Vec<String>,
    policy: RootPolicy,
) -> Result<Vec<String>, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("no current folder: {e}"))?;
    let (project, fallback_root) = policy.locate(&cwd)?;
    let layout = layout_for(project.as_ref(), fallback_root);
    let profile = chosen_profile(
        parsed.opts.custom.profile.as_deref(),
        project.as_ref(),
        &cwd,
    )?;
    if let Some(profile) = profile {
        apply_profile(&mut parsed.opts.custom.server, profile, &parsed.matches).map_err(|e| {
            let file = project.as_ref().map(|p| p.file.display().to_string());
            format!("{}: {e}", file.unwrap_or_default())
        })?;
    }
    let inputs = feature_inputs(
        &parsed.opts.custom.paths,
        input,
        project.as_ref(),
        &layout.root,
    )?;
    layout::install(layout);
    Ok(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Parsed {
        let args = std::iter::once("provspec run")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        parse_options("provspec run", args).expect("the options parse")
    }

    fn project(dir: &Path, text: &str) -> Project {
        let file = dir.join(project::FILE_NAME);
        std::fs::write(&file, text).expect("write the project file");
        Project::load(&file).expect("the project file loads")
    }

    const STAGING: &str = "[profile.staging]\nbackend = \"cobbler\"\nurl = \"http://cobbler.example:25151/\"\nuser = \"qa\"\ncall_timeout = 20\n";

    #[test]
    fn a_profile_fills_what_neither_flag_nor_environment_gave() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let project = project(dir.path(), STAGING);
        let mut parsed = parse(&["--url", "http://flag.example:25151/"]);
        let profile = project.profile("staging").expect("the profile");
        apply_profile(&mut parsed.opts.custom.server, profile, &parsed.matches)
            .expect("the profile applies");
        let server = &parsed.opts.custom.server;
        assert_eq!(server.backend, "cobbler");
        let choice = server.choice().expect("a choice");
        assert_eq!(choice.url.as_deref(), Some("http://flag.example:25151/"));
        assert_eq!(choice.login.expect("a login").user, "qa");
        assert!((server.call_timeout - 20.0).abs() < f64::EPSILON);
    }

    #[test]
    fn an_ironic_profile_sets_the_ironic_options() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let project = project(
            dir.path(),
            "[profile.lab]\nbackend = \"ironic\"\nurl = \"http://127.0.0.1:6385\"\nuser = \"admin\"\n",
        );
        let mut parsed = parse(&[]);
        apply_profile(
            &mut parsed.opts.custom.server,
            project.profile("lab").expect("the profile"),
            &parsed.matches,
        )
        .expect("the profile applies");
        let server = &parsed.opts.custom.server;
        let choice = server.choice().expect("a choice");
        assert_eq!(choice.url.as_deref(), Some("http://127.0.0.1:6385"));
        assert_eq!(choice.login.expect("a login").user, "admin");
        assert_eq!(
            server.families[0].url, None,
            "the first family's URL is untouched"
        );
    }

    #[test]
    fn a_profile_without_a_project_file_is_an_error_naming_the_folder() {
        let error = chosen_profile(Some("staging"), None, Path::new("/qa/suite"))
            .expect_err("no project file");
        assert_eq!(
            error,
            "--profile staging: no provspec.toml in /qa/suite or a folder above it"
        );
    }

    #[test]
    fn an_unknown_profile_lists_the_known_ones() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let project = project(dir.path(), STAGING);
        let error = chosen_profile(Some("stagin"), Some(&project), dir.path())
            .expect_err("no such profile");
        assert!(
            error.ends_with("no profile named \"stagin\"; known profiles: staging"),
            "{error}"
        );
    }

    #[test]
    fn feature_inputs_come_from_paths_then_input_then_the_project_then_the_root() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir(dir.path().join("suite")).expect("mkdir");
        let project = project(dir.path(), "features = [\"suite\"]\n");
        let root = dir.path();
        let given = vec![dir.path().join("suite")];
        assert_eq!(
            feature_inputs(&given, vec!["x/*.feature".into()], Some(&project), root),
            Ok(vec![dir.path().join("suite").display().to_string()])
        );
        assert_eq!(
            feature_inputs(&[], vec!["x/*.feature".into()], Some(&project), root),
            Ok(vec!["x/*.feature".to_owned()])
        );
        assert_eq!(
            feature_inputs(&[], Vec::new(), Some(&project), root),
            Ok(vec![dir.path().join("suite").display().to_string()])
        );
        assert_eq!(
            feature_inputs(&[], Vec::new(), None, root),
            Err(format!(
                "no feature files: {} does not exist; give feature files or folders (provspec run PATH...), or name them in provspec.toml (features = [...])",
                dir.path().join("features").display()
            ))
        );
        std::fs::create_dir(dir.path().join("features")).expect("mkdir");
        assert_eq!(
            feature_inputs(&[], Vec::new(), None, root),
            Ok(vec![dir.path().join("features").display().to_string()])
        );
    }

    #[test]
    fn a_feature_path_that_does_not_exist_is_named() {
        let error = feature_inputs(
            &[PathBuf::from("/no/such.feature")],
            Vec::new(),
            None,
            Path::new("/"),
        )
        .expect_err("missing path");
        assert_eq!(error, "no such feature file or folder: /no/such.feature");
    }

    #[test]
    fn without_a_project_file_the_layout_is_the_fallback_root_with_built_in_books() {
        assert_eq!(
            layout_for(None, PathBuf::from("/qa")),
            Layout {
                root: PathBuf::from("/qa"),
                factories: None,
                servers: None
            }
        );
    }

    #[test]
    fn a_password_given_by_flag_beats_the_profiles_file() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(dir.path().join("pw.txt"), "from-file\n").expect("write");
        let project = project(
            dir.path(),
            &format!("{STAGING}password_file = \"pw.txt\"\n"),
        );
        let profile = project.profile("staging").expect("the profile");
        let mut parsed = parse(&["--password", "from-flag"]);
        apply_profile(&mut parsed.opts.custom.server, profile, &parsed.matches)
            .expect("the profile applies");
        let login = parsed.opts.custom.server.choice().expect("a choice").login;
        assert_eq!(login.expect("a login").password, "from-flag");
        let mut parsed = parse(&[]);
        apply_profile(&mut parsed.opts.custom.server, profile, &parsed.matches)
            .expect("the profile applies");
        let login = parsed.opts.custom.server.choice().expect("a choice").login;
        assert_eq!(login.expect("a login").password, "from-file");
    }

    #[test]
    fn a_profile_of_another_family_than_the_backend_given_is_refused() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let project = project(dir.path(), STAGING);
        let other = crate::backends::FAMILIES[1].backends[1];
        let mut parsed = parse(&["--backend", other]);
        let error = apply_profile(
            &mut parsed.opts.custom.server,
            project.profile("staging").expect("the profile"),
            &parsed.matches,
        )
        .expect_err("another family");
        assert!(
            error.starts_with("--profile staging is for the cobbler backend"),
            "{error}"
        );
    }
}
