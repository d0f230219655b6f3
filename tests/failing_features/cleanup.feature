Feature: Scenarios that fail after creating things
  Every scenario here fails on purpose; the harness checks that cleanup still removed all
  they created from the shared fake.

  Scenario: an assertion fails after a whole tree was created
    Given a distro "ubuntu"
    And a profile "base" for distro "ubuntu"
    And a system "web-01" with profile "base" and interfaces:
      | interface | mac_address       | ip_address |
      | eth0      | 52:54:00:f0:00:01 | 192.0.2.201 |
    And an image "rescue"
    Then the system "web-01" should have hostname "not-the-hostname"

  Scenario: a step provspec does not know fails the run instead of being skipped
    Given a distro "debian"
    And a profile "minimal" for distro "debian"
    When I frobnicate the profile "minimal"
    Then the profile "minimal" should exist

  Scenario: an expected failure that does not happen fails the scenario
    Given a distro "fedora"
    When I try to create a profile "workstation" for distro "fedora"
    Then it should fail with a message containing "distro is required"
