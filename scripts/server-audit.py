#!/usr/bin/env python3
"""Checks that a feature run against a Cobbler left nothing behind and touched nothing foreign.

  server-audit.py URL seed       create pre-existing items (names start with "preexisting-")
                                 and save their dicts to a snapshot file
  server-audit.py URL verify ID  fail if any item's name contains "--ID-" (the run's marker),
                                 or if a pre-existing item changed or vanished
  server-audit.py URL unseed     remove the pre-existing items again
  server-audit.py URL wait-marked ID
                                 wait (60 s at most) until an item of run ID is on the server:
                                 the run is mid-scenario, for a test that stops it there

Standard library only. Settings: COBBLER_USER, COBBLER_PASSWORD, PROVSPEC_BOOT_DIR (where the
seed writes its kernel and initrd; default: a new temporary directory), AUDIT_SNAPSHOT
(default /tmp/provspec-audit-snapshot.json).
"""
import json
import os
import sys
import tempfile
import xmlrpc.client

KINDS = ("distro", "profile", "system", "image")
SNAPSHOT = os.environ.get("AUDIT_SNAPSHOT", "/tmp/provspec-audit-snapshot.json")


def connect(url):
    server = xmlrpc.client.ServerProxy(url, allow_none=True)
    token = server.login(os.environ.get("COBBLER_USER", "cobbler"), os.environ.get("COBBLER_PASSWORD", "cobbler"))
    return server, token


def inventory(server):
    return {kind: {item["name"]: item for item in getattr(server, "get_%ss" % kind)()} for kind in KINDS}


def create(server, token, kind, fields):
    handle = getattr(server, "new_" + kind)(token)
    for field, value in fields.items():
        if not getattr(server, "modify_" + kind)(handle, field, value, token):
            raise SystemExit("modify_%s %s refused" % (kind, field))
    getattr(server, "save_" + kind)(handle, token, "new")


SEEDED = (("image", "preexisting-image"), ("distro", "preexisting-distro"))


def unseed(url):
    server, token = connect(url)
    for kind, name in SEEDED:
        getattr(server, "remove_" + kind)(name, token, True)


def seed(url):
    unseed(url)
    server, token = connect(url)
    boot = os.environ.get("PROVSPEC_BOOT_DIR") or tempfile.mkdtemp(prefix="provspec-audit-")
    for name in ("vmlinuz", "initrd.img"):
        with open(os.path.join(boot, name), "w") as f:
            f.write("pre-existing dummy\n")
    create(server, token, "distro", {"name": "preexisting-distro", "kernel": boot + "/vmlinuz",
                                     "initrd": boot + "/initrd.img", "comment": "not provspec's"})
    create(server, token, "profile", {"name": "preexisting-profile", "distro": "preexisting-distro"})
    create(server, token, "system", {"name": "preexisting-system", "profile": "preexisting-profile",
                                     "modify_interface": {"macaddress-eth0": "52:54:00:ee:ee:01"}})
    create(server, token, "image", {"name": "preexisting-image", "image_type": "iso"})
    items = inventory(server)
    with open(SNAPSHOT, "w") as f:
        json.dump(items, f, sort_keys=True)
    print("seeded %d pre-existing items; snapshot in %s" % (sum(len(v) for v in items.values()), SNAPSHOT))


def verify(url, run_id):
    server, _ = connect(url)
    now = inventory(server)
    with open(SNAPSHOT) as f:
        before = json.load(f)
    problems = []
    marker = "--%s-" % run_id
    for kind in KINDS:
        leftovers = sorted(name for name in now[kind] if marker in name)
        if leftovers:
            problems.append("%d %s(s) of run %s left on the server: %s" % (len(leftovers), kind, run_id, leftovers))
        for name, item in before[kind].items():
            if name not in now[kind]:
                problems.append("pre-existing %s %r is gone" % (kind, name))
            elif now[kind][name] != item:
                changed = sorted(k for k in set(item) | set(now[kind][name]) if item.get(k) != now[kind][name].get(k))
                problems.append("pre-existing %s %r changed: %s" % (kind, name, changed))
    for problem in problems:
        print("audit: " + problem)
    total = sum(len(v) for v in before.values())
    if problems:
        print("audit: 0 passed, %d failed" % len(problems))
    else:
        print("audit: no leftovers of run %s; %d pre-existing items intact" % (run_id, total))
    sys.exit(1 if problems else 0)


def wait_marked(url, run_id):
    import time
    marker = "--%s-" % run_id
    deadline = time.time() + 60
    server = xmlrpc.client.ServerProxy(url, allow_none=True)
    while time.time() < deadline:
        for kind in KINDS:
            names = [item["name"] for item in getattr(server, "get_%ss" % kind)()]
            found = [name for name in names if marker in name]
            if found:
                print("audit: run %s is mid-scenario: %s %s is on the server" % (run_id, kind, found[0]))
                return
        time.sleep(0.05)
    raise SystemExit("audit: nothing of run %s appeared on the server within 60 s" % run_id)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[2] == "seed":
        seed(sys.argv[1])
    elif len(sys.argv) == 3 and sys.argv[2] == "unseed":
        unseed(sys.argv[1])
    elif len(sys.argv) == 4 and sys.argv[2] == "verify":
        verify(sys.argv[1], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[2] == "wait-marked":
        wait_marked(sys.argv[1], sys.argv[3])
    else:
        raise SystemExit(__doc__)
