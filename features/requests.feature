@ironic
Feature: Requests and faults
  Every request a scenario sends is in its journal: verb and path (with aliases), the JSON body,
  and what came back. Faults injected in front of the server (any server: the embedded fake,
  fake-ironic, a real Ironic) fail requests the way a failing server, or a proxy in front of
  it, would; cleanup never meets them.

  Scenario: enrolling a node posts it, with its driver, and reads it back by name
    Given a node "n1"
    Then the server should have received 1 call to "POST /v1/nodes"
    And the server should have received a call to "POST /v1/nodes" with:
      | name   | n1            |
      | driver | fake-hardware |

  Scenario: a provision action is one PUT on the node's provision state
    Given a node "n1"
    When I manage the node "n1"
    Then the server should have received a call to "PUT /v1/nodes/n1/states/provision" with:
      | target | manage |
    And the node "n1" should reach "manageable" within 30 seconds

  Scenario: modifying a node is one PATCH, and no node is deleted
    Given a node "n1"
    When I modify the node "n1" with:
      | description | rack 4 |
    Then the server should have received these calls in order:
      | call                |
      | POST /v1/nodes      |
      | PATCH /v1/nodes/n1  |
    And the server should have received no call to "DELETE /v1/nodes/n1"

  Scenario: a refused request fails the step with the server's message
    Given the next call to "POST /v1/nodes" fails with fault "the conductor is busy"
    When I try to create a node "n1"
    Then it should fail with a message containing "the conductor is busy"
    And the node "n1" should not exist

  Scenario: an HTTP 503 fails the request with its status
    Given the server answers the next call to "POST /v1/nodes" with HTTP 503
    When I try to create a node "n1"
    Then it should fail with a message containing "503"

  Scenario: a dropped connection fails the request and says so
    Given the server drops the connection on the next call to "PATCH /v1/nodes/n1"
    And a node "n1"
    When I try to modify the node "n1" with:
      | description | rack 4 |
    Then it should fail with a message containing "connection closed before message completed"

  Scenario: a malformed reply is not taken for a node
    Given the next reply to "POST /v1/nodes" is malformed
    When I try to create a node "n1"
    Then it should fail with a message containing "not JSON"

  Scenario: a truncated reply is not taken for a node
    Given the next reply to "POST /v1/nodes" is truncated
    When I try to create a node "n1"
    Then it should fail with a message containing "not JSON"

  Scenario: an HTML error page from a proxy fails the request with its status
    Given the next reply to "POST /v1/nodes" is an HTML error page
    When I try to create a node "n1"
    Then it should fail with a message containing "502"

  Scenario: latency slows every request, and the steps still pass
    Given every call takes 30 ms
    And a node "n1"
    Then the node "n1" should exist

  @call-timeout(1)
  Scenario: a request slower than the call timeout fails with a timeout, and nothing hangs
    Given the next call to "POST /v1/nodes" is slower than the call timeout
    When I try to create a node "n1"
    Then it should fail with a message containing "(timed out)"

  Scenario: cleanup never meets an injected fault
    Given a node "n1"
    And a port "p1" on node "n1" with address "{mac}"
    And every call fails with fault "the conductor is down"
    When I try to create a node "n2"
    Then it should fail with a message containing "the conductor is down"

  Scenario: the next call, whichever it is, answers HTTP 503
    Given the server answers the next call with HTTP 503
    When I try to create a node "n1"
    Then it should fail with a message containing "503"

  Scenario: the next reply, whichever call it answers, is malformed
    Given the next reply is malformed
    When I try to create a node "n1"
    Then it should fail with a message containing "not JSON"

  Scenario: a path names the calls below it, in checks as in faults
    Given a node "n1"
    When I modify the node "n1" with:
      | description | rack 4 |
    Then the server should have received 1 call to "PATCH /v1/nodes"
    And the server should have received 1 call to "PATCH /v1/nodes/n1"
