Feature: A misspelt keyword
  Scenario: the step keyword is misspelt
    Givn a distro "ubuntu"
