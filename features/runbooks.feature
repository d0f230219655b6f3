@ironic @serial
Feature: Runbooks
  A runbook names ordered steps that clean or service a node. Ironic checks its steps as it
  checks a deploy template's (with an `order` instead of a priority, `args` optional), masks
  secrets in their args, and keeps an owner off a public runbook.
  Serial: a real Ironic on sqlite answers concurrent writes of these with a 500 now and then
  ("database is locked", a failed autoflush), so these run alone.

  Scenario: a runbook with two steps, a secret in its args masked
    Given a runbook "rb1" with steps:
      | interface | step                 | order | args                      |
      | bios      | apply_configuration  | 1     | {"password": "s3cret"}    |
      | raid      | delete_configuration | 2     |                           |
    Then the runbook "rb1" should exist
    And the runbook "rb1" should have steps containing "password=******"
    And the runbook "rb1" should have steps containing "step=delete_configuration"
    And the runbook "rb1" should have public "false"
    When I delete the runbook "rb1"
    Then the runbook "rb1" should not exist

  Scenario: a step without an order is refused
    When I try to create a runbook "rb1" with steps:
      | interface | step                | order |
      | bios      | apply_configuration |       |
    Then it should fail with a message containing "Schema error for runbook: '' is not valid under any of the given schemas. Possible root cause: '' is not of type 'integer'"

  Scenario: an interface and step named twice are refused
    When I try to create a runbook "rb1" with steps:
      | interface | step                | order |
      | bios      | apply_configuration | 1     |
      | bios      | apply_configuration | 2     |
    Then it should fail with a message containing "Duplicate deploy steps. A template cannot have multiple deploy steps with the same interface and step."

  Scenario: a public runbook gets no owner
    Given a runbook "rb1" with steps:
      | interface | step                | order |
      | bios      | apply_configuration | 1     |
    When I modify the runbook "rb1" with:
      | public | true |
    And I try to modify the runbook "rb1" with:
      | owner | qa-project |
    Then it should fail with a message containing "There cannot be an owner for a public runbook"
