@ironic @bmc
Feature: Power of nodes through an emulated Redfish BMC
  A node keeps the fake-hardware driver with the redfish power and management interfaces, its
  driver_info pointing at an emulated Redfish BMC (sushy-tools on 127.0.0.1 over TLS). Ironic
  answers a power action at once and settles later; "the BMC of … should report" asks the
  emulator itself. The fake Ironic talks Redfish to the emulator as the real one does. A real
  Ironic needs the redfish interfaces enabled (scripts/real-ironic.sh with
  PROVSPEC_IRONIC_REDFISH=1).

  Background:
    Given a Redfish BMC "bmc1"
    And a node "n1"
    And the node "n1" is powered by the BMC "bmc1"

  Scenario: powering on a node turns its BMC's system on
    When I power on the node "n1"
    Then the node "n1" should be powered on
    And the BMC of "n1" should report power "On"

  Scenario: powering off
    When I power on the node "n1"
    Then the node "n1" should be powered on
    When I power off the node "n1"
    Then the node "n1" should be powered off
    And the BMC of "n1" should report power "Off"

  Scenario: a reboot ends powered on, through the BMC
    When I reboot the node "n1"
    Then the node "n1" should be powered on
    And the BMC of "n1" should report power "On"
    And the log of "bmc1" should contain "ComputerSystem.Reset"

  Scenario: a wrong BMC password shows in the node's last error
    Given the node "n1" is powered by the BMC "bmc1" with a wrong password
    When I power on the node "n1"
    Then the node "n1" should have last_error containing "returned code 401" within 30 seconds
    And the node "n1" should have last_error containing "Failed to change power state to 'power on': Redfish exception occurred."
    And the BMC of "n1" should report power "Off"

  Scenario: each BMC powers only its own node
    Given a Redfish BMC "bmc2"
    And a node "n2"
    And the node "n2" is powered by the BMC "bmc2"
    When I power on the node "n2"
    Then the node "n2" should be powered on
    And the BMC of "n2" should report power "On"
    And the BMC of "n1" should report power "Off"

  Scenario: a BMC that takes its time: the checks wait for it
    Given a Redfish BMC "slow-bmc" with a power delay of 2 seconds
    And a node "n2"
    And the node "n2" is powered by the BMC "slow-bmc"
    When I power on the node "n2"
    Then the BMC of "n2" should report power "On"

  Scenario: after a wrong password, the right one powers the node and clears the error
    Given the node "n1" is powered by the BMC "bmc1" with a wrong password
    When I power on the node "n1"
    Then the node "n1" should have last_error containing "returned code 401" within 30 seconds
    Given the node "n1" is powered by the BMC "bmc1"
    When I power on the node "n1"
    Then the node "n1" should be powered on
    And the node "n1" should have last_error ""
    And the BMC of "n1" should report power "On"

  Scenario: the node keeps the BMC's address and hides its password
    Then the node "n1" should have power_interface "redfish"
    And the node "n1" should have management_interface "redfish"
    And the node "n1" should have driver_info.redfish_username "admin"
    And the node "n1" should have driver_info.redfish_password "******"
    And the node "n1" should have driver_info.redfish_address containing "https://127.0.0.1:"
