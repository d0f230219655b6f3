@Fake
Feature: A tag provspec reads, written in another case
  Scenario: the tag selects nothing as written
    Given a distro "ubuntu"
