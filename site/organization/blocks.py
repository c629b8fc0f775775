from django.utils.translation import gettext_lazy as _
from people.models import Person
from wagtail import blocks


class ContentBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("heading"), template="seeds/blocks/heading.html")
    text = blocks.RichTextBlock(label=_("text"))


class UnitBlock(blocks.StructBlock):
    """One box of the structure chart. `level` places it in the tree: a unit
    belongs to the nearest unit above it with a smaller level."""

    level = blocks.IntegerBlock(label=_("level"), min_value=1, max_value=5, default=1)
    name = blocks.CharBlock(label=_("name"))
    description = blocks.CharBlock(label=_("description"), required=False)
    role = blocks.ChoiceBlock(
        label=_("people of this role"),
        required=False,
        choices=[(value, label) for value, label in Person.Role.choices if value != Person.Role.RESEARCHER],
        help_text=_("List the people with this role under the unit."),
    )

    class Meta:
        icon = "site"


class PurposeBlock(blocks.StructBlock):
    data = blocks.CharBlock(label=_("personal data"))
    purpose = blocks.TextBlock(label=_("purpose of use"))

    class Meta:
        icon = "lock"
