"""Creative managers and researchers.

A person is one row with both languages in it (kanji, kana and romaji names;
career and message in Japanese and English), so a seed in either language
points to the same person and staff keep one record per human being.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from kyoso_site.i18n import is_english, pick


class Person(models.Model):
    class Role(models.TextChoices):
        GENERAL_CM = "general_cm", _("General CM")
        PROJECT_CM = "project_cm", _("Project CM")
        IP_CM = "ip_cm", _("IP CM")
        LEGAL_CM = "legal_cm", _("Legal CM")
        FINANCE_CM = "finance_cm", _("Finance CM")
        HR_CM = "hr_cm", _("HR CM")
        RESEARCHER = "researcher", _("Researcher")

    CM_ROLES = (
        Role.GENERAL_CM,
        Role.PROJECT_CM,
        Role.IP_CM,
        Role.LEGAL_CM,
        Role.FINANCE_CM,
        Role.HR_CM,
    )

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, db_index=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, help_text=_("Used in the profile URL."))
    family_name = models.CharField(_("family name (kanji)"), max_length=40)
    given_name = models.CharField(_("given name (kanji)"), max_length=40)
    family_name_kana = models.CharField(_("family name (kana)"), max_length=40)
    given_name_kana = models.CharField(_("given name (kana)"), max_length=40)
    family_name_romaji = models.CharField(_("family name (romaji)"), max_length=40)
    given_name_romaji = models.CharField(_("given name (romaji)"), max_length=40)
    position = models.CharField(_("position"), max_length=100, blank=True)
    position_en = models.CharField(_("position (English)"), max_length=100, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    affiliation_en = models.CharField(_("affiliation (English)"), max_length=200, blank=True)
    career = models.TextField(_("career"), blank=True)
    career_en = models.TextField(_("career (English)"), blank=True)
    message = models.TextField(_("message"), blank=True)
    message_en = models.TextField(_("message (English)"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    photo_alt = models.CharField(
        _("photo description"),
        max_length=200,
        blank=True,
        help_text=_("Alternative text for the photo on the profile page. Empty: “Photo of” and the name."),
    )
    photo_alt_en = models.CharField(_("photo description (English)"), max_length=200, blank=True)
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("Where notifications (e.g. seed inquiries) go. Never shown publicly.")
    )
    notification_language = models.CharField(
        _("notification language"),
        max_length=10,
        choices=[("ja", "日本語"), ("en", "English")],
        default="ja",
        help_text=_("The language of the e-mails this person receives (inquiries, event registrations)."),
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=100)

    panels = [
        FieldPanel("role"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("family_name"), FieldPanel("given_name")]),
                FieldRowPanel([FieldPanel("family_name_kana"), FieldPanel("given_name_kana")]),
                FieldRowPanel([FieldPanel("family_name_romaji"), FieldPanel("given_name_romaji")]),
                FieldPanel("slug"),
            ],
            heading=_("Name"),
        ),
        FieldRowPanel([FieldPanel("position"), FieldPanel("position_en")]),
        FieldRowPanel([FieldPanel("affiliation"), FieldPanel("affiliation_en")]),
        FieldPanel("career"),
        FieldPanel("career_en"),
        FieldPanel("message"),
        FieldPanel("message_en"),
        FieldPanel("photo"),
        FieldRowPanel([FieldPanel("photo_alt"), FieldPanel("photo_alt_en")]),
        FieldRowPanel([FieldPanel("email"), FieldPanel("notification_language")]),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_order", "family_name_kana", "given_name_kana"]

    def __str__(self) -> str:
        return f"{self.family_name} {self.given_name} ({self.given_name_romaji} {self.family_name_romaji})"

    @property
    def name_ja(self) -> str:
        return f"{self.family_name} {self.given_name}"

    @property
    def name_kana(self) -> str:
        return f"{self.family_name_kana} {self.given_name_kana}"

    @property
    def name_romaji(self) -> str:
        return f"{self.given_name_romaji} {self.family_name_romaji}"

    @property
    def display_name(self) -> str:
        """Kanji, family name first, on Japanese pages; romaji on English pages."""
        return self.name_romaji if is_english() else self.name_ja

    @property
    def is_cm(self) -> bool:
        return self.role != self.Role.RESEARCHER

    @property
    def position_label(self) -> str:
        return pick(self.position, self.position_en)

    @property
    def affiliation_label(self) -> str:
        return pick(self.affiliation, self.affiliation_en)

    @property
    def career_text(self) -> str:
        return pick(self.career, self.career_en)

    @property
    def message_text(self) -> str:
        return pick(self.message, self.message_en)

    @property
    def photo_alt_text(self) -> str:
        return pick(self.photo_alt, self.photo_alt_en) or gettext("Photo of %(name)s") % {"name": self.display_name}

    def _untranslated(self, field: str) -> bool:
        """On an English page: Japanese text stands in for missing English."""
        return is_english() and bool(getattr(self, field)) and not getattr(self, f"{field}_en")

    @property
    def position_lang(self) -> str:
        return "ja" if self._untranslated("position") else ""

    @property
    def affiliation_lang(self) -> str:
        return "ja" if self._untranslated("affiliation") else ""

    @property
    def career_lang(self) -> str:
        return "ja" if self._untranslated("career") else ""

    @property
    def message_lang(self) -> str:
        return "ja" if self._untranslated("message") else ""

    @property
    def english_missing(self) -> bool:
        """True on an English page when some of the profile is shown in Japanese."""
        return any(self._untranslated(f) for f in ("position", "affiliation", "career", "message"))

    @property
    def initials(self) -> str:
        return self.family_name[:1] if not is_english() else (self.given_name_romaji[:1] + self.family_name_romaji[:1])


CARD_PHOTO = "fill-128x128"
PROFILE_PHOTO = "fill-240x240"


def attach_photos(people: list[Person], spec: str) -> list[Person]:
    """Set `person.photo_rendition` for each person with a photo.

    The photos' renditions must come prefetched (`photo__renditions`): then
    no query is made. (The `{% image %}` tag would also write each rendition
    to the cache on every request, which is the database on this site.)
    """
    for person in people:
        person.photo_rendition = person.photo.get_renditions(spec)[spec] if person.photo else None
    return people


def person_json_ld(*, person: Person, url: str, image: str = "") -> dict:
    """schema.org Person; the e-mail address stays private."""
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person.display_name,
        "alternateName": [person.name_ja, person.name_kana, person.name_romaji],
        "familyName": person.family_name,
        "givenName": person.given_name,
        "jobTitle": person.position_label,
        "affiliation": {"@type": "Organization", "name": person.affiliation_label},
        "url": url,
    }
    if image:
        data["image"] = image
    return data


class PeopleIndexPage(RoutablePageMixin, Page):
    """Creative managers by role, then researchers; each person's profile is a
    sub-URL (`<slug>/`) of this page, in the page's language."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("people index page")

    @path("")
    def index_view(self, request):
        # Renditions come with the people: one query, not one per photo.
        people = attach_photos(
            list(Person.objects.select_related("photo").prefetch_related("photo__renditions")), CARD_PHOTO
        )
        groups = []
        for role in (*Person.CM_ROLES, Person.Role.RESEARCHER):
            members = [p for p in people if p.role == role]
            if members:
                groups.append({"role": role, "label": Person.Role(role).label, "people": members})
        return self.render(request, context_overrides={"groups": groups})

    @path("<slug:slug>/")
    def person_view(self, request, slug):
        from seeds.selectors import seeds_for_person

        person = get_object_or_404(
            Person.objects.select_related("photo").prefetch_related("photo__renditions"), slug=slug
        )
        attach_photos([person], PROFILE_PHOTO)
        # Canonical, hreflang and the language switcher point at the profile.
        request.kyoso_subpage = self.reverse_subpage("person_view", args=[slug])
        return self.render(
            request,
            template="people/person_page.html",
            context_overrides={
                "person": person,
                "og_title": person.display_name,
                "json_ld": person_json_ld(
                    person=person,
                    url=settings.SITE_BASE_URL + request.path,
                    image=urljoin(settings.SITE_BASE_URL, person.photo_rendition.url) if person.photo_rendition else "",
                ),
                "person_seeds": seeds_for_person(person=person, locale=self.locale_id),
            },
        )

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        urls += [{"location": f"{base}{slug}/"} for slug in Person.objects.values_list("slug", flat=True)]
        return urls

    def person_url(self, person: Person, request=None) -> str:
        return self.get_url(request) + self.reverse_subpage("person_view", args=[person.slug])
