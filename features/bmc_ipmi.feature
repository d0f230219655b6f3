@cobbler @bmc
Feature: Power through an emulated IPMI BMC
  Each BMC is pyghmi's BMC server on a UDP port of 127.0.0.1 (lanplus), managing one system.
  Cobbler drives it through fence_ipmilan with the lab's ipmitool (power_type ipmilan, the port,
  the ipmitool path and power_wait=0 in power_options); the fake Cobbler runs the same fence
  agent the same way. "the BMC of … should report" asks the BMC itself, with ipmitool.

  Background:
    Given an IPMI BMC "ipmi1"
    And a system "db-01"
    And the system "db-01" is powered by the BMC "ipmi1"

  Scenario: powering on through IPMI
    When I power on the system "db-01"
    Then the BMC of "db-01" should report power "On"
    And the system "db-01" should be powered on

  Scenario: powering off through IPMI
    When I power on the system "db-01"
    And I power off the system "db-01"
    Then the BMC of "db-01" should report power "Off"
    And the system "db-01" should be powered off

  Scenario: a reboot through IPMI goes through off and on
    When I power on the system "db-01"
    And I reboot the system "db-01"
    Then the BMC of "db-01" should report power "On"
    And the log of "ipmi1" should contain "power off"
    And the log of "ipmi1" should contain "power on"

  Scenario: a wrong IPMI password gives the server's own fault
    Given the system "db-01" is powered by the BMC "ipmi1" with a wrong password
    When I try to power on the system "db-01"
    Then it should fail with a message containing "command failed (rc=1), please validate the physical setup and cobbler config"
    And the BMC of "db-01" should report power "Off"
