//! The live members of a process group, read from `/proc` (zombies do not count: an orphan
//! nobody reaps is dead all the same).

use std::fs;

/// The pids of the processes in group `pgid` that are not zombies.
pub fn members(pgid: i32) -> Vec<i32> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| {
                    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
                    let rest = &stat[stat.rfind(')')? + 1..];
                    let mut fields = rest.split_whitespace();
                    let state = fields.next()?;
                    let pgrp: i32 = fields.nth(1)?.parse().ok()?;
                    Some(pgrp == pgid && state != "Z" && state != "X")
                })
                .unwrap_or(false)
        })
        .collect()
}

/// Whether any process of group `pgid` still runs.
pub fn alive(pgid: i32) -> bool {
    !members(pgid).is_empty()
}

/// Sends `signal` to every process of group `pgid`; a group that is gone is fine.
pub fn signal(pgid: i32, signal: i32) -> std::io::Result<()> {
    // SAFETY: kill(2) with a negative pid signals a process group; it touches no memory.
    let result = unsafe { libc::kill(-pgid, signal) };
    if result == 0 {
        return Ok(());
    }
    let error = std::io::Error::last_os_error();
    match error.raw_os_error() {
        Some(libc::ESRCH) => Ok(()),
        _ => Err(error),
    }
}

/// The pids of live processes whose environment holds `key=value` (the marker every process a
/// run starts carries: [`crate::processes::RUN_MARKER_ENV`]). Processes this user cannot read
/// are not listed.
pub fn marked(key: &str, value: &str) -> Vec<i32> {
    let wanted = format!("{key}={value}");
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            let zombie = fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| {
                    let rest = &stat[stat.rfind(')')? + 1..];
                    rest.split_whitespace().next().map(|s| s == "Z" || s == "X")
                })
                .unwrap_or(true);
            !zombie
                && fs::read(format!("/proc/{pid}/environ"))
                    .map(|env| env.split(|b| *b == 0).any(|v| v == wanted.as_bytes()))
                    .unwrap_or(false)
        })
        .collect()
}

/// SIGKILL to every live process carrying `key=value` but this one: the backstop for a run
/// that was stopped mid-scenario, whose servers may run outside any process group it holds (a
/// daemon its start script detached). Returns how many were killed.
pub fn kill_marked(key: &str, value: &str) -> usize {
    let me = std::process::id() as i32;
    marked(key, value)
        .into_iter()
        .filter(|pid| *pid != me)
        // SAFETY: kill(2) on a pid; it touches no memory.
        .filter(|pid| unsafe { libc::kill(*pid, libc::SIGKILL) } == 0)
        .count()
}
