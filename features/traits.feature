@ironic @serial
Feature: Node traits
  Traits say what a node offers: custom ones (CUSTOM_ and capitals, digits, underscores) or
  the standard names of os-traits. A node lists them sorted; allocations match them.
  Serial: a real Ironic on sqlite answers concurrent trait writes with "database is
  locked" (a 500), so these run alone.

  Scenario: traits added one by one, listed sorted, one removed
    Given a node "n1"
    When I add the trait "HW_CPU_X86_AVX2" to the node "n1"
    And I add the trait "CUSTOM_GPU" to the node "n1"
    Then the node "n1" should have traits "CUSTOM_GPU HW_CPU_X86_AVX2"
    When I remove the trait "CUSTOM_GPU" from the node "n1"
    Then the node "n1" should have traits "HW_CPU_X86_AVX2"

  Scenario: every trait replaced at once, then all removed
    Given a node "n1"
    When I add the trait "CUSTOM_OLD" to the node "n1"
    And I set the traits of the node "n1" to "CUSTOM_B, CUSTOM_A"
    Then the node "n1" should have traits "CUSTOM_A CUSTOM_B"
    When I remove every trait from the node "n1"
    Then the node "n1" should have traits ""

  Scenario: a trait that is neither custom nor standard is refused
    Given a node "n1"
    When I try to add the trait "GPU" to the node "n1"
    Then it should fail with a message containing "'GPU' does not match '^CUSTOM_[A-Z0-9_]+$'"
    When I try to set the traits of the node "n1" to "CUSTOM_OK HW_NOT_A_TRAIT"
    Then it should fail with a message containing "'HW_NOT_A_TRAIT' is not valid under any of the given schemas"

  Scenario: removing a trait the node does not have
    Given a node "n1"
    When I try to remove the trait "CUSTOM_NOPE" from the node "n1"
    Then it should fail with a message containing "doesn't have a trait 'CUSTOM_NOPE'"
