@cobbler @serial
Feature: Power
  Power actions go through the system's power type. The dummy type (fence_dummy) keeps one
  global state, so these scenarios run one at a time.

  Background:
    Given a distro "ubuntu"
    And a profile "base" for distro "ubuntu"

  Scenario: power a system on and off with the dummy power type
    Given a system "web-01" with profile "base" with:
      | power_type | dummy |
    When I power on the system "web-01"
    Then the system "web-01" should be powered on
    When I power off the system "web-01"
    Then the system "web-01" should be powered off

  Scenario: power needs a power type
    Given a system "web-01" with profile "base"
    When I try to power on the system "web-01"
    Then it should fail with a message containing "no power type set for system"

  Scenario: an unknown power type is refused with the known ones
    When I try to create a system "web-01" with profile "base" with:
      | power_type | nosuchbmc |
    Then it should fail with a message containing "power management type must be one of: ack_manual,"
