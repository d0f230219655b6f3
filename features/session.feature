@cobbler
Feature: Session
  The session logs in on the first call that needs a token, and logs in again, once, when the
  server no longer knows its token.

  Scenario: reading needs no login
    Given no distro "ghost" exists
    Then my session should have logged in 0 times

  Scenario: the first change logs in
    Given a distro "ubuntu"
    Then my session should have logged in 1 time

  Scenario: a wrong password is refused
    When I try to log in as "cobbler" with password "wrong-password"
    Then it should fail with a message containing "login failed (cobbler)"

  Scenario: an unknown user is refused
    When I try to log in as "nobody" with password "x"
    Then it should fail with a message containing "login failed (nobody)"

  Scenario: a token that expires mid-scenario is recovered transparently
    Given a distro "ubuntu"
    When my session's token expires
    And I create a profile "base" for distro "ubuntu"
    Then the profile "base" should exist
    And my session should have logged in 2 times

  @fake
  Scenario: every token forgotten at once (a restart) is recovered transparently
    Given a distro "ubuntu"
    When the server forgets every token
    And I create a profile "base" for distro "ubuntu"
    Then the profile "base" should exist
    And my session should have logged in 2 times
