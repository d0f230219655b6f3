Feature: Every way a scenario ends, as the reports must show it
  The report fixtures: CI runs them with --junit, --cucumber-json and --html, and checks each
  report as its readers read it (scripts/check-reports.py --readers, scripts/check-html-report.js).
  Each scenario ends one way; only the first passes, and the last on its second try.

  Scenario: a search that finds what it should
    Given a distro "d1"
    When I search distros by name "d1"
    Then the search should return "d1"

  Scenario: a search that finds another distro shows the difference
    Given a distro "d1"
    And a distro "d2"
    When I search distros by name "d1"
    Then the search should return "d2"

  Scenario: a step no function matches
    Given a distro "d1"
    When I frobnicate the distro "d1"

  Scenario: a fault the scenario injected
    Given the next call to "new_distro" fails with fault "disk full"
    And a distro "d1"

  @real
  Scenario: one that needs a real server is skipped on the embedded fake
    Given a distro "d1"

  @retry(1)
  Scenario: a process that fails on its first try and passes on its second is flaky
    When I start the process "flip" running "sh -c 'm=/tmp/provspec-flaky-$PROVSPEC_PROCESS_RUN; if [ -e $m ]; then rm -f $m; exit 0; fi; touch $m; exit 1'"
    Then the process "flip" should exit with code 0 within 10 seconds
