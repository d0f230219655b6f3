@cobbler
Feature: Distros
  A distro is a kernel and an initrd on the server, with an architecture and a breed.
  Every profile stands on one.

  Scenario: create a distro and read it back
    Given a distro "ubuntu" with:
      | arch           | x86_64  |
      | breed          | ubuntu  |
      | os_version     | focal   |
      | kernel_options | a=1 b=2 |
    Then the distro "ubuntu" should exist
    And the distro "ubuntu" should have:
      | field          | value                 |
      | kernel         | {boot}/vmlinuz        |
      | initrd         | {boot}/initrd.img     |
      | arch           | x86_64                |
      | breed          | ubuntu                |
      | os_version     | focal                 |
      | kernel_options | a=1 b=2               |

  Scenario: architecture and breed are case-insensitive and stored in lower case
    Given a distro "shouting" with:
      | arch  | X86_64 |
      | breed | Ubuntu |
    Then the distro "shouting" should have arch "x86_64"
    And the distro "shouting" should have breed "ubuntu"

  Scenario: modify a distro
    Given a distro "ubuntu"
    When I modify the distro "ubuntu" with:
      | comment        | golden image |
      | kernel_options | quiet=1      |
    Then the distro "ubuntu" should have:
      | comment        | golden image |
      | kernel_options | quiet=1      |

  Scenario: delete a distro
    Given a distro "ubuntu"
    When I delete the distro "ubuntu"
    Then the distro "ubuntu" should not exist

  Scenario: an unknown architecture is refused with the list of known ones
    When I try to create a distro "odd" with:
      | arch | bogusarch |
    Then it should fail with a message containing "bogusarch must be one of [<Archs.I386: 'i386'>, <Archs.X86_64: 'x86_64'>"

  Scenario: a kernel that is not on the server is refused
    When I try to create a distro "nokernel" with:
      | kernel | /nonexistent/vmlinuz |
    Then it should fail with a message containing "kernel not found or it does not match with allowed kernel filename pattern"
    And it should fail with a message containing ": /nonexistent/vmlinuz."

  Scenario: a kernel file whose name does not match Cobbler's pattern is refused
    When I try to create a distro "misnamed" with:
      | kernel | {boot}/bzImage |
    Then it should fail with a message containing "kernel not found or it does not match"

  Scenario: an initrd that is not on the server is refused
    When I try to create a distro "noinitrd" with:
      | initrd | /nonexistent/initrd.img |
    Then it should fail with a message containing "<class 'ValueError'>:initrd not found"

  Scenario: an unknown breed is refused
    When I try to create a distro "odd" with:
      | breed | bogusbreed |
    Then it should fail with a message containing "Invalid value for breed (\"bogusbreed\")"

  Scenario: the os_version must be one the breed knows
    When I try to create a distro "future" with:
      | breed      | ubuntu   |
      | os_version | bogusver |
    Then it should fail with a message containing "os_version for breed \"ubuntu\" must be one of"

  Scenario: a second distro with the same name is refused, not silently replaced
    Given a distro "ubuntu" with:
      | comment | the first one |
    When I try to create a distro "ubuntu" with:
      | comment | the second one |
    Then it should fail with a message containing "An object already exists with that name. Try 'edit'?"
    And the distro "ubuntu" should have comment "the first one"
