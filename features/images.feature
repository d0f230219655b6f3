@cobbler
Feature: Images
  An image is a prebuilt ISO or disk that systems can boot instead of a profile.

  Scenario: create an image and read it back
    Given an image "rescue" with:
      | image_type | iso                  |
      | file       | /srv/images/rescue.iso |
      | arch       | x86_64               |
    Then the image "rescue" should have:
      | image_type | iso                    |
      | file       | /srv/images/rescue.iso |
      | arch       | x86_64                 |

  Scenario: an unknown image type is refused
    When I try to create an image "odd" with:
      | image_type | floppy |
    Then it should fail with a message containing "image_type choices include: ['ImageTypes.DIRECT', 'ImageTypes.ISO', 'ImageTypes.MEMDISK', 'ImageTypes.VIRT_CLONE']"

  Scenario: delete an image
    Given an image "rescue"
    When I delete the image "rescue"
    Then the image "rescue" should not exist
