@ironic
Feature: Node factories and labs
  The factory book (factories/ironic.toml) gives nodes their driver and properties, gives
  ports a node and a MAC no other scenario or run uses, and takes nodes to the state a
  scenario needs, waiting until they are there.

  Scenario: a node with all defaults
    Given a node "n1"
    Then the node "n1" should have:
      | driver               | fake-hardware |
      | properties.cpus      | 4             |
      | properties.memory_mb | 8192          |
      | provision_state      | enroll        |

  Scenario: a port with all defaults gets a node and an allocated MAC
    Given a port "p1"
    Then the node "p1-node" should exist
    And the port "p1" should have:
      | node    | p1-node     |
      | address | {mac of p1} |

  Scenario: a variant of the node
    Given a node "n1" from "big-node"
    Then the node "n1" should have properties.cpus "64"
    And the node "n1" should have properties.local_gb "100"

  Scenario: a variant's hook takes the node to available
    Given a node "n1" from "available-node"
    Then the node "n1" should have provision_state "available"

  Scenario: a variant of a variant, with a hook of its own
    Given a node "n1" from "manageable-big-node"
    Then the node "n1" should have:
      | provision_state | manageable |
      | properties.cpus | 64         |

  Scenario: a sequence of nodes in a state
    Given 3 nodes "n{n}" in state "available"
    Then there should be 3 nodes
    And the node "n3" should have provision_state "available"

  Scenario: a sequence of ports, each with its own node and MAC
    Given 5 ports "p{n}"
    Then there should be 5 ports
    And there should be 5 nodes
    And the port "p5" should have address "{mac of p5}"

  Scenario: the step's table wins over the factory
    Given a node "n1" with:
      | properties.cpus | 2 |
    Then the node "n1" should have properties.cpus "2"
    And the node "n1" should have properties.memory_mb "8192"

  Scenario: the ironic-pool lab
    Given the lab "ironic-pool"
    Then there should be 10 nodes
    And there should be 10 ports
    And the node "n7" should have provision_state "available"
    And the port "p3" should have node "n3"
