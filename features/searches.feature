@cobbler
Feature: Searching
  find_* matches globs on fields, and interface fields such as mac_address on any interface.
  Names in searches are aliases; only this scenario's items are returned.

  Background:
    Given a distro "ubuntu"
    And a profile "base" for distro "ubuntu"
    And a profile "db" for distro "ubuntu"
    And a system "web-01" with profile "base" and interfaces:
      | interface | mac_address |
      | eth0      | {MAC}       |
    And a system "web-02" with profile "base"
    And a system "db-01" with profile "db" with:
      | hostname | db01.example.org |

  Scenario: search systems by a glob on the name
    When I search systems by name "web-*"
    Then the search should return "web-01, web-02"

  Scenario: search systems by MAC address, which is stored and matched in lower case
    When I search systems by mac_address "{mac of web-01}"
    Then the search should return "web-01"
    When I search systems by mac_address "{MAC of web-01}"
    Then the search should return nothing

  Scenario: search systems by profile
    When I search systems by profile "db"
    Then the search should return "db-01"

  Scenario: a search without a match returns nothing
    When I search systems by hostname "nobody.example.org"
    Then the search should return nothing

  Scenario: every criterion must match
    When I search systems matching:
      | name     | *-01             |
      | hostname | db01.example.org |
    Then the search should return "db-01"
