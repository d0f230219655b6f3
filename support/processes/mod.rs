//! Process plans: the commands a scenario starts, each with its stdout and stderr in a log file
//! of the scenario's own directory, waited for with an expected exit code and a time limit, or
//! killed with its whole process group (SIGTERM, then SIGKILL after a grace period).
//!
//! In the spirit of Flumotion's integration plans: an exit nobody waited for is an error the
//! next step reports with the last lines of that process's logs; whatever still runs when the
//! scenario ends is killed and reported; the log directory is removed when the scenario passed
//! and kept (and named, with each log's last lines) when it failed.
//!
//! - [`ProcessPlan`]: one scenario's processes, by name ([`plan`]).
//! - [`Process`]: one spawned process group and its exit ([`process`]).
//! - [`LogDir`]: the scenario's log directory and unique log names ([`log_dir`]).
//! - [`split_command_line`]: a command line as argv, with shell-style quotes ([`command_line`]).
//! - [`groups`]: the members of a process group, read from `/proc`.
//!
//! Nothing here knows cucumber or a backend.

pub mod command_line;
pub mod error;
pub mod exit;
pub mod groups;
pub mod log_dir;
pub mod plan;
pub mod process;

pub use command_line::split_command_line;
pub use error::ProcessError;
pub use exit::Exit;
pub use log_dir::LogDir;
pub use plan::{Finished, ProcessPlan};
pub use process::{Process, ProcessSpec};

/// The environment variable every spawned process carries, with the run's id as its value, so
/// that a check after a run can find anything the run started and left behind
/// (`scripts/leftover-processes.py`).
pub const RUN_MARKER_ENV: &str = "PROVSPEC_PROCESS_RUN";
