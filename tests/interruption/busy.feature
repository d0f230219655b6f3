@cobbler
Feature: A busy run to stop
  tests/http_transport/interruption.rs stops this run mid-scenario (SIGINT, SIGTERM, SIGKILL,
  a step past its time limit, a server that stopped answering) and checks that nothing of it
  is left on fake-cobbler afterwards. Each scenario keeps creating, reading and changing.

  Scenario Outline: build a small tree, look at it, and change it (<n>)
    Given a distro "ubuntu"
    And a profile "base" for distro "ubuntu"
    And a system "web-<n>" with profile "base"
    Then the system "web-<n>" should exist
    When I modify the system "web-<n>" with:
      | comment | round one |
    Then the system "web-<n>" should have comment "round one"
    When I copy the system "web-<n>" to "web-<n>-copy"
    Then the system "web-<n>-copy" should exist

    Examples:
      | n |
      | 01 |
      | 02 |
      | 03 |
      | 04 |
      | 05 |
      | 06 |
      | 07 |
      | 08 |
      | 09 |
      | 10 |
      | 11 |
      | 12 |
      | 13 |
      | 14 |
      | 15 |
      | 16 |
      | 17 |
      | 18 |
      | 19 |
      | 20 |
      | 21 |
      | 22 |
      | 23 |
      | 24 |
      | 25 |
      | 26 |
      | 27 |
      | 28 |
      | 29 |
      | 30 |
      | 31 |
      | 32 |
      | 33 |
      | 34 |
      | 35 |
      | 36 |
      | 37 |
      | 38 |
      | 39 |
      | 40 |
      | 41 |
      | 42 |
      | 43 |
      | 44 |
      | 45 |
      | 46 |
      | 47 |
      | 48 |
      | 49 |
      | 50 |
      | 51 |
      | 52 |
      | 53 |
      | 54 |
      | 55 |
      | 56 |
      | 57 |
      | 58 |
      | 59 |
      | 60 |
      | 61 |
      | 62 |
      | 63 |
      | 64 |
      | 65 |
      | 66 |
      | 67 |
      | 68 |
      | 69 |
      | 70 |
      | 71 |
      | 72 |
      | 73 |
      | 74 |
      | 75 |
      | 76 |
      | 77 |
      | 78 |
      | 79 |
      | 80 |
