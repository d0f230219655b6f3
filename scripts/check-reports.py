#!/usr/bin/env python3
"""Checks the reports of one feature run against what the runner said.

  check-reports.py JUNIT_XML CUCUMBER_JSON RUNNER_STDERR

The JUnit XML must parse and hold one test case per scenario run, the Cucumber JSON must parse
and hold the same scenarios, and both must count as many failures as the runner's closing line
("provspec: N passed, M failed"). Prints one line; exits 1 on any mismatch. Standard library only.
"""
import json
import re
import sys
import xml.etree.ElementTree as ElementTree


def runner_counts(path):
    with open(path, encoding="utf-8", errors="replace") as stderr:
        found = re.findall(r"^provspec: (\d+) passed, (\d+) failed$", stderr.read(), re.M)
    if not found:
        raise SystemExit(f"reports: no 'provspec: N passed, M failed' line in {path}")
    passed, failed = found[-1]
    return int(passed), int(failed)


def junit_counts(path):
    root = ElementTree.parse(path).getroot()
    cases = root.findall(".//testcase")
    failed = [c for c in cases if c.find("failure") is not None or c.find("error") is not None]
    return len(cases), len(failed)


def junit_wording(path):
    """What a JUnit failure must not say: a step that failed is a failure of a kind, not a
    panic; and no terminal escape code reaches the file."""
    problems = []
    with open(path, encoding="utf-8") as report:
        if "\x1b" in report.read():
            problems.append(f"{path} holds a terminal escape code")
    for failure in ElementTree.parse(path).getroot().iter("failure"):
        said = " ".join([failure.get("type", ""), failure.get("message", ""), failure.text or ""])
        if "panicked" in said.lower():
            problems.append(f"a JUnit failure says it panicked: {said[:120]!r}")
    return problems


def cucumber_json_wording(path):
    """Every step has a status the reporters know, and no failure says it panicked."""
    with open(path, encoding="utf-8") as report:
        features = json.load(report)
    problems = []
    known = {"passed", "failed", "skipped", "undefined", "ambiguous", "pending"}
    for feature in features:
        for element in feature.get("elements", []):
            for hook in element.get("before", []) + element.get("after", []):
                if "embeddings" not in hook:
                    # cucumber-html-reporter drops such a hook: its scenario would read passed.
                    problems.append(f"a hook of {element.get('name')!r} has no embeddings")
            results = [s.get("result", {}) for s in element.get("steps", [])]
            results += [h.get("result", {}) for h in element.get("before", []) + element.get("after", [])]
            for result in results:
                if result.get("status") not in known:
                    problems.append(f"{element.get('name')!r} has a step of status {result.get('status')!r}")
                if "panicked" in (result.get("error_message") or "").lower():
                    problems.append(f"a failure in {element.get('name')!r} says it panicked")
    return problems


def cucumber_json_counts(path):
    """Scenarios and failed scenarios; a failed Background (its own element, just before its
    scenario) or hook fails the scenario too."""
    with open(path, encoding="utf-8") as report:
        features = json.load(report)

    def failed(element):
        steps = element.get("steps", [])
        hooks = element.get("before", []) + element.get("after", [])
        return any(s.get("result", {}).get("status") != "passed" for s in steps) or any(
            h.get("result", {}).get("status") == "failed" for h in hooks
        )

    scenarios = failures = 0
    for feature in features:
        background_failed = False
        for element in feature.get("elements", []):
            if element.get("type") == "background":
                background_failed = failed(element)
            elif element.get("type") == "scenario":
                scenarios += 1
                failures += failed(element) or background_failed
                background_failed = False
    return scenarios, failures


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    junit, cucumber_json, stderr = sys.argv[1:]
    passed, failed = runner_counts(stderr)
    expected = (passed + failed, failed)
    problems = junit_wording(junit) + cucumber_json_wording(cucumber_json)
    for name, counts in (("JUnit XML", junit_counts(junit)), ("Cucumber JSON", cucumber_json_counts(cucumber_json))):
        if counts != expected:
            problems.append(f"{name} has {counts[0]} scenario(s), {counts[1]} failed; the runner said {expected[0]}, {expected[1]} failed")
    if expected[0] == 0:
        problems.append("the run had no scenario")
    for problem in problems:
        print(f"reports: {problem}")
    if problems:
        sys.exit(1)
    print(f"reports: ok ({expected[0]} scenarios, {failed} failed, in {junit} and {cucumber_json})")


if __name__ == "__main__":
    main()
