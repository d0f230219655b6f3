@cobbler
Feature: Factories and labs
  A scenario says only what matters: the factory book (factories/cobbler.toml) gives every kind
  its defaults, makes the parents a step does not name, and allocates MACs, IPs and DNS names
  no other scenario or run uses. Named variants inherit; labs build a standard setup at once.

  Scenario: a system with all defaults gets a profile, a distro and allocated addresses
    Given a system "web-01"
    Then the profile "web-01-profile" should exist
    And the distro "web-01-profile-distro" should exist
    And the system "web-01" should have:
      | profile                     | web-01-profile    |
      | interfaces.eth0.mac_address | {mac of web-01}   |
      | interfaces.eth0.ip_address  | {ip of web-01}    |
      | interfaces.eth0.dns_name    | {dns of web-01}   |
    And the distro "web-01-profile-distro" should have:
      | arch       | x86_64 |
      | breed      | ubuntu |
      | os_version | focal  |

  Scenario: a parent the step names is used, and no other is made
    Given a profile "base"
    And a system "web-01" with:
      | profile | base |
    Then there should be 1 profile
    And there should be 1 distro
    And the system "web-01" should have profile "base"

  Scenario: two systems get different addresses
    Given a system "web-01"
    And a system "web-02"
    Then the system "web-02" should have interfaces.eth0.mac_address "{mac of web-02}"
    And the system "web-01" should have interfaces.eth0.mac_address "{mac of web-01}"
    And the system "web-02" should have interfaces.eth0.dns_name containing "web-02-"

  Scenario: a variant adds to its kind's factory
    Given a system "web-01" from "web-server"
    Then the system "web-01" should have:
      | kernel_options | console=ttyS0,115200 |
      | comment        | web server           |
      | profile        | web-01-profile       |

  Scenario: a variant of a variant inherits and overrides
    Given a system "db-01" from "db-server"
    Then the system "db-01" should have:
      | comment                 | database server      |
      | kernel_options          | console=ttyS0,115200 |
      | interfaces.eth0.netmask | 255.255.255.0        |

  Scenario: the step's table wins over the variant
    Given a system "db-01" from "db-server" with:
      | comment | mine |
    Then the system "db-01" should have comment "mine"

  Scenario: a variant of another kind
    Given a profile "quiet" from "minimal-profile"
    Then the profile "quiet" should have kernel_options "console=tty0"
    And the distro "quiet-distro" should exist

  @timeout(300)
  Scenario: a sequence of systems from a variant
    Given 12 systems "web-{n}" from "web-server"
    Then there should be 12 systems
    And there should be 12 profiles
    And the system "web-12" should have comment "web server"
    And the system "web-7" should have interfaces.eth0.ip_address "{ip of web-7}"

  Scenario: a sequence from the kind's own factory
    Given 3 profiles "base-{n}"
    Then there should be 3 profiles
    And there should be 3 distros
    And the profile "base-3" should have distro "base-3-distro"

  Scenario: an address placeholder in a step's own table
    Given a profile "base"
    When I create a system "web-09" with profile "base" and interfaces:
      | interface | mac_address | ip_address |
      | eth0      | {mac}       | {ip}       |
    Then the system "web-09" should have:
      | interfaces.eth0.mac_address | {mac of web-09} |
      | interfaces.eth0.ip_address  | {ip of web-09}  |

  @serial
  Scenario: a variant's hook powers the system on
    Given a system "web-01" from "powered-server"
    Then the system "web-01" should be powered on

  Scenario: the small lab
    Given the lab "small"
    Then there should be 1 distro
    And there should be 2 profiles
    And there should be 4 systems
    And the system "web-3" should have profile "base-1"
    And the system "web-4" should have profile "base-2"
    And the profile "base-2" should have distro "ubuntu"
    When I search systems by profile "base-2"
    Then the search should return:
      | alias |
      | web-2 |
      | web-4 |

  @timeout(300)
  Scenario: the rack lab, with its web servers
    Given the lab "rack"
    Then there should be 3 profiles
    And there should be 40 systems
    And the system "web-40" should have comment "web server"

  Scenario: a lab with more of one kind than it says
    Given the lab "small" with 6 systems
    Then there should be 6 systems
    And there should be 2 profiles
