@ironic @serial
Feature: Allocations
  An allocation asks the conductor for a node: available, out of maintenance, with no
  instance, with a known power state, of the resource class asked for, holding every trait
  asked for (and among the candidates, when it names some). The node picked is reserved for
  it. Each scenario's nodes have a resource class of their own (the node's real name), so no
  other node on a shared server is picked.
  Serial: a real Ironic on sqlite answers concurrent trait and allocation writes with
  "database is locked" (a 500, or an allocation left `allocating`), so these run alone.

  Background:
    Given a node "n1"
    When I modify the node "n1" with:
      | resource_class | {name of node n1} |
    And I add the trait "CUSTOM_GPU" to the node "n1"
    And I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds
    When I provide the node "n1"
    Then the node "n1" should reach "available" within 30 seconds
    When I power off the node "n1"
    Then the node "n1" should be powered off

  Scenario: an allocation reserves a node of its resource class with its traits
    When I allocate "a1" of resource class "{name of node n1}" with traits "CUSTOM_GPU"
    Then the allocation "a1" should reach "active" within 30 seconds
    And the allocation "a1" should have node "n1"
    And the node "n1" should have instance_info.traits "CUSTOM_GPU"

  Scenario: no node has the traits asked for
    When I allocate "a1" of resource class "{name of node n1}" with traits "CUSTOM_NOPE"
    Then the allocation "a1" should have last_error containing "no suitable nodes have the requested traits CUSTOM_NOPE" within 30 seconds
    And the allocation "a1" should have state "error"

  Scenario: a node in maintenance is not picked
    When I put the node "n1" in maintenance
    And I allocate "a1" of resource class "{name of node n1}"
    Then the allocation "a1" should have last_error containing "no available nodes match the resource class" within 30 seconds

  Scenario: an allocation among candidates picks only among them
    Given a node "n2"
    When I allocate "a1" of resource class "{name of node n1}" among "n2"
    Then the allocation "a1" should have last_error containing "none of the requested nodes are available and match the resource class" within 30 seconds
    When I allocate "a2" of resource class "{name of node n1}" among "n2 n1"
    Then the allocation "a2" should reach "active" within 30 seconds
    And the allocation "a2" should have node "n1"

  Scenario: deleting the allocation frees the node
    When I allocate "a1" of resource class "{name of node n1}"
    Then the allocation "a1" should reach "active" within 30 seconds
    When I delete the allocation "a1"
    Then the allocation "a1" should not exist
    And the node "n1" should have instance_uuid ""
    And the node "n1" should have allocation_uuid ""

  Scenario: an allocation needs a resource class
    When I try to create an allocation "a1" with:
      | resource_class | |
    Then it should fail with a message containing "The resource_class field is mandatory when not backfilling"
