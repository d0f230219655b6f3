@ironic
Feature: Retiring nodes
  A retired node stays until its instance is gone, but it is not provided again: Ironic
  refuses `provide` while it is retired.

  Scenario: a retired node keeps its reason and is not provided
    Given a node "n1"
    When I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds
    When I retire the node "n1" because "fan failure"
    Then the node "n1" should have:
      | retired        | true        |
      | retired_reason | fan failure |
    When I try to provide the node "n1"
    Then it should fail with a message containing "The providing operation can't be performed on node"
    And it should fail with a message containing "because it is retired."

  Scenario: an unretired node is provided again
    Given a node "n1"
    When I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds
    When I retire the node "n1"
    And I unretire the node "n1"
    And I provide the node "n1"
    Then the node "n1" should reach "available" within 30 seconds

  Scenario: an available node is not retired; managed first, it is
    Given a node "n1"
    When I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds
    When I provide the node "n1"
    Then the node "n1" should reach "available" within 30 seconds
    When I try to retire the node "n1"
    Then it should fail with a message containing "can not have 'retired' set in provision state 'available'"
    When I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds
    When I retire the node "n1"
    And I try to provide the node "n1"
    Then it should fail with a message containing "because it is retired."

  Scenario: a reason needs the node retired, and unretiring forgets it
    Given a node "n1"
    When I try to modify the node "n1" with:
      | retired_reason | fan failure |
    Then it should fail with a message containing "The retired_reason field can only be set when retired is True"
    When I retire the node "n1" because "fan failure"
    And I unretire the node "n1"
    Then the node "n1" should have retired_reason ""
