//! The feature suite: `cargo test --test cucumber` runs `features/` on the embedded fake
//! Cobbler with the built-in steps; every option of `provspec run` works after `--`
//! (`-- --backend fake-ironic`, `-- --tags @bmc`, ...).

fn main() -> std::process::ExitCode {
    provspec::world::runner::main(provspec::world::step_definitions::Steps::built_in())
}
