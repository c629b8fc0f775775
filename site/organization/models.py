"""Pages about the organization itself: what it is, its structure, its cost
rules, how to contact it, and its privacy policy."""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .blocks import ContentBlock, PurposeBlock, UnitBlock

SECTION_PARENTS = ["home.HomePage", "organization.OrganizationPage"]


class OrganizationPage(Page):
    """About the OI organization: what it is and does. Other organization pages
    may sit below it."""

    lead = models.TextField(_("lead"), blank=True)
    body = StreamField(ContentBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = [
        "organization.StructurePage",
        "organization.CostRulesPage",
        "organization.ContactPage",
        "organization.PrivacyPolicyPage",
        "organization.MembershipGuidePage",
    ]

    class Meta:
        verbose_name = _("organization page")

    def json_ld(self, *, request, base_url: str) -> dict:
        from kyoso_site.templatetags.kyoso_tags import organization_json_ld

        data = organization_json_ld(base_url=base_url)
        data["description"] = self.lead
        return data


@dataclass
class Unit:
    level: int
    name: str
    description: str
    role: str
    children: list["Unit"] = field(default_factory=list)
    people: list = field(default_factory=list)


class StructurePage(Page):
    """The structure chart, built from data (an outline of units) and drawn as
    nested lists so that screen readers get the hierarchy."""

    lead = models.TextField(_("lead"), blank=True)
    units = StreamField([("unit", UnitBlock())], verbose_name=_("units"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("units")]
    parent_page_types = SECTION_PARENTS
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("structure page")

    def unit_tree(self) -> list[Unit]:
        from people.models import Person

        by_role: dict[str, list] = {}
        for person in Person.objects.exclude(role=Person.Role.RESEARCHER).only(
            "role", "slug", "family_name", "given_name", "family_name_romaji", "given_name_romaji"
        ):
            by_role.setdefault(person.role, []).append(person)
        roots: list[Unit] = []
        stack: list[Unit] = []
        for block in self.units:
            value = block.value
            unit = Unit(
                level=value["level"] or 1,
                name=value["name"],
                description=value["description"] or "",
                role=value["role"] or "",
                people=by_role.get(value["role"], []) if value["role"] else [],
            )
            while stack and stack[-1].level >= unit.level:
                stack.pop()
            (stack[-1].children if stack else roots).append(unit)
            stack.append(unit)
        return roots

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["tree"] = self.unit_tree()
        return context


class CostRulesPage(Page):
    """The public cost rules for joint research. Rates are data, so the worked
    example and the table always agree with what staff entered."""

    lead = models.TextField(_("lead"), blank=True)
    general_indirect_rate = models.PositiveSmallIntegerField(_("general indirect cost rate (%)"), default=10)
    strategic_rate = models.PositiveSmallIntegerField(_("strategic collaboration cost rate (%)"), default=20)
    hourly_rate = models.PositiveIntegerField(_("researcher personnel cost per hour (yen)"), default=5000)
    example_direct_cost = models.PositiveBigIntegerField(
        _("direct cost in the worked example (yen)"), default=10_000_000
    )
    body = StreamField(ContentBlock(), verbose_name=_("notes"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("general_indirect_rate"), FieldPanel("strategic_rate")]),
                FieldRowPanel([FieldPanel("hourly_rate"), FieldPanel("example_direct_cost")]),
            ],
            heading=_("Rates"),
        ),
        FieldPanel("body"),
    ]
    parent_page_types = SECTION_PARENTS
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("cost rules page")

    @property
    def indirect_rate(self) -> int:
        return self.general_indirect_rate + self.strategic_rate

    def example(self) -> dict[str, int]:
        direct = self.example_direct_cost
        general = direct * self.general_indirect_rate // 100
        strategic = direct * self.strategic_rate // 100
        return {
            "direct": direct,
            "general": general,
            "strategic": strategic,
            "indirect": general + strategic,
            "total": direct + general + strategic,
        }


class ContactPage(Page):
    lead = models.TextField(_("lead"), blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    hours = models.CharField(_("office hours"), max_length=100, blank=True)
    body = StreamField(ContentBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
        FieldPanel("hours"),
        FieldPanel("body"),
    ]
    parent_page_types = SECTION_PARENTS
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("contact page")


class PrivacyPolicyPage(Page):
    """The privacy policy, with the purposes of use that APPI requires us to state."""

    lead = RichTextField(_("introduction"), blank=True)
    purposes = StreamField([("purpose", PurposeBlock())], verbose_name=_("purposes of use"), blank=True)
    body = StreamField(ContentBlock(), verbose_name=_("body"), blank=True)
    last_updated = models.DateField(_("last updated"), null=True, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        FieldPanel("purposes"),
        FieldPanel("body"),
        FieldPanel("last_updated"),
    ]
    parent_page_types = SECTION_PARENTS
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("privacy policy page")


class MembershipGuidePage(Page):
    """The public membership guide: the tiers and fees from the tier data (never typed twice),
    how to join, and the membership terms in force, which an applicant accepts when applying."""

    lead = models.TextField(_("lead"), blank=True)
    how_to_join = RichTextField(_("how to join"), blank=True)
    body = StreamField(ContentBlock(), verbose_name=_("notes"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("how_to_join"), FieldPanel("body")]
    parent_page_types = SECTION_PARENTS
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("membership guide page")

    def get_context(self, request, *args, **kwargs):
        from .membership_guide import guide_context

        context = super().get_context(request, *args, **kwargs)
        context.update(guide_context())
        return context
