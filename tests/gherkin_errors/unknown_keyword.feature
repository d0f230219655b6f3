Feature: A line that is not Gherkin
  Scenario: a step
    Given a distro "ubuntu"
  Bogus: not a keyword
