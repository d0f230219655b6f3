Feature: A real server started for the scenario
  servers/servers.toml defines "real-ironic" and "real-cobbler" through the project's own
  scripts/real-ironic.sh and scripts/real-cobbler.sh: their start returns once the server
  answers, their stop ends what they started. A real Ironic gets a fresh database at each start;
  the real cobblerd is one per machine, so one already running is used as it is. Each needs its
  virtualenv (IRONIC_VENV, COBBLER_VENV, printed by the scripts' start); skipped without it.

  @timeout(240) @ironic-venv
  Scenario: a real Ironic restarted mid-scenario answers again on the same port
    When I start the server "real-ironic" as "ir"
    And I point the scenario at the server "ir"
    And I create a node "n1"
    Then the node "n1" should exist
    When I restart the server "ir"
    And I create a node "n2"
    Then the node "n2" should exist
    And the node "n1" should not exist

  @timeout(240) @cobbler-venv
  Scenario: the machine's real cobblerd is started (or found running) and spoken to
    When I start the server "real-cobbler" as "cb"
    And I point the scenario at the server "cb"
    And I create a distro "d1"
    Then the distro "d1" should exist
    When I create a repo "r1" with:
      | breed | yum |
    Then the repo "r1" should have breed "yum"
