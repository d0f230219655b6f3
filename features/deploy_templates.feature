@ironic @serial
Feature: Deploy templates
  A deploy template names deploy steps that a node with a matching trait runs when it is
  deployed. Its name is a trait: provspec makes it from the alias. Ironic checks the steps:
  a known interface, a step name, args and a priority of 0 or more, each interface and step
  once.
  Serial: a real Ironic on sqlite answers concurrent writes of these with a 500 now and then
  ("database is locked", a failed autoflush), so these run alone.

  Scenario: a template with two steps, a password in its args masked
    Given a deploy template "t1" with steps:
      | interface | step                 | priority | args                                    |
      | bios      | apply_configuration  | 150      | {"settings": [], "password": "s3cret"}  |
      | raid      | create_configuration | 10       |                                         |
    Then the deploy_template "t1" should exist
    And the deploy_template "t1" should have steps containing "password=******"
    And the deploy_template "t1" should have steps containing "step=create_configuration"
    When I delete the deploy_template "t1"
    Then the deploy_template "t1" should not exist

  Scenario: an interface and step named twice are refused
    When I try to create a deploy template "t1" with steps:
      | interface | step                | priority |
      | bios      | apply_configuration | 150      |
      | bios      | apply_configuration | 10       |
    Then it should fail with a message containing "Duplicate deploy steps. A template cannot have multiple deploy steps with the same interface and step. Duplicates: interface: bios, step: apply_configuration."

  Scenario: an interface deploy steps do not run on is refused
    When I try to create a deploy template "t1" with steps:
      | interface | step  | priority |
      | network   | setup | 10       |
    Then it should fail with a message containing "'network' is not one of ['vendor', 'power', 'management', 'firmware', 'deploy', 'bios', 'raid']"

  Scenario: a negative priority is refused
    When I try to create a deploy template "t1" with steps:
      | interface | step                | priority |
      | bios      | apply_configuration | -1       |
    Then it should fail with a message containing "Schema error for template: '-1' does not match '^[0-9]+$'"

  Scenario: a template's extra is changed, its steps stay
    Given a deploy template "t1" with steps:
      | interface | step                | priority |
      | bios      | apply_configuration | 150      |
    When I modify the deploy_template "t1" with:
      | extra.owner | qa |
    Then the deploy_template "t1" should have extra.owner "qa"
    And the deploy_template "t1" should have steps containing "priority=150"
