@ironic
Feature: Provisioning
  A node moves through provision states: enroll, manageable, available, active. Every action
  answers at once; the state settles later, so the scenarios wait for it.

  Scenario: manage an enrolled node
    Given a node "n1"
    When I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds

  Scenario: provide a managed node
    Given a node "n1"
    When I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds
    When I provide the node "n1"
    Then the node "n1" should reach "available" within 30 seconds

  Scenario: deploy and undeploy a node
    Given a node "n1"
    When I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds
    When I provide the node "n1"
    Then the node "n1" should reach "available" within 30 seconds
    When I deploy the node "n1"
    Then the node "n1" should reach "active" within 30 seconds
    When I undeploy the node "n1"
    Then the node "n1" should reach "available" within 30 seconds

  Scenario: an enrolled node cannot be provided
    Given a node "n1"
    When I try to provide the node "n1"
    Then it should fail with a message containing "The requested action \"provide\" can not be performed on node"
    And it should fail with a message containing "while it is in state \"enroll\"."

  Scenario: an enrolled node cannot be deployed
    Given a node "n1"
    When I try to deploy the node "n1"
    Then it should fail with a message containing "The requested action \"active\" can not be performed on node"

  Scenario: a node in maintenance is not deployed
    Given a node "n1"
    When I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds
    When I provide the node "n1"
    Then the node "n1" should reach "available" within 30 seconds
    When I put the node "n1" in maintenance
    And I try to deploy the node "n1"
    Then it should fail with a message containing "because it's in maintenance mode"

  Scenario: a clean step the driver does not support fails the clean
    Given a node "n1"
    When I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds
    When I clean the node "n1" with steps:
      | interface | step                 |
      | raid      | delete_configuration |
    Then the node "n1" should reach "clean failed" within 30 seconds
    And the node "n1" should have last_error containing "node does not support this clean step"

  Scenario: a clean step the fake BIOS interface supports succeeds
    Given a node "n1"
    When I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds
    When I clean the node "n1" with steps:
      | interface | step          |
      | bios      | factory_reset |
    Then the node "n1" should reach "manageable" within 30 seconds
    And the node "n1" should have last_error ""

  Scenario: a node that failed to clean is managed again
    Given a node "n1"
    When I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds
    When I clean the node "n1" with steps:
      | interface | step                 |
      | raid      | delete_configuration |
    Then the node "n1" should reach "clean failed" within 30 seconds
    When I try to provide the node "n1"
    Then it should fail with a message containing "while it is in state \"clean failed\"."
    When I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds

  Scenario: an active node is not deleted
    Given a node "n1"
    When I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds
    When I provide the node "n1"
    Then the node "n1" should reach "available" within 30 seconds
    When I deploy the node "n1"
    Then the node "n1" should reach "active" within 30 seconds
    When I try to delete the node "n1"
    Then it should fail with a message containing "while it is in provision state \"active\""
    And the node "n1" should exist

  Scenario: an active node in maintenance is deleted
    Given a node "n1"
    When I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds
    When I provide the node "n1"
    Then the node "n1" should reach "available" within 30 seconds
    When I deploy the node "n1"
    Then the node "n1" should reach "active" within 30 seconds
    When I put the node "n1" in maintenance
    And I delete the node "n1"
    Then the node "n1" should not exist

  Scenario: inspect a managed node
    Given a node "n1"
    When I manage the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds
    When I inspect the node "n1"
    Then the node "n1" should reach "manageable" within 30 seconds
