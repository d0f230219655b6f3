Feature: A Background that fails fails its scenario in every report

  Background:
    Given a distro "d1"
    And a profile "base" for distro "no-such-distro"

  Scenario: a scenario whose Background fails
    Then the search should return nothing
