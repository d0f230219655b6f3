@cobbler
Feature: A step that fails after creating things
  A failed step (cucumber runs it as a panic) is cleaned up like any other.

  Scenario: an assertion fails after a tree was created
    Given a distro "ubuntu"
    And a profile "base" for distro "ubuntu"
    And a system "web-01" with profile "base"
    Then the system "web-01" should have comment "not the comment"
