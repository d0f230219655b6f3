@cobbler
Feature: Systems
  A system is one machine: a profile, interfaces, power settings.

  Background:
    Given a distro "ubuntu"
    And a profile "base" for distro "ubuntu"

  Scenario: a system needs a profile that needs a distro
    Given a system "web-01" with profile "base" and interfaces:
      | interface | mac_address | ip_address | netmask       | dns_name |
      | eth0      | {mac}       | {ip}       | 255.255.255.0 | {dns}    |
    Then the system "web-01" should have:
      | profile                        | base            |
      | interfaces.eth0.mac_address    | {mac of web-01} |
      | interfaces.eth0.ip_address     | {ip of web-01}  |
      | interfaces.eth0.netmask        | 255.255.255.0   |
      | interfaces.eth0.dns_name       | {dns of web-01} |

  Scenario: modify a system
    Given a system "web-01" with profile "base"
    When I modify the system "web-01" with:
      | hostname        | web01.example.org |
      | netboot_enabled | true              |
      | comment         | rack 4            |
    Then the system "web-01" should have:
      | hostname        | web01.example.org |
      | netboot_enabled | true              |
      | comment         | rack 4            |

  Scenario: a system without a profile or image is refused
    When I try to create a system "lonely"
    Then it should fail with a message containing "Error with system lonely - profile or image is required"
    And the system "lonely" should not exist

  Scenario: a system's profile must exist
    Given no profile "ghost" exists
    When I try to create a system "web-01" with profile "ghost"
    Then it should fail with a message containing "Profile with the name \"ghost\" is not existing"

  Scenario: a malformed MAC address is refused
    When I try to create a system "web-01" with profile "base" and interfaces:
      | interface | mac_address |
      | eth0      | not-a-mac   |
    Then it should fail with a message containing "Invalid mac address format (not-a-mac)"

  Scenario: a MAC address is stored in lower case
    Given a system "web-01" with profile "base" and interfaces:
      | interface | mac_address |
      | eth0      | {MAC}       |
    Then the system "web-01" should have interfaces.eth0.mac_address "{mac of web-01}"

  Scenario: a MAC address another system has is refused
    Given a system "web-01" with profile "base" and interfaces:
      | interface | mac_address |
      | eth0      | {mac}       |
    And a system "web-02" with profile "base"
    When I try to set the interfaces of system "web-02":
      | interface | mac_address     |
      | eth0      | {mac of web-01} |
    Then it should fail with a message containing "MAC address duplicate found \"{mac of web-01}\". Object with the conflict has the name \"web-01\""

  Scenario: an IP address another system has is refused
    Given a system "web-01" with profile "base" and interfaces:
      | interface | ip_address |
      | eth0      | {ip}       |
    When I try to create a system "web-02" with profile "base" and interfaces:
      | interface | ip_address     |
      | eth0      | {ip of web-01} |
    Then it should fail with a message containing "IP address duplicate found \"{ip of web-01}\". Object with the conflict has the name \"web-01\""

  Scenario: a DNS name another system has is refused
    Given a system "web-01" with profile "base" and interfaces:
      | interface | dns_name |
      | eth0      | {dns}    |
    When I try to create a system "web-02" with profile "base" and interfaces:
      | interface | dns_name        |
      | eth0      | {dns of web-01} |
    Then it should fail with a message containing "DNS name duplicate found \"{dns of web-01}\". Object with the conflict has the name \"web-01\""

  Scenario: a profile with systems is not deleted without recursion
    Given a system "web-01" with profile "base"
    When I try to delete the profile "base" without recursion
    Then it should fail with a message containing "removal would orphan system: web-01"
    And the system "web-01" should exist

  Scenario: delete a system
    Given a system "web-01" with profile "base"
    When I delete the system "web-01"
    Then the system "web-01" should not exist
    And the profile "base" should exist
