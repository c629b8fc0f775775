"""Research seeds (技術シーズ): the catalogue companies browse.

Taxonomies (fields, departments) hold both languages in one row so that the
listing's filter URLs (`?field=materials`) are the same in Japanese and English.
"""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from kyoso_site.fragments import SharedFragmentsMixin
from kyoso_site.i18n import pick

from .blocks import PatentBlock, SeedBodyBlock


class Taxonomy(models.Model):
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, help_text=_("Used in filter URLs."))
    sort_order = models.PositiveIntegerField(_("sort order"), default=100)

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "slug"]

    def __str__(self) -> str:
        return f"{self.name} / {self.name_en}"

    @property
    def label(self) -> str:
        return pick(self.name, self.name_en)


class ResearchField(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("research field")
        verbose_name_plural = _("research fields")


class Department(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class Stage(models.TextChoices):
    SEED = "seed", _("Technology seed")
    MODULE = "module", _("Product module")
    UNIT = "unit", _("Product unit")


class Collaboration(models.TextChoices):
    JOINT = "joint", _("Joint research")
    CONTRACT = "contract", _("Contract research")
    GUIDANCE = "guidance", _("Academic guidance")
    LICENSE = "license", _("Licensing")
    VENTURE = "venture", _("Venture")


class SeedIndexPage(SharedFragmentsMixin, Page):
    """The seed catalogue: a filterable, paginated listing of its child seeds."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["seeds.SeedPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("seed index page")

    def get_context(self, request, *args, **kwargs):
        from .selectors import seed_listing

        context = super().get_context(request, *args, **kwargs)
        context.update(
            seed_listing(
                index_page=self,
                params=request.GET,
                request=request,
                chrome=context["chrome"],
                fragments=context["fragments"],
            )
        )
        return context


class SeedPage(SharedFragmentsMixin, Page):
    """One research seed. `members_detail` is for entitled members and staff only."""

    summary = models.CharField(_("one-line summary"), max_length=200)
    body = StreamField(SeedBodyBlock(), verbose_name=_("body"), blank=True)
    researchers = ParentalManyToManyField(
        "people.Person", verbose_name=_("researchers"), blank=True, related_name="seeds"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.SET_NULL, related_name="seeds"
    )
    research_fields = ParentalManyToManyField(
        ResearchField, verbose_name=_("research fields"), blank=True, related_name="seeds"
    )
    keywords = models.CharField(_("keywords"), max_length=255, blank=True, help_text=_("Separated by commas."))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.SEED, db_index=True)
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level (TRL)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    # One column per kind keeps the filter a plain indexed WHERE on every database.
    collab_joint = models.BooleanField(_("joint research"), default=False)
    collab_contract = models.BooleanField(_("contract research"), default=False)
    collab_guidance = models.BooleanField(_("academic guidance"), default=False)
    collab_license = models.BooleanField(_("licensing"), default=False)
    collab_venture = models.BooleanField(_("venture"), default=False)
    intellectual_property = StreamField(
        [("patent", PatentBlock())], verbose_name=_("intellectual property"), blank=True
    )
    related_seeds = ParentalManyToManyField("self", verbose_name=_("related seeds"), blank=True, symmetrical=False)
    contact_cm = models.ForeignKey(
        "people.Person",
        verbose_name=_("contact CM"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_for_seeds",
    )
    # Public text only (title, summary, keywords, body), kept plain so that the
    # keyword filter can match 材料 inside 新材料開発: StreamField JSON escapes
    # non-ASCII and the database search backend does not segment Japanese.
    search_text = models.TextField(editable=False, blank=True, default="")
    members_detail = RichTextField(
        _("members-only detail"),
        blank=True,
        help_text=_(
            "Shown only to staff and to users of entitled member organizations; never in public pages or search."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("research_fields", widget=forms.CheckboxSelectMultiple),
                FieldPanel("department"),
                FieldPanel("keywords"),
                FieldRowPanel([FieldPanel("stage"), FieldPanel("trl")]),
            ],
            heading=_("Classification"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("collab_joint"),
                FieldPanel("collab_contract"),
                FieldPanel("collab_guidance"),
                FieldPanel("collab_license"),
                FieldPanel("collab_venture"),
            ],
            heading=_("Collaboration sought"),
        ),
        FieldPanel("researchers"),
        FieldPanel("contact_cm"),
        FieldPanel("intellectual_property"),
        FieldPanel("related_seeds"),
        FieldPanel("members_detail"),
    ]

    # Only public fields are indexed: the members-only detail never reaches search.
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("keywords"),
        index.SearchField("body"),
        index.FilterField("stage"),
    ]

    parent_page_types = ["seeds.SeedIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("seed page")

    @property
    def collaborations(self) -> list[tuple[str, str]]:
        return [(c.value, c.label) for c in Collaboration if getattr(self, f"collab_{c.value}")]

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.replace("、", ",").split(",") if k.strip()]

    def json_ld(self, *, request, base_url: str) -> dict:
        """schema.org for the seed: public fields only (never the members-only detail)."""
        url = base_url + (self.get_url(request) or "")
        return {
            "@context": "https://schema.org",
            "@type": "CreativeWork",
            "additionalType": "https://schema.org/ResearchProject",
            "name": self.title,
            "description": self.summary,
            "url": url,
            "inLanguage": self.locale.language_code,
            "keywords": self.keyword_list,
            "about": [f.label for f in self.research_fields.all()],
            "author": [{"@type": "Person", "name": p.display_name} for p in self.researchers.all()],
            "datePublished": self.first_published_at.date().isoformat() if self.first_published_at else None,
        }

    def ip_rows(self) -> list[dict]:
        labels = dict(PatentBlock.base_blocks["status"].field.choices)
        return [
            {"number": b.value["number"], "title": b.value["title"], "status": labels.get(b.value["status"], "")}
            for b in self.intellectual_property
        ]

    def public_text(self) -> str:
        parts = [self.title, self.summary, self.keywords]
        for block in self.body:
            if block.block_type in {"heading"}:
                parts.append(str(block.value))
            elif block.block_type == "text":
                parts.append(strip_tags(block.value.source))
            elif block.block_type in {"image", "video"}:
                parts.append(block.value.get("caption") or "")
            elif block.block_type == "table":
                for row in (block.value or {}).get("data") or []:
                    parts.extend(str(cell) for cell in row if cell)
        return "\n".join(p for p in parts if p)

    def save(self, *args, **kwargs):
        self.search_text = self.public_text()
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .selectors import seed_detail_context

        context = super().get_context(request, *args, **kwargs)
        context.update(
            seed_detail_context(seed=self, request=request, chrome=context["chrome"], fragments=context["fragments"])
        )
        return context
