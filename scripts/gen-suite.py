#!/usr/bin/env python3
"""Writes a generated Cobbler feature suite of N scenarios, for scripts/bench.sh.

    scripts/gen-suite.py N DIR              # DIR/generated-NNNN.feature, 100 scenarios a file
    scripts/gen-suite.py --expected N       # what a run of N sends a server, as JSON

The scenarios cycle through six shapes that use the everyday steps (create with a factory or
exactly as written, read back, modify, search, a refusal, a removal by a step), so that a run
exercises step matching, tables, the World and the fake the way a real suite does. The same
files serve provspec's runner and the floor runner (benches/floor.rs: the same step patterns,
doing no work). Every scenario passes on the embedded fake and on a Cobbler over HTTP.
"""
import json
import os
import sys

PER_FILE = 100

SHAPES = [
    # A distro from its factory, read back.
    """  Scenario: distro {n}
    Given a distro "d{n}"
    Then the distro "d{n}" should exist
    And the distro "d{n}" should have comment ""
""",
    # A profile on a distro, modified and read back.
    """  Scenario: profile {n}
    Given a distro "d{n}"
    And a profile "p{n}" for distro "d{n}"
    When I modify the profile "p{n}" with:
      | comment | first |
    And I modify the profile "p{n}" with:
      | comment | generated {n} |
    Then the profile "p{n}" should have:
      | distro  | d{n}          |
      | comment | generated {n} |
""",
    # A system with an interface, read back (a MAC from the run's pool; not an IP: a run's IPv4
    # pools hold 762 addresses, fewer than the systems of 10,000 scenarios).
    """  Scenario: system {n}
    Given a distro "d{n}"
    And a profile "p{n}" for distro "d{n}"
    And a system "s{n}" with profile "p{n}" and interfaces:
      | interface | mac_address | netmask       |
      | eth0      | {{mac}}       | 255.255.255.0 |
    Then the system "s{n}" should have:
      | profile                     | p{n}          |
      | interfaces.eth0.mac_address | {{mac of s{n}}} |
""",
    # A refusal, as the server words it.
    """  Scenario: refusal {n}
    When I try to create a system "lonely{n}"
    Then it should fail with a message containing "profile or image is required"
    And the system "lonely{n}" should not exist
""",
    # A search among the scenario's own items.
    """  Scenario: search {n}
    Given a distro "a{n}"
    And a distro "b{n}"
    When I search distro by name "a{n}"
    Then the search should return "a{n}"
""",
    # A removal by a step (cleanup then has nothing left to do for it).
    """  Scenario: removal {n}
    Given a distro "d{n}"
    And a profile "p{n}" for distro "d{n}"
    When I delete the distro "d{n}"
    Then the profile "p{n}" should not exist
    And the distro "d{n}" should not exist
""",
]


# What one scenario of each shape sends a Cobbler at least, in the order of SHAPES: handle
# look-ups (get_*_handle: one per item a step modifies, however often), and removals (one per
# item left when cleanup runs, the step's own; cleanup cannot know that a refused save stored
# nothing, so the refused system is removed too; what a recursive removal took is not).
EXPECTED = [
    {"handles": 0, "removes": 1},
    {"handles": 1, "removes": 2},
    {"handles": 0, "removes": 3},
    {"handles": 0, "removes": 1},
    {"handles": 0, "removes": 2},
    {"handles": 0, "removes": 1},
]


def expected(total):
    """The handle look-ups and removals a run of `total` scenarios needs, and its one login."""
    counts = {"scenarios": total, "login": 1, "handles": 0, "removes": 0}
    for n in range(total):
        for key, value in EXPECTED[n % len(SHAPES)].items():
            counts[key] += value
    return counts


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--expected" and sys.argv[2].isdigit():
        print(json.dumps(expected(int(sys.argv[2]))))
        return
    if len(sys.argv) != 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit("usage: gen-suite.py N DIR  (N scenarios, written to DIR/generated-*.feature)")
    total, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for old in os.listdir(out):
        if old.startswith("generated-") and old.endswith(".feature"):
            os.remove(os.path.join(out, old))
    for first in range(0, total, PER_FILE):
        count = min(PER_FILE, total - first)
        path = os.path.join(out, "generated-%04d.feature" % (first // PER_FILE))
        with open(path, "w") as f:
            f.write("@cobbler\nFeature: generated scenarios %d to %d\n\n" % (first + 1, first + count))
            for n in range(first + 1, first + count + 1):
                f.write(SHAPES[(n - 1) % len(SHAPES)].format(n=n))
                f.write("\n")
    print("%d scenarios in %d file(s) under %s" % (total, (total + PER_FILE - 1) // PER_FILE, out))


if __name__ == "__main__":
    main()
