//! Progress on a terminal for long runs: one line on stderr, redrawn in place, "provspec:
//! 12/124 scenarios, 1 failed, 0:37 elapsed". Only when stderr is a terminal: nothing of it goes
//! to a file, a pipe or a report. The terminal writer clears it before its own lines.

use std::io::{IsTerminal as _, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::world::manifest;

/// The progress line of a run of `total` scenarios.
#[derive(Debug)]
pub struct Progress {
    total: usize,
    started: Instant,
    /// Whether the line is on the screen now.
    shown: AtomicBool,
    /// Whether the run's scenarios are all done (the line is not drawn again).
    finished: AtomicBool,
    /// Held while the line or the terminal writer's lines are written.
    drawing: Mutex<()>,
}

impl Progress {
    /// The progress of a run of `total` scenarios, when stderr is a terminal.
    pub fn on_a_terminal(total: usize) -> Option<Self> {
        std::io::stderr().is_terminal().then(|| Self::new(total))
    }

    fn new(total: usize) -> Self {
        Progress {
            total,
            started: Instant::now(),
            shown: AtomicBool::new(false),
            finished: AtomicBool::new(false),
            drawing: Mutex::new(()),
        }
    }

    /// The line: scenarios done of all, failures so far, time since the run started.
    pub fn line(&self) -> String {
        let (passed, failed, _) = manifest::tally();
        line(passed + failed, self.total, failed, self.started.elapsed())
    }

    /// Redraws the line (not once the run has finished).
    pub fn redraw(&self) {
        let _drawing = self.drawing.lock().unwrap_or_else(|p| p.into_inner());
        if self.finished.load(Ordering::SeqCst) {
            return;
        }
        let mut stderr = std::io::stderr().lock();
        let _ = write!(stderr, "\r\x1b[2K{}", self.line());
        let _ = stderr.flush();
        self.shown.store(true, Ordering::SeqCst);
    }

    /// Writes `lines` with the progress line out of their way, and draws it again after.
    pub fn around(&self, lines: impl FnOnce()) {
        {
            let _drawing = self.drawing.lock().unwrap_or_else(|p| p.into_inner());
            self.clear_now();
            lines();
        }
        self.redraw();
    }

    /// Takes the line off the screen for good: the run's summary and closing lines follow.
    pub fn finish(&self) {
        let _drawing = self.drawing.lock().unwrap_or_else(|p| p.into_inner());
        self.finished.store(true, Ordering::SeqCst);
        self.clear_now();
    }

    fn clear_now(&self) {
        if self.shown.swap(false, Ordering::SeqCst) {
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "\r\x1b[2K");
            let _ = stderr.flush();
        }
    }
}

/// "provspec: 12/124 scenarios, 1 failed, 0:37 elapsed".
fn line(done: usize, total: usize, failed: usize, elapsed: Duration) -> String {
    let seconds = elapsed.as_secs();
    format!(
        "provspec: {done}/{total} scenarios, {failed} failed, {}:{:02} elapsed",
        seconds / 60,
        seconds % 60
    )
}

/// Redraws `progress` every half second until the task is aborted.
pub async fn tick(progress: std::sync::Arc<Progress>) {
    let mut every = tokio::time::interval(Duration::from_millis(500));
    loop {
        every.tick().await;
        progress.redraw();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_counts_done_of_all_failures_and_minutes() {
        assert_eq!(
            line(12, 124, 1, Duration::from_secs(97)),
            "provspec: 12/124 scenarios, 1 failed, 1:37 elapsed"
        );
    }
}
