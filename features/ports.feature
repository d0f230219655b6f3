@ironic
Feature: Ports
  A port is a node's network interface, known by its MAC address. MACs are unique across
  the whole server, so the scenarios use allocated ones ({mac}; {MAC} is one in upper case)
  and read them back ({mac of p1}).

  Scenario: a port on a node, its MAC stored in lower case
    Given a node "n1"
    And a port "p1" on node "n1" with address "{MAC}"
    Then the port "p1" should have:
      | address     | {mac of p1}       |
      | node        | n1                |
      | pxe_enabled | true              |

  Scenario: a MAC another port has is refused, whatever its case
    Given a node "n1"
    And a port "p1" on node "n1" with address "{mac}"
    When I try to create a port "p2" on node "n1" with address "{MAC of p1}"
    Then it should fail with a message containing "A port with MAC address {mac of p1} already exists."

  Scenario: an address that is not a MAC is refused
    Given a node "n1"
    When I try to create a port "p1" on node "n1" with address "not-a-mac"
    Then it should fail with a message containing "Expected valid MAC address for address: not-a-mac"

  Scenario: a port needs an existing node
    Given no node "ghost" exists
    When I try to create a port "p1" on node "ghost" with address "{mac}"
    Then it should fail with a message containing "Node ghost could not be found."

  Scenario: changing a port's MAC to another port's is refused
    Given a node "n1"
    And a port "p1" on node "n1" with address "{mac}"
    And a port "p2" on node "n1" with address "{mac}"
    When I try to modify the port "p2" with:
      | address | {mac of p1} |
    Then it should fail with a message containing "A port with MAC address {mac of p1} already exists."

  Scenario: a node's ports are deleted with it
    Given a node "n1"
    And a port "p1" on node "n1" with address "{mac}"
    When I delete the node "n1"
    Then the port "p1" should not exist

  Scenario: search ports by address and by node
    Given a node "n1"
    And a node "n2"
    And a port "p1" on node "n1" with address "{mac}"
    And a port "p2" on node "n2" with address "{mac}"
    When I search ports by address "{mac of p1}"
    Then the search should return "p1"
    When I search ports by node "n2"
    Then the search should return "p2"
