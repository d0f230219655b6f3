//! What can go wrong with a scenario's processes, each error naming the process and carrying
//! the last lines of its logs where they explain it.

use std::path::PathBuf;
use std::time::Duration;

use crate::processes::Exit;

/// An error of a process plan.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    /// A command line could not be split into words.
    #[error("the command line {line:?} cannot be read: {why}")]
    CommandLine {
        /// The line as written.
        line: String,
        /// What is wrong with it.
        why: String,
    },
    /// The program could not be started.
    #[error("cannot start the process {name:?} ({program}): {source}")]
    Spawn {
        /// The process's name.
        name: String,
        /// The program.
        program: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The log directory or a file in it could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Files {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A name the scenario never gave a process.
    #[error("unknown process {name:?}; {}", known_list(known))]
    Unknown {
        /// The name asked for.
        name: String,
        /// The names there are.
        known: Vec<String>,
    },
    /// A name that is already taken by a process of the scenario.
    #[error("the scenario already has a process named {name:?}; give the new one another name")]
    Taken {
        /// The name.
        name: String,
    },
    /// The process did not exit in time.
    #[error("the process {name:?} did not exit within {:.1} s; it still runs{tail}", waited.as_secs_f64())]
    Timeout {
        /// The process.
        name: String,
        /// How long the step waited.
        waited: Duration,
        /// The last lines of its logs (formatted, may be empty).
        tail: String,
    },
    /// The process exited, but not as expected.
    #[error("the process {name:?} ended with {exit}, expected exit code {expected}{tail}")]
    WrongExit {
        /// The process.
        name: String,
        /// How it ended.
        exit: Exit,
        /// The code expected.
        expected: i32,
        /// The last lines of its logs.
        tail: String,
    },
    /// The process exited and nobody waited for it.
    #[error("the process {name:?} ended unexpectedly with {exit} (no step waited for it){tail}")]
    UnexpectedExit {
        /// The process.
        name: String,
        /// How it ended.
        exit: Exit,
        /// The last lines of its logs.
        tail: String,
    },
    /// Signalling the process group failed (not a group that is already gone).
    #[error("cannot send {signal} to the process group {pgid} of {name:?}: {source}")]
    Signal {
        /// The process.
        name: String,
        /// Its process group.
        pgid: i32,
        /// The signal's name.
        signal: &'static str,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The process group survived SIGKILL.
    #[error("the process group {pgid} of {name:?} still has processes after SIGKILL: {pids:?}")]
    Unkillable {
        /// The process.
        name: String,
        /// Its process group.
        pgid: i32,
        /// What is left.
        pids: Vec<i32>,
    },
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        "the scenario started no process yet".to_owned()
    } else {
        format!("known processes: {}", known.join(", "))
    }
}
