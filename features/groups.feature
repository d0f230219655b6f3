@cobbler
Feature: Several systems at once, and counting them
  One step acts on, or checks, every item a list names ("web-01, web-02"), in order; a failure
  says which item of how many. Searches and the scenario's items are counted in the feature's
  words, singular or plural.

  Scenario: modify, power and delete several systems in one step each
    Given 3 systems "web-0{n}"
    When I modify the systems "web-01, web-02" with:
      | comment | rack one |
    Then the system "web-01" should have comment "rack one"
    And the system "web-02" should have comment "rack one"
    And the system "web-03" should have comment ""
    When I delete the systems "web-01, web-03"
    Then the systems "web-01, web-03" should not exist
    And the system "web-02" should exist

  Scenario: count what a search returns and what the scenario has
    Given 11 systems "web-{n}"
    And a system "db-1"
    When I search systems by name "web-*"
    Then the search should return 11 systems
    And there should be 11 systems named "web-*"
    And there should be 1 system named "db-*"
    And there should be 12 systems

  Scenario: a search of one kind is not counted as another
    Given a system "web-1"
    When I search systems by name "web-*"
    Then the search should return 1 system
