@cobbler
Feature: Profiles
  A profile is a distro plus settings; systems are built from profiles.

  Background:
    Given a distro "ubuntu"

  Scenario: create a profile for a distro and read it back
    Given a profile "base" for distro "ubuntu" with:
      | comment         | web servers     |
      | kernel_options  | console=ttyS0   |
      | name_servers    | 192.0.2.53      |
    Then the profile "base" should have:
      | distro         | ubuntu        |
      | comment        | web servers   |
      | kernel_options | console=ttyS0 |
      | name_servers   | 192.0.2.53    |

  Scenario: a profile's distro must exist
    Given no distro "ghost" exists
    When I try to create a profile "orphan" for distro "ghost"
    Then it should fail with a message containing "distribution \"ghost\" not found"
    And the profile "orphan" should not exist

  Scenario: a profile needs a distro
    When I try to create a profile "orphan"
    Then it should fail with a message containing "Error with profile orphan - distro is required"

  Scenario: a distro with profiles is not deleted without recursion
    Given a profile "base" for distro "ubuntu"
    When I try to delete the distro "ubuntu" without recursion
    Then it should fail with a message containing "removal would orphan profile: base"
    And the distro "ubuntu" should exist

  Scenario: deleting a distro deletes its profiles and their systems
    Given a profile "base" for distro "ubuntu"
    And a system "web-01" with profile "base"
    When I delete the distro "ubuntu"
    Then the distro "ubuntu" should not exist
    And the profile "base" should not exist
    And the system "web-01" should not exist
