Feature: Mistakes in feature files get clear errors
  Every scenario here fails on purpose; the harness checks the messages.

  Scenario: an attribute the kind does not have
    Given a distro "ubuntu" with:
      | colour | blue |

  Scenario: an alias the scenario never named
    Given a distro "ubuntu"
    And a profile "base" for distro "debian"

  Scenario: a table without a column the step needs
    Given a distro "ubuntu"
    And a profile "base" for distro "ubuntu"
    And a system "web-01" with profile "base" and interfaces:
      | mac_address       |
      | 52:54:00:f0:00:02 |

  Scenario: an attribute table row with three cells
    Given a distro "ubuntu" with:
      | arch | x86_64 | extra |

  Scenario: an interface field provspec does not know
    Given a distro "ubuntu"
    And a profile "base" for distro "ubuntu"
    And a system "web-01" with profile "base" and interfaces:
      | interface | mac               |
      | eth0      | 52:54:00:f0:00:03 |

  Scenario: wrong credentials
    When I try to log in as "cobbler" with password "wrong-password"
    Then it should succeed

  Scenario: checking an outcome when nothing was tried
    Given a distro "ubuntu"
    Then it should fail

  Scenario: a kind the backend does not have
    Given a node "n1"

  Scenario: a misspelt step names the step meant and a snippet
    Given a distro "ubuntu"
    And a profile "base" for distor "ubuntu"

  Scenario: a misspelt kind names the kinds there are
    Given a distor "ubuntu"

  Scenario: a Given that exists only as a When is pointed out
    Given I create a distro "ubuntu"

  Scenario: a table given to a step that takes none
    Given a distro "ubuntu"
    Then the distro "ubuntu" should exist
      | arch | x86_64 |

  @timeout(soon)
  Scenario: a step time limit that is not a number of seconds
    Given a distro "ubuntu"

  Scenario: an unknown variant names the kinds and variants there are
    Given a system "web-01" from "dbserver"

  Scenario: an unknown lab names the labs there are
    Given the lab "racks"

  Scenario: "I try to" on several items asks for one step per item
    Given a distro "ubuntu"
    When I try to delete the distros "ubuntu, ubuntu"

  Scenario: a check on several items names the one that failed, and of how many
    Given a distro "ubuntu"
    Then the distros "ubuntu, debian" should exist

  Scenario: the same attribute twice in a table
    Given a distro "ubuntu" with:
      | comment | one |
      | comment | two |

  Scenario: a fault for a call the scenario never makes
    Given the next call to "save_distor" fails with fault "disk full"
    And a distro "ubuntu"
