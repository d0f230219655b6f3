@cobbler
Feature: Building the rack lab (scripts/bench.sh)
  Measured, not asserted: scripts/bench.sh reads the scenario's time from the runner's
  libtest report.

  Scenario: the rack lab
    Given the lab "rack"
