# A ragged table: the second row has one cell.
Feature: Ragged
  Scenario: a table whose rows differ in width
    Given a distro "ubuntu" with:
      | arch  | x86_64 |
      | breed |
