@ironic
Feature: Several nodes at once
  One step takes every node a list names through the same provision action, and one step waits
  for them all (the time limit is for all of them together).

  Scenario: manage, provide and deploy five nodes, one step each
    Given 5 nodes "n{n}"
    When I manage the nodes "n1, n2, n3, n4, n5"
    Then the nodes "n1, n2, n3, n4, n5" should reach "manageable" within 60 seconds
    When I provide the nodes "n1, n2, n3, n4, n5"
    Then the nodes "n1, n2, n3, n4, n5" should reach "available" within 60 seconds
    When I deploy the nodes "n1, n2"
    Then the nodes "n1, n2" should reach "active" within 60 seconds
    And the nodes "n3, n4, n5" should reach "available" within 5 seconds
    And there should be 5 nodes named "n*"

  Scenario: a single node in a state, said in the singular
    Given a node "n1" in state "manageable"
    Then the node "n1" should reach "manageable" within 5 seconds
