@ironic @serial
Feature: Portgroups
  A portgroup bonds ports of one node. A port joins it by naming it; a port of another node
  cannot; a portgroup holding ports is not deleted, and a node takes its portgroups with it.
  Serial: a real Ironic on sqlite answers concurrent writes of these with a 500 now and then
  ("database is locked", a failed autoflush), so these run alone.

  Scenario: a portgroup on a node, with a port in it
    Given a node "n1"
    And a portgroup "bond0" on node "n1" with:
      | mode    | 802.3ad |
      | address | {mac}   |
    And a port "p1" on node "n1" in portgroup "bond0"
    Then the portgroup "bond0" should have:
      | node                       | n1              |
      | mode                       | 802.3ad         |
      | address                    | {mac of bond0}  |
      | standalone_ports_supported | true            |
    And the port "p1" should have portgroup "bond0"

  Scenario: a port cannot join a portgroup of another node
    Given a node "n1"
    And a node "n2"
    And a portgroup "bond0" on node "n2"
    When I try to create a port "p1" on node "n1" in portgroup "bond0"
    Then it should fail with a message containing "Port can not be added to a portgroup belonging to a different node."

  Scenario: a portgroup holding ports is not deleted; emptied, it is
    Given a node "n1"
    And a portgroup "bond0" on node "n1"
    And a port "p1" on node "n1" in portgroup "bond0"
    When I try to delete the portgroup "bond0"
    Then it should fail with a message containing "contains ports."
    When I remove portgroup from the port "p1"
    And I delete the portgroup "bond0"
    Then the portgroup "bond0" should not exist
    And the port "p1" should exist

  Scenario: a MAC another portgroup has is refused
    Given a node "n1"
    And a portgroup "bond0" on node "n1" with:
      | address | {mac} |
    When I try to create a portgroup "bond1" on node "n1" with:
      | address | {MAC of bond0} |
    Then it should fail with a message containing "A portgroup with MAC address {mac of bond0} already exists."

  Scenario: a portgroup's mode cannot be removed
    Given a node "n1"
    And a portgroup "bond0" on node "n1"
    Then the portgroup "bond0" should have mode "active-backup"
    When I try to remove mode from the portgroup "bond0"
    Then it should fail with a message containing "'mode' is a mandatory attribute and can not be removed"

  Scenario: a node's portgroups and ports go with it
    Given a node "n1"
    And a portgroup "bond0" on node "n1"
    And a port "p1" on node "n1" in portgroup "bond0"
    When I delete the node "n1"
    Then the portgroup "bond0" should not exist
    And the port "p1" should not exist
