Feature: a team's own step beside the built-in ones

  Scenario: an item made by a built-in step, checked by the team's step
    Given a distro "ubuntu"
    When I create a profile "base" with:
      | attribute | value  |
      | distro    | ubuntu |
    Then the profile "base" should exist
    And the real name of the distro "ubuntu" should carry the run's marker
    And the real name of the profile "base" should carry the run's marker
