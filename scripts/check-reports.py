#!/usr/bin/env python3
"""Checks the reports of one feature run against what the runner said.

  check-reports.py [--readers] JUNIT_XML CUCUMBER_JSON RUNNER_STDERR

The JUnit XML must parse and hold one test case per scenario selected (those the backend's tags
skip as `skipped`), the Cucumber JSON must parse and hold the scenarios run, and both must count
as many failures as the runner's closing line ("provspec: N passed, M failed"). With
--readers, the reports are also read as their users read them (scripts/report-readers.sh
installs the readers): the JUnit XML validated against schemas/junit-10.xsd (Jenkins' xunit
plugin) and loaded by junitparser, the Cucumber JSON counted by cucumber-html-reporter and
multiple-cucumber-html-reporter; each
must count as the runner did. Prints one line; exits 1 on any mismatch. Without --readers,
standard library only.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def runner_counts(path):
    """Passed, failed, and skipped by backend tag, as the runner's closing lines say."""
    with open(path, encoding="utf-8", errors="replace") as stderr:
        text = stderr.read()
    found = re.findall(r"^provspec: (\d+) passed, (\d+) failed$", text, re.M)
    if not found:
        raise SystemExit(f"reports: no 'provspec: N passed, M failed' line in {path}")
    skipped = re.findall(r"^provspec: (\d+) scenario\(s\) skipped by backend tag", text, re.M)
    passed, failed = found[-1]
    return int(passed), int(failed), int(skipped[-1]) if skipped else 0


def runner_flaky(path):
    """How many scenarios passed only on a retry, as the runner says."""
    with open(path, encoding="utf-8", errors="replace") as stderr:
        found = re.findall(r"^provspec: (\d+) scenario\(s\) passed only on a retry", stderr.read(), re.M)
    return int(found[-1]) if found else 0


def junit_flaky(path):
    """Test cases that passed after failed tries (Surefire's flakyFailure, no failure)."""
    cases = ElementTree.parse(path).getroot().findall(".//testcase")
    return sum(1 for c in cases if c.find("flakyFailure") is not None and c.find("failure") is None)


def junit_counts(path):
    """Test cases, failed ones, and ones skipped by tag."""
    root = ElementTree.parse(path).getroot()
    cases = root.findall(".//testcase")
    failed = [c for c in cases if c.find("failure") is not None or c.find("error") is not None]
    by_tag = [c for c in cases if any(s.get("type") == "skipped by tag" for s in c.findall("skipped"))]
    return len(cases), len(failed), len(by_tag)


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


def reader_problems(junit, cucumber_json, passed, failed, skipped):
    """The reports as their users' readers see them (scripts/report-readers.sh)."""
    python = os.environ.get("PROVSPEC_REPORT_PYTHON")
    node_path = os.environ.get("PROVSPEC_REPORT_NODE_PATH")
    if not python or not node_path:
        raise SystemExit("reports: --readers needs PROVSPEC_REPORT_PYTHON and PROVSPEC_REPORT_NODE_PATH "
                         "(scripts/report-readers.sh install prints them)")
    problems = []
    junit_check = subprocess.run(
        [python, os.path.join(ROOT, "scripts", "report-readers", "junit-readers.py"),
         os.path.join(ROOT, "schemas", "junit-10.xsd"), junit],
        capture_output=True, text=True)
    if junit_check.returncode != 0:
        said = junit_check.stderr.strip().splitlines() or ["(no message)"]
        reason = next((line.strip() for line in said if line.strip().startswith("Reason:")), said[0])
        problems.append(f"the JUnit readers refuse {junit}: {said[-1][:200] if said[-1].startswith('Path:') else ''} {reason}")
    else:
        counts = json.loads(junit_check.stdout.strip().splitlines()[-1])
        wanted = {"cases": passed + failed + skipped, "failed": failed, "skipped": skipped}
        if counts != wanted:
            problems.append(f"junitparser counts {counts}; the runner said {wanted}")
    with tempfile.TemporaryDirectory() as work:
        reporter = subprocess.run(
            ["node", os.path.join(ROOT, "scripts", "report-readers", "html-reporter-counts.js"),
             cucumber_json, work],
            capture_output=True, text=True, env={**os.environ, "NODE_PATH": node_path})
    if reporter.returncode != 0:
        problems.append(f"cucumber-html-reporter refuses {cucumber_json}: {reporter.stderr.strip()[-600:]}")
    else:
        counts = json.loads(reporter.stdout.strip().splitlines()[-1])
        not_passed = sum(counts[k] for k in ("failed", "notdefined", "ambiguous", "pending", "skipped"))
        if (counts["passed"], not_passed) != (passed, failed):
            problems.append(f"cucumber-html-reporter counts {counts}; the runner said {passed} passed, {failed} failed")
    with tempfile.TemporaryDirectory() as work:
        multiple = subprocess.run(
            ["node", os.path.join(ROOT, "scripts", "report-readers", "multiple-reporter-counts.mjs"),
             node_path, cucumber_json, work],
            capture_output=True, text=True)
    if multiple.returncode != 0:
        problems.append(f"multiple-cucumber-html-reporter refuses {cucumber_json}: {multiple.stderr.strip()[-600:]}")
    else:
        counts = json.loads(multiple.stdout.strip().splitlines()[-1])
        not_passed = sum(counts[k] for k in ("failed", "notDefined", "ambiguous", "pending", "skipped"))
        if (counts["passed"], not_passed) != (passed, failed):
            problems.append(f"multiple-cucumber-html-reporter counts {counts}; the runner said {passed} passed, {failed} failed")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", action="store_true",
                        help="also read the reports with junitparser, xmlschema and cucumber-html-reporter")
    parser.add_argument("junit")
    parser.add_argument("cucumber_json")
    parser.add_argument("stderr")
    args = parser.parse_args()
    junit, cucumber_json = args.junit, args.cucumber_json
    passed, failed, skipped = runner_counts(args.stderr)
    expected = (passed + failed, failed)
    problems = junit_wording(junit) + cucumber_json_wording(cucumber_json)
    junit_found = junit_counts(junit)
    if junit_found != (passed + failed + skipped, failed, skipped):
        problems.append(f"JUnit XML has {junit_found[0]} scenario(s), {junit_found[1]} failed, {junit_found[2]} "
                        f"skipped by tag; the runner said {passed + failed + skipped}, {failed} failed, {skipped} skipped by tag")
    if junit_flaky(junit) != runner_flaky(args.stderr):
        problems.append(f"JUnit XML has {junit_flaky(junit)} flaky scenario(s); the runner said {runner_flaky(args.stderr)}")
    json_found = cucumber_json_counts(cucumber_json)
    if json_found != expected:
        problems.append(f"Cucumber JSON has {json_found[0]} scenario(s), {json_found[1]} failed; "
                        f"the runner said {expected[0]}, {expected[1]} failed")
    if expected[0] == 0:
        problems.append("the run had no scenario")
    if args.readers and not problems:
        problems += reader_problems(junit, cucumber_json, passed, failed, skipped)
    for problem in problems:
        print(f"reports: {problem}")
    if problems:
        sys.exit(1)
    readers = (", read by junitparser, xmlschema, cucumber-html-reporter and multiple-cucumber-html-reporter"
               if args.readers else "")
    print(f"reports: ok ({expected[0]} scenarios, {failed} failed, {skipped} skipped by tag, in {junit} and {cucumber_json}{readers})")


if __name__ == "__main__":
    main()
