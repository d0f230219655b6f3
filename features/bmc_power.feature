@cobbler @bmc
Feature: Power through an emulated Redfish BMC
  Each BMC is sushy-tools' Redfish emulator on 127.0.0.1 over TLS (servers/servers.toml,
  "redfish-bmc"), managing one system. Cobbler drives it through fence_redfish (power_type
  redfish); the fake Cobbler talks Redfish to it itself. "the BMC of … should report" asks the
  emulator, not Cobbler. Needs the BMC lab: scripts/bmc-lab.sh install, then PROVSPEC_BMC_VENV.

  Background:
    Given a Redfish BMC "bmc1"
    And a system "web-01"
    And the system "web-01" is powered by the BMC "bmc1"

  Scenario: a new BMC's system is off
    Then the BMC of "web-01" should report power "Off"
    And the system "web-01" should be powered off

  Scenario: the BMC's password is set on the system but never shown
    Then the system "web-01" should have power_type "redfish"
    And the system "web-01" should have power_user "admin"
    And the system "web-01" should have power_options containing "systems_uri=/redfish/v1/Systems/"
    And the server should have received a call to "modify_system" with:
      | 1 | power_pass |
      | 2 | [redacted] |

  Scenario: powering on a system turns its BMC's system on
    When I power on the system "web-01"
    Then the BMC of "web-01" should report power "On"
    And the system "web-01" should be powered on

  Scenario: powering off
    When I power on the system "web-01"
    And I power off the system "web-01"
    Then the BMC of "web-01" should report power "Off"
    And the system "web-01" should be powered off

  Scenario: a reboot goes through off and on
    When I power on the system "web-01"
    And I reboot the system "web-01"
    Then the BMC of "web-01" should report power "On"
    And the log of "bmc1" should contain "ComputerSystem.Reset"

  Scenario: a wrong BMC password gives the server's own fault
    Given the system "web-01" is powered by the BMC "bmc1" with a wrong password
    When I try to power on the system "web-01"
    Then it should fail with a message containing "command failed (rc=1), please validate the physical setup and cobbler config"
    And the BMC of "web-01" should report power "Off"

  Scenario: a BMC that does not answer gives the same fault
    When I kill the server "bmc1"
    And I try to power on the system "web-01"
    Then it should fail with a message containing "command failed (rc=1), please validate the physical setup and cobbler config"

  Scenario: each BMC powers only its own system
    Given a Redfish BMC "bmc2"
    And a system "web-02"
    And the system "web-02" is powered by the BMC "bmc2"
    When I power on the system "web-02"
    Then the BMC of "web-02" should report power "On"
    And the BMC of "web-01" should report power "Off"

  Scenario: a BMC that takes its time: the checks wait for it
    Given a Redfish BMC "slow-bmc" with a power delay of 2 seconds
    And a system "web-02"
    And the system "web-02" is powered by the BMC "slow-bmc"
    When I power on the system "web-02"
    Then the BMC of "web-02" should report power "On"
    And the system "web-02" should be powered on
