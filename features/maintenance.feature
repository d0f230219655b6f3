@ironic
Feature: Maintenance and power of nodes
  Maintenance takes a node out of the scheduler's hands; power actions answer at once and
  the power state settles later.

  Scenario: put a node in maintenance with a reason, and take it out
    Given a node "n1"
    When I put the node "n1" in maintenance because "disk swap"
    Then the node "n1" should have:
      | maintenance        | true      |
      | maintenance_reason | disk swap |
    When I take the node "n1" out of maintenance
    Then the node "n1" should have:
      | maintenance        | false |
      | maintenance_reason |       |

  Scenario: maintenance by patching the field
    Given a node "n1"
    When I modify the node "n1" with:
      | maintenance | true |
    Then the node "n1" should have maintenance "true"

  Scenario: a fresh node has no power state
    Given a node "n1"
    Then the node "n1" should have power_state ""

  Scenario: power a node on and off
    Given a node "n1"
    When I power on the node "n1"
    Then the node "n1" should be powered on
    When I power off the node "n1"
    Then the node "n1" should be powered off

  Scenario: a rebooted node ends powered on
    Given a node "n1"
    When I power off the node "n1"
    Then the node "n1" should be powered off
    When I reboot the node "n1"
    Then the node "n1" should be powered on

  Scenario: a power action clears the last error of a failed clean
    Given a node "n1"
    When I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds
    When I clean the node "n1" with steps:
      | interface | step                 |
      | raid      | delete_configuration |
    Then the node "n1" should reach "clean failed" within 30 seconds
    When I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds
    And the node "n1" should have last_error containing "node does not support this clean step"
    When I power on the node "n1"
    Then the node "n1" should be powered on
    And the node "n1" should have last_error ""

  Scenario: power actions work in maintenance
    Given a node "n1"
    When I put the node "n1" in maintenance
    And I power on the node "n1"
    Then the node "n1" should be powered on
