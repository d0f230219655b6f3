@ironic-venv
Feature: A real server started for the scenario
  servers/servers.toml defines "real-ironic" through the project's own scripts/real-ironic.sh: its
  start returns once Ironic answers, its stop ends it; each start has a fresh database. Needs the
  Ironic virtualenv (IRONIC_VENV, printed by scripts/real-ironic.sh start); skipped without it.

  @timeout(240)
  Scenario: a real Ironic restarted mid-scenario answers again on the same port
    When I start the server "real-ironic" as "ir"
    And I point the scenario at the server "ir"
    And I create a node "n1"
    Then the node "n1" should exist
    When I restart the server "ir"
    And I create a node "n2"
    Then the node "n2" should exist
    And the node "n1" should not exist
