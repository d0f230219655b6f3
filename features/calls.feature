@cobbler
Feature: Calls and faults
  Every call a scenario makes is in its journal: what was called, with which arguments, and
  what came back. Faults injected in front of the server (any server: the embedded fake,
  fake-cobbler, a real cobblerd) fail calls the way a failing server would; cleanup never
  meets them.

  Scenario: creating a distro sends new, modify and save, in that order
    Given a distro "ubuntu"
    Then the server should have received these calls in order:
      | call          |
      | new_distro    |
      | modify_distro |
      | save_distro   |
    And the server should have received 1 call to "save_distro"

  Scenario: a call's arguments are in the journal, with aliases and without the token
    Given a distro "ubuntu"
    When I modify the distro "ubuntu" with:
      | comment | nightly build |
    Then the server should have received a call to "modify_distro" with:
      | 1 | comment       |
      | 2 | nightly build |
      | 3 | [token]       |

  Scenario: reading changes nothing on the server
    Given a distro "ubuntu"
    Then the distro "ubuntu" should exist
    And the server should have received no call to "remove_distro"
    And the server should have received 1 call to "save_distro"

  Scenario: a refused save fails the step with the server's fault
    Given the next call to "save_distro" fails with fault "disk full"
    When I try to create a distro "ubuntu"
    Then it should fail with a message containing "save_distro: fault 1: <class 'cobbler.cexceptions.CX'>:'disk full'"
    And the distro "ubuntu" should not exist

  Scenario: only the next calls fail; the ones after them go through
    Given the next 2 calls fail with fault "busy"
    When I try to create a distro "ubuntu"
    Then it should fail with a message containing "'busy'"
    When I try to create a distro "ubuntu"
    Then it should fail with a message containing "'busy'"
    When I create a distro "debian"
    Then the distro "debian" should exist

  Scenario: an HTTP 503 from the server fails the call with the status
    Given the server answers the next call to "save_distro" with HTTP 503
    When I try to create a distro "ubuntu"
    Then it should fail with a message containing "answered HTTP 503"

  Scenario: a dropped connection fails the call and says so
    Given the server drops the connection on the next call to "new_distro"
    When I try to create a distro "ubuntu"
    Then it should fail with a message containing "connection closed before message completed"

  Scenario: a malformed reply is not taken for a value
    Given the next reply to "save_distro" is malformed
    When I try to create a distro "ubuntu"
    Then it should fail with a message containing "sent a response that is not XML-RPC"

  Scenario: a truncated reply is not taken for a value
    Given the next reply to "new_distro" is truncated
    When I try to create a distro "ubuntu"
    Then it should fail with a message containing "sent a response that is not XML-RPC"

  Scenario: an HTML error page from a proxy fails the call with its status
    Given the next reply to "save_distro" is an HTML error page
    When I try to create a distro "ubuntu"
    Then it should fail with a message containing "answered HTTP 502; the body starts: \"<html><head><title>502 Bad Gateway"

  Scenario: latency slows every call, and the steps still pass
    Given every call takes 50 ms give or take 20 ms
    And a distro "ubuntu"
    Then the distro "ubuntu" should exist
    And the server should have received 1 call to "save_distro"

  Scenario: an expired token is recovered, and the log says so
    Given a distro "ubuntu"
    When my session's token expires
    And I create a profile "base" for distro "ubuntu"
    Then the log should contain "token refused; logging in again"
    And my session should have logged in 2 times

  Scenario: cleanup never meets an injected fault
    Given a distro "ubuntu"
    And a profile "base" for distro "ubuntu"
    And every call fails with fault "the server is on fire"
    When I try to create a distro "debian"
    Then it should fail with a message containing "the server is on fire"

  @call-timeout(1)
  Scenario: a call slower than the call timeout fails with a timeout, and nothing hangs
    Given the next call to "save_distro" is slower than the call timeout
    When I try to create a distro "ubuntu"
    Then it should fail with a message containing "operation timed out (timed out)"

  Scenario: the journal shows a login without its password
    Given a distro "ubuntu"
    Then the server should have received a call to "login" with:
      | 0 | cobbler    |
      | 1 | [redacted] |
    And my session should have logged in 1 time

  Scenario: the next call, whichever it is, answers HTTP 503
    Given the server answers the next call with HTTP 503
    When I try to create a distro "ubuntu"
    Then it should fail with a message containing "answered HTTP 503"

  Scenario: the next reply, whichever call it answers, is an HTML error page
    Given the next reply is an HTML error page
    When I try to create a distro "ubuntu"
    Then it should fail with a message containing "502"
