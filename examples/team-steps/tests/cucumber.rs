//! The team's features, with provspec's built-in steps and the team's own, in one run:
//! `cargo test --test cucumber` (every option of `provspec run` works after `--`).

fn main() -> std::process::ExitCode {
    let mut steps = provspec::world::step_definitions::Steps::built_in();
    team_steps::register(&mut steps);
    provspec::world::runner::main(steps)
}
