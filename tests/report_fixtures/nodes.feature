@ironic
Feature: A failure on an Ironic server keeps its evidence
  Skipped on Cobbler backends. CI runs it against the real Ironic with --server-log to prove the
  evidence of a failure there: the nodes as the server held them, the tail of its log.

  Scenario: a search that finds another node shows the difference
    Given a node "n1"
    And a node "n2"
    When I search nodes by name "n1"
    Then the search should return "n2"
