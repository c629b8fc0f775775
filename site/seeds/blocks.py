from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(label=_("alternative text"), required=False)
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "image"
        template = "seeds/blocks/captioned_image.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("video URL"))
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "media"
        template = "seeds/blocks/video.html"


class SeedBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("heading"), form_classname="title", template="seeds/blocks/heading.html")
    text = blocks.RichTextBlock(
        label=_("text"), features=["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]
    )
    image = CaptionedImageBlock(label=_("image with caption"))
    table = TableBlock(label=_("table"), template="seeds/blocks/table.html")
    video = VideoBlock(label=_("video"))


class PatentBlock(blocks.StructBlock):
    number = blocks.CharBlock(label=_("application or registration number"))
    title = blocks.CharBlock(label=_("title of the invention"), required=False)
    status = blocks.ChoiceBlock(
        label=_("status"),
        choices=[
            # A context of its own: "Applied" means 出願中 for a patent but 申込み済み for a membership.
            ("applied", pgettext_lazy("patent status", "Applied")),
            ("pct", _("PCT application")),
            ("registered", _("Registered")),
            ("licensed", _("Registered, licensed")),
        ],
    )

    class Meta:
        icon = "doc-full"
