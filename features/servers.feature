Feature: Servers a scenario starts
  Servers come from servers/servers.toml: a command with {port}, files generated for it, and a
  readiness check. A port taken by the time the server binds it is replaced by another (3 tries
  in all); a restart keeps the port, and a session to the server logs in again when it must.

  Scenario: a fake Cobbler started for the scenario is ready when it says it listens
    When I start the server "fake-cobbler" as "c1"
    Then the log of "c1" should contain "listening on http://127.0.0.1:"
    And the server "c1" should be running
    And the server "c1" should have needed 1 start

  Scenario: the scenario can be pointed at a server it started
    When I start the server "fake-cobbler" as "c1"
    And I point the scenario at the server "c1"
    And I create a distro "ubuntu"
    Then the distro "ubuntu" should exist
    And the server should have received 1 call to "new_distro"

  Scenario: a fake Ironic is ready when it answers HTTP 200
    When I start the server "fake-ironic" as "i1"
    And I point the scenario at the server "i1"
    And I create a node "n1"
    Then the node "n1" should exist

  Scenario: a server over generated files is ready when it accepts a connection
    When I start the server "static-files"
    Then the server "static-files" should be running
    And the server "static-files" should have needed 1 start

  Scenario: a port taken by the time the server binds it is retried with another
    Given the next free port is already taken
    When I start the server "fake-cobbler" as "c1"
    Then the server "c1" should have needed 2 starts
    And the server "c1" should be running
    And the log of "c1" should contain "listening on"

  Scenario: a restart mid-scenario keeps the port, and the session logs in again
    When I start the server "fake-cobbler" as "c1"
    And I point the scenario at the server "c1"
    And I create a distro "before-restart"
    And I restart the server "c1"
    And I create a distro "after-restart"
    Then the distro "after-restart" should exist
    And the log should contain "token refused; logging in again"

  Scenario: a fake Ironic restarted mid-scenario answers on the same port
    When I start the server "fake-ironic" as "i1"
    And I point the scenario at the server "i1"
    And I restart the server "i1"
    And I create a node "n1"
    Then the node "n1" should exist

  Scenario: a killed server is not an unexpected exit
    When I start the server "fake-cobbler" as "c1"
    And I kill the server "c1"
    Then the server "c1" should not be running
