//! From a crate of its own, every built-in step reaches the runner: as many registered as
//! provspec's steps files list (counted in their source), and the team's step beside them.

use std::path::Path;

use provspec::world::step_definitions::Steps;

/// The `.given(`, `.when(` and `.then(` registrations in provspec's `steps/` folder.
fn registrations_in_source() -> usize {
    fn count(dir: &Path) -> usize {
        std::fs::read_dir(dir)
            .expect("provspec's steps folder is readable")
            .map(|entry| entry.expect("a folder entry").path())
            .map(|path| {
                if path.is_dir() {
                    count(&path)
                } else {
                    let text = std::fs::read_to_string(&path).expect("a steps file");
                    [".given(", ".when(", ".then("]
                        .iter()
                        .map(|call| text.matches(call).count())
                        .sum()
                }
            })
            .sum()
    }
    count(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../steps"))
}

#[test]
fn every_built_in_step_reaches_a_downstream_crate() {
    let built_in = Steps::built_in();
    let listed = registrations_in_source();
    assert!(
        listed > 50,
        "only {listed} registrations found in provspec's steps/"
    );
    assert_eq!(built_in.definitions().len(), listed);
}

#[test]
fn the_team_step_is_registered_beside_them() {
    let mut steps = Steps::built_in();
    let before = steps.definitions().len();
    team_steps::register(&mut steps);
    let added = &steps.definitions()[before..];
    assert_eq!(added.len(), 1);
    assert_eq!(
        added[0].expression,
        "the real name of the {kind} {string} should carry the run's marker"
    );
    assert_eq!(added[0].function_name(), "real_name_carries_the_marker");
    assert!(
        added[0]
            .regex
            .is_match("the real name of the distro \"ubuntu\" should carry the run's marker")
    );
}
