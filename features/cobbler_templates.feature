@cobbler
Feature: Autoinstall templates and snippets
  Templates and snippets are files on the Cobbler server; a profile or system names its
  template, and Cobbler renders the autoinstall file from it with the item's data.

  Background:
    Given a distro "ubuntu" with:
      | kernel_options | console=ttyS0 |

  Scenario: a template is written and read back
    Given a template "web.ks" with content:
      """
      # kickstart of the web servers
      install
      """
    Then the template "web.ks" should have content containing "kickstart of the web servers"

  Scenario: a snippet is written and read back
    Given a snippet "partitions" with content:
      """
      clearpart --all
      """
    Then the snippet "partitions" should have content containing "clearpart --all"

  Scenario: a profile names its template
    Given a template "web.ks" with content:
      """
      install
      """
    And a profile "web" for distro "ubuntu" with:
      | autoinstall | web.ks |
    Then the profile "web" should have autoinstall "web.ks"

  Scenario: a profile's template must exist
    Given no template "ghost.ks" exists
    When I try to create a profile "web" for distro "ubuntu" with:
      | autoinstall | ghost.ks |
    Then it should fail with a message containing "Invalid automatic installation template file location"
    And it should fail with a message containing "file not found"
    And the profile "web" should not exist

  Scenario: a template in use is not removed
    Given a template "web.ks" with content:
      """
      install
      """
    And a profile "web" for distro "ubuntu" with:
      | autoinstall | web.ks |
    When I try to delete the template "web.ks"
    Then it should fail with a message containing "attempt to delete in-use file"
    And the template "web.ks" should exist

  Scenario: the rendered file of a profile fills in its names and kernel options
    Given a template "web.ks" with content:
      """
      # profile $profile_name of distro $distro_name
      bootloader --append="$kernel_options"
      """
    And a profile "web" for distro "ubuntu" with:
      | autoinstall | web.ks |
    When I render the autoinstall file of the profile "web"
    Then the rendered file should contain "# profile web of distro ubuntu"
    And the rendered file should contain "console=ttyS0"

  Scenario: the rendered file of a system has its hostname
    Given a template "web.ks" with content:
      """
      network --hostname=$hostname
      """
    And a profile "web" for distro "ubuntu" with:
      | autoinstall | web.ks |
    And a system "web-01" with profile "web" with:
      | hostname | web-01.provspec.test |
    When I render the autoinstall file of the system "web-01"
    Then the rendered file should contain "network --hostname=web-01.provspec.test"

  Scenario: a template includes a snippet
    Given a snippet "partitions" with content:
      """
      clearpart --all --initlabel
      """
    And a template "web.ks" with content:
      """
      $SNIPPET('{name of snippet partitions}')
      reboot
      """
    And a profile "web" for distro "ubuntu" with:
      | autoinstall | web.ks |
    When I render the autoinstall file of the profile "web"
    Then the rendered file should contain "clearpart --all --initlabel"
    And the rendered file should contain "reboot"
    And the rendered file should not contain "SNIPPET"

  Scenario: raw blocks are left as written
    Given a template "web.ks" with content:
      """
      #raw
      echo $HOME
      #end raw
      """
    And a profile "web" for distro "ubuntu" with:
      | autoinstall | web.ks |
    When I render the autoinstall file of the profile "web"
    Then the rendered file should contain "echo $HOME"

  Scenario: a template's text can be replaced
    Given a template "web.ks" with content:
      """
      first
      """
    When I write the template "web.ks" with content:
      """
      second
      """
    Then the template "web.ks" should have content containing "second"
