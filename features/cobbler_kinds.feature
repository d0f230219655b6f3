@cobbler
Feature: Repos, menus, files, packages and management classes
  Cobbler 3.3's other five kinds, and how profiles, images and management classes name them.

  Background:
    Given a distro "ubuntu"

  Scenario: a repo is created and read back
    Given a repo "epel" with:
      | breed    | yum                               |
      | arch     | x86_64                            |
      | mirror   | http://mirror.example/epel/9/     |
      | priority | 10                                |
      | rpm_list | vim-enhanced tmux                 |
    Then the repo "epel" should have:
      | breed    | yum                               |
      | arch     | x86_64                            |
      | mirror   | http://mirror.example/epel/9/     |
      | priority | 10                                |
      | rpm_list | vim-enhanced tmux                 |

  Scenario: a repo's breed is one of Cobbler's
    When I try to create a repo "odd" with:
      | breed | cvs |
    Then it should fail with a message containing "cvs must be one of [<RepoBreeds.NONE: 'none'>"
    And the repo "odd" should not exist

  Scenario: a repo's priority is a number from 0 to 99
    When I try to create a repo "eager" with:
      | priority | 100 |
    Then it should fail with a message containing "Repository priority must be between 0 and 99 (inclusive)!"

  Scenario: a profile names its repos and its menu
    Given a repo "epel"
    And a repo "updates"
    And a menu "main" with:
      | display_name | Main menu |
    And a profile "web" for distro "ubuntu" with:
      | repos | epel updates |
      | menu  | main         |
    Then the profile "web" should have:
      | repos | epel updates |
      | menu  | main         |

  Scenario: a profile's repos must exist
    Given no repo "ghost" exists
    When I try to create a profile "web" for distro "ubuntu" with:
      | repos | ghost |
    Then it should fail with a message containing "repo ghost is not defined"
    And the profile "web" should not exist

  Scenario: a profile's menu must exist
    Given no menu "ghost" exists
    When I try to create a profile "web" for distro "ubuntu" with:
      | menu | ghost |
    Then it should fail with a message containing "menu ghost not found"

  Scenario: menus nest, and deleting a menu deletes its sub-menus
    Given a menu "main"
    And a menu "tools" with:
      | parent | main |
    Then the menu "tools" should have:
      | parent | main |
      | depth  | 1    |
    When I delete the menu "main"
    Then the menu "main" should not exist
    And the menu "tools" should not exist

  Scenario: deleting a menu takes it off the profiles that showed it
    Given a menu "main"
    And a profile "web" for distro "ubuntu" with:
      | menu | main |
    When I delete the menu "main" without recursion
    Then the menu "main" should not exist
    And the profile "web" should have menu ""

  Scenario: renaming a repo renames it in the profiles that use it
    Given a repo "epel"
    And a profile "web" for distro "ubuntu" with:
      | repos | epel |
    When I rename the repo "epel" to "epel-9"
    Then the profile "web" should have repos "epel-9"
    And the repo "epel" should not exist

  Scenario: a file needs a path
    When I try to create a file "motd" with:
      | path | |
    Then it should fail with a message containing "path is required"
    And the file "motd" should not exist

  Scenario: a file needs a template unless it is a directory
    When I try to create a file "motd" with:
      | template | |
    Then it should fail with a message containing "Template is required when not a directory"
    When I create a file "spool" with:
      | path     | /var/spool/provspec |
      | is_dir   | true                |
      | template |                     |
    Then the file "spool" should have is_dir "true"

  Scenario: a management class installs packages and files
    Given a package "nginx" with:
      | installer | yum    |
      | version   | 1.24.0 |
    And a file "nginx-conf" with:
      | path | /etc/nginx/nginx.conf |
    And a mgmtclass "webserver" with:
      | class_name | webserver       |
      | packages   | nginx           |
      | files      | nginx-conf      |
      | params     | port=80 tls=yes |
    Then the mgmtclass "webserver" should have:
      | class_name | webserver  |
      | packages   | nginx      |
      | files      | nginx-conf |
      | params.port | 80        |

  Scenario: a management class name is a word
    When I try to create a mgmtclass "web" with:
      | class_name | web server |
    Then it should fail with a message containing "invalid characters in class name: 'web server'"

  Scenario: renaming a package renames it in its management classes
    Given a package "nginx"
    And a mgmtclass "webserver" with:
      | packages | nginx |
    When I rename the package "nginx" to "nginx-mainline"
    Then the mgmtclass "webserver" should have packages "nginx-mainline"

  Scenario: copies of every new kind are items of their own
    Given a repo "epel"
    And a menu "main"
    And a package "nginx"
    When I copy the repo "epel" to "epel-copy"
    And I copy the menu "main" to "main-copy"
    And I copy the package "nginx" to "nginx-copy"
    Then the repo "epel-copy" should exist
    And the menu "main-copy" should exist
    And the package "nginx-copy" should exist

  Scenario: repos are searched by their fields
    Given a repo "epel" with:
      | breed | yum |
    And a repo "debian-main" with:
      | breed | apt |
    When I search repos by breed "yum"
    Then the search should return "epel"
