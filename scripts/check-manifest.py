#!/usr/bin/env python3
"""Validates provspec run manifests against schemas/run-manifest.schema.json, and checks that
what they say adds up: `left` lists every item whose cleanup failed or was not tried, and a
passed run has no failed scenario and nothing left.

usage: check-manifest.py MANIFEST.json [EXPECTED_OUTCOME] ...
  (an EXPECTED_OUTCOME after a file applies to that file: passed, failed, interrupted, server-stopped)
"""
import json
import os
import sys

import jsonschema

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas", "run-manifest.schema.json")


def check(path, expected):
    with open(path) as f:
        manifest = json.load(f)
    with open(SCHEMA) as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(manifest), key=lambda e: list(e.path))
    problems = ["%s: %s" % ("/".join(str(p) for p in e.path) or "(top)", e.message) for e in errors]
    if not errors:
        resources = [r for s in manifest["scenarios"] for r in s["resources"]]
        not_cleaned = {r["real_name"] for r in resources if r["cleanup"] in ("failed", "not-tried")}
        left = {l["real_name"] for l in manifest["left"]}
        if not not_cleaned <= left:
            problems.append("items not cleaned but missing from `left`: %s" % sorted(not_cleaned - left))
        # A merged manifest (provspec merge) holds the items of every part's run.
        run_ids = [p["run_id"] for p in manifest.get("shards", [])] or [manifest["run_id"]]
        markers = ["--%s-" % run_id for run_id in run_ids]
        foreign = [r["real_name"] for r in resources if not any(m in r["real_name"] for m in markers)]
        if foreign:
            problems.append("resources without the run's marker %s: %s" % (" or ".join(markers), foreign))
        if manifest["outcome"] == "passed":
            failed = [s["name"] for s in manifest["scenarios"] if s["status"] != "passed"]
            if failed or left:
                problems.append("a passed run with failed scenarios %s or leftovers %s" % (failed, sorted(left)))
        if expected and manifest["outcome"] != expected:
            problems.append("outcome %r, expected %r" % (manifest["outcome"], expected))
    if problems:
        print("manifest %s does not hold:\n  %s" % (path, "\n  ".join(problems)), file=sys.stderr)
        return False
    print("manifest %s: valid, outcome %s, %d scenarios, %d items, %d left" % (
        path, manifest["outcome"], len(manifest["scenarios"]),
        sum(len(s["resources"]) for s in manifest["scenarios"]), len(manifest["left"])))
    return True


def main(args):
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    ok = True
    outcomes = {"passed", "failed", "interrupted", "server-stopped"}
    i = 0
    while i < len(args):
        path = args[i]
        expected = args[i + 1] if i + 1 < len(args) and args[i + 1] in outcomes else None
        ok = check(path, expected) and ok
        i += 2 if expected else 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
