#!/usr/bin/env python3
"""Processes left behind, found by a variable in their environment.

    leftover-processes.py check KEY=VALUE [--except PID ...]   exit 1 when a live process carries it
    leftover-processes.py kill KEY=VALUE                        SIGKILL to every live process carrying it

provspec gives every process a run starts PROVSPEC_PROCESS_RUN=<run id>; .ci/run exports a
marker of its own that every process it starts inherits. `check` lists the live ones (zombies
do not count), skipping the pids given with --except and their ancestors; `kill` ends them
(after a runner was killed with SIGKILL, as `provspec sweep` does for the items on a server).
"""
import os
import signal
import sys


def live_pids():
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        try:
            with open("/proc/%d/stat" % pid) as f:
                stat = f.read()
        except OSError:
            continue
        rest = stat[stat.rfind(")") + 1:].split()
        if rest and rest[0] not in ("Z", "X"):
            yield pid, int(rest[1])


def carries(pid, wanted):
    try:
        with open("/proc/%d/environ" % pid, "rb") as f:
            return wanted in f.read().split(b"\0")
    except OSError:
        return False


def describe(pid):
    """The program only: arguments may hold passwords (`--user cobbler:…`)."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            argv = f.read().split(b"\0")
        return argv[0].decode(errors="replace") + (" …" if len(argv) > 2 else "")
    except OSError:
        return "?"


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("check", "kill") or "=" not in sys.argv[2]:
        print(__doc__, file=sys.stderr)
        return 2
    action, wanted = sys.argv[1], sys.argv[2].encode()
    excepted = {int(p) for p in sys.argv[4:]} if sys.argv[3:4] == ["--except"] else set()
    parents = dict(live_pids())
    skip = {os.getpid()}
    for pid in excepted:
        while pid and pid not in skip:
            skip.add(pid)
            pid = parents.get(pid, 0)
    found = [pid for pid in parents if pid not in skip and carries(pid, wanted)]
    if action == "kill":
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
                print("killed %d: %s" % (pid, describe(pid)))
            except OSError:
                pass
        return 0
    for pid in found:
        print("left running: %d: %s" % (pid, describe(pid)))
    if found:
        return 1
    print("no process carrying %s is left" % sys.argv[2].split("=")[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
