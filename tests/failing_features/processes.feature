Feature: Processes that fail their scenario
  Every scenario here fails on purpose; the harness checks the messages, that the failed
  scenarios' logs were kept, and that no process they started is left.

  Scenario: an exit no step waited for fails the scenario at its next step
    When I start the process "short-lived" running "sh -c 'echo about to give up >&2; exit 3'"
    And I start the process "pause" running "sleep 0.5"
    Then the process "pause" should exit with code 0 within 10 seconds
    And the log of "pause" should not contain "anything"

  Scenario: a process still running at the end is killed and fails the scenario
    When I start the process "forgotten" running "sh -c 'echo still here; sleep 300 & wait'"
    Then the log of "forgotten" should contain "still here"

  Scenario: an exit code other than the expected one
    When I start the process "wrong-code" running "sh -c 'echo something broke; exit 7'"
    Then the process "wrong-code" should exit with code 0 within 10 seconds

  Scenario: a process that does not exit in time
    When I start the process "slow" running "sh -c 'echo working on it; sleep 300'"
    Then the process "slow" should exit with code 0 within 0.5 seconds

  Scenario: a program that cannot be started
    When I start the process "no-such-program" running "/nonexistent/program --flag"
