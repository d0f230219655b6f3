//! The signals that stop a run: SIGINT (Ctrl-C), SIGTERM (what a CI cancel sends) and SIGHUP
//! (the terminal closed, or the parent `cargo test` died). The runner stops at the first one
//! and cleans up; a second SIGINT or SIGTERM means "stop now".
//!
//! Under `cargo test`, a signal sent to cargo alone (a CI cancel kills cargo) would leave the
//! runner running as an orphan, so the runner asks the kernel for a SIGHUP when its parent
//! cargo dies (Linux), and treats that like the first signal.

use tokio::signal::unix::{Signal as Stream, SignalKind, signal};

/// One stopping signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopSignal {
    /// SIGINT: Ctrl-C.
    Interrupt,
    /// SIGTERM: a CI cancel, `kill`.
    Terminate,
    /// SIGHUP: the terminal closed, or the parent `cargo test` died.
    HangUp,
}

impl StopSignal {
    /// The signal's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Interrupt => "SIGINT",
            Self::Terminate => "SIGTERM",
            Self::HangUp => "SIGHUP",
        }
    }

    /// The exit status a process killed by the signal has: 128 plus its number.
    pub fn exit_code(self) -> u8 {
        match self {
            Self::Interrupt => 130,
            Self::Terminate => 143,
            Self::HangUp => 129,
        }
    }

    /// True when a second one should stop at once (a SIGHUP from a dying parent should not:
    /// it comes on its own after a Ctrl-C killed cargo).
    pub fn aborts_when_repeated(self) -> bool {
        self != Self::HangUp
    }
}

/// The stopping signals, caught from [`StopSignals::install`] on (their default action, dying
/// at once, is replaced).
#[derive(Debug)]
pub struct StopSignals {
    interrupt: Stream,
    terminate: Stream,
    hang_up: Stream,
}

impl StopSignals {
    /// Catches SIGINT, SIGTERM and SIGHUP, and asks for a SIGHUP when a parent `cargo`
    /// dies. Must run inside a tokio runtime.
    pub fn install() -> std::io::Result<Self> {
        let signals = Self {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
            hang_up: signal(SignalKind::hangup())?,
        };
        hang_up_when_cargo_dies();
        Ok(signals)
    }

    /// The next stopping signal.
    pub async fn next(&mut self) -> StopSignal {
        tokio::select! {
            _ = self.interrupt.recv() => StopSignal::Interrupt,
            _ = self.terminate.recv() => StopSignal::Terminate,
            _ = self.hang_up.recv() => StopSignal::HangUp,
        }
    }
}

/// When the parent process is cargo, asks the kernel to send this process SIGHUP when it
/// dies (Linux only; elsewhere nothing happens).
fn hang_up_when_cargo_dies() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: getppid has no preconditions.
        let parent = unsafe { libc::getppid() };
        let name = std::fs::read_to_string(format!("/proc/{parent}/comm")).unwrap_or_default();
        if name.trim() != "cargo" {
            return;
        }
        // SAFETY: PR_SET_PDEATHSIG with a valid signal number only sets a flag on this process.
        unsafe {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGHUP);
        }
        // SAFETY: as above; if cargo died before the flag was set, the signal is raised here.
        if unsafe { libc::getppid() } != parent {
            unsafe {
                libc::raise(libc::SIGHUP);
            }
        }
    }
}
