@ironic
Feature: Nodes
  A node is one bare-metal machine that Ironic manages. It is enrolled with a driver
  (fake-hardware by default here), properties describing the hardware, and free-form extra.

  Scenario: enrol a node
    Given a node "n1"
    Then the node "n1" should have:
      | provision_state | enroll        |
      | driver          | fake-hardware |
      | maintenance     | false         |
      | power_state     |               |

  Scenario: enrol a node with properties
    Given a node "n1" with:
      | properties.cpus      | 4      |
      | properties.memory_mb | 8192   |
      | properties.cpu_arch  | x86_64 |
    Then the node "n1" should have properties.cpus "4"
    And the node "n1" should have properties.cpu_arch "x86_64"

  Scenario: modify a node's extra and description
    Given a node "n1"
    When I modify the node "n1" with:
      | extra.rack  | r1       |
      | description | rack one |
    Then the node "n1" should have:
      | extra.rack  | r1       |
      | description | rack one |

  Scenario: remove a field from a node
    Given a node "n1" with:
      | extra.rack | r1 |
      | extra.row  | 7  |
    When I remove extra.rack from the node "n1"
    Then the node "n1" should have no extra.rack
    And the node "n1" should have extra.row "7"

  Scenario: removing a field the node does not have is refused
    Given a node "n1"
    When I try to remove extra.nonexistent from the node "n1"
    Then it should fail with a message containing "can't remove a non-existent object 'nonexistent'"

  Scenario: a read-only field cannot be patched
    Given a node "n1"
    When I try to modify the node "n1" with:
      | uuid | 11111111-2222-3333-4444-555555555555 |
    Then it should fail with a message containing "Cannot patch /uuid. Only the following can be updated: automated_clean"

  Scenario: a name with spaces is refused
    When I try to create a node "bad name"
    Then it should fail with a message containing "Cannot create node with invalid name 'bad name'"

  Scenario: an unknown driver is refused
    When I try to create a node "n1" with:
      | driver | no-such-driver |
    Then it should fail with a message containing "No valid host was found. Reason: No conductor service registered which supports driver no-such-driver"

  Scenario: an interface the driver does not enable is refused
    When I try to create a node "n1" with:
      | deploy_interface | direct |
    Then it should fail with a message containing "Could not find the following interface in the 'ironic.hardware.interfaces.deploy' entrypoint: direct. Valid interfaces are ['fake']."

  Scenario: a second node with the same name is refused
    Given a node "n1"
    When I try to create a node "n1"
    Then it should fail with a message containing "A node with name n1 already exists."

  Scenario: delete a node
    Given a node "n1"
    When I delete the node "n1"
    Then the node "n1" should not exist

  Scenario: search nodes by name and by property
    Given a node "web-1" with:
      | properties.cpus | 8 |
    And a node "web-2" with:
      | properties.cpus | 4 |
    And a node "db-1" with:
      | properties.cpus | 8 |
    When I search nodes by name "web-*"
    Then the search should return "web-1, web-2"
    When I search nodes by properties.cpus "8"
    Then the search should return "db-1, web-1"

  Scenario: a name may hold upper case, digits and . _ ~ -
    Given a node "Rack_01.slot~2-a"
    Then the node "Rack_01.slot~2-a" should exist
    And the node "Rack_01.slot~2-a" should have name "Rack_01.slot~2-a"
