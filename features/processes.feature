Feature: Processes a scenario starts
  Each process runs in a process group of its own, with its stdout and stderr in a log file of
  the scenario's directory (removed when the scenario passes, kept when it fails). An exit no
  step waited for fails the scenario at its next step; a process still running at the end is
  killed and fails it. tests/failing_features/processes.feature shows those failures.

  Scenario: stdout and stderr are kept in the process's log
    When I start the process "greeter" running "sh -c 'echo hello from stdout; echo trouble on stderr >&2'"
    Then the process "greeter" should exit with code 0 within 10 seconds
    And the log of "greeter" should contain "hello from stdout"
    And the log of "greeter" should contain "trouble on stderr"
    And the log of "greeter" should not contain "goodbye"

  Scenario: a non-zero exit code can be what is expected
    When I start the process "failing" running "sh -c 'echo giving up >&2; exit 3'"
    Then the process "failing" should exit with code 3 within 10 seconds
    And the process "failing" should not be running

  Scenario: the command line is split as a shell would, without expanding anything
    When I start the process "quoted" running "printf '%s|' 'two words' \"a \\\"quoted\\\" one\" $HOME"
    Then the process "quoted" should exit with code 0 within 10 seconds
    And the log of "quoted" should contain "two words|a \"quoted\" one|$HOME|"

  Scenario: environment variables and the working directory
    When I start the process "env" running "sh -c 'echo greeting=$GREETING; pwd'" with:
      | env.GREETING | hello there |
      | directory    | /tmp        |
    Then the process "env" should exit with code 0 within 10 seconds
    And the log of "env" should contain "greeting=hello there"
    And the log of "env" should contain "/tmp"

  Scenario: processes named after their program are made unique
    When I start the command "echo first"
    Then the process "echo" should exit with code 0 within 10 seconds
    When I start the command "echo second"
    Then the process "echo-1" should exit with code 0 within 10 seconds
    And the log of "echo" should contain "first"
    And the log of "echo-1" should contain "second"

  Scenario: several processes start at once
    When I start these processes at once:
      | name  | command                          |
      | one   | sh -c 'sleep 0.3; echo one done' |
      | two   | sh -c 'sleep 0.2; echo two done' |
      | three | sh -c 'echo three done'          |
    Then the processes "one, two, three" should each exit with code 0 within 10 seconds
    And the log of "one" should contain "one done"
    And the log of "three" should contain "three done"

  Scenario: killing a process ends its whole process group
    When I start the process "family" running "sh -c 'sleep 300 & sleep 300 & echo children started; wait'"
    Then the log of "family" should contain "children started"
    And the process "family" should be running
    When I kill the process "family"
    Then the process "family" should not be running

  Scenario: a process that ignores SIGTERM gets SIGKILL after the grace period
    When I start the process "stubborn" running "sh -c 'trap \"\" TERM; echo trap set; while :; do sleep 0.1; done'"
    Then the log of "stubborn" should contain "trap set"
    When I kill the process "stubborn"
    Then the process "stubborn" should not be running

  Scenario: a background process may still run when the scenario ends
    Given the background process "ticker" running "sh -c 'while :; do echo tick; sleep 0.2; done'"
    Then the log of "ticker" should contain "tick"
    And the process "ticker" should be running
