"""News and events: presentation-only pages, plus the registrations people make."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from kyoso_core.history import StatusChangeRecord

from .app_settings import app_settings


def _reader_language(page) -> str:
    """The language the visitor reads the site in (the URL prefix): the page's
    own, except where a Japanese page stands in for a missing translation."""
    language = (get_language() or "").split("-")[0]
    return language if language in dict(settings.LANGUAGES) else page.locale.language_code


def _page_number(request) -> str:
    return request.GET.get("page") or "1"


class NewsIndexPage(Page):
    """The list of news items, newest first."""

    intro = models.CharField(_("introduction"), max_length=500, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.child_of(self).live().order_by("-date", "-pk")
        context["news_page"] = Paginator(news, app_settings.NEWS_PER_PAGE).get_page(_page_number(request))
        return context


class NewsPage(Page):
    """One news item."""

    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("date"), FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["events.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news page")

    def json_ld(self, *, request=None, base_url: str = "") -> dict:
        """schema.org NewsArticle, for the site's SEO head (kyoso_tags.seo_head)."""
        return {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.title,
            "datePublished": self.date.isoformat(),
            "description": self.summary,
            "url": self.get_full_url(request),
            "inLanguage": self.locale.language_code,
        }


class EventIndexPage(RoutablePageMixin, Page):
    """Upcoming events at its own URL, past ones under archive/."""

    intro = models.CharField(_("introduction"), max_length=500, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("event index page")

    def _events(self):
        return EventPage.objects.child_of(self).live()

    def get_context(self, request, *args, archive: bool = False, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        if archive:
            events = self._events().filter(end__lt=now).order_by("-start", "-pk")
        else:
            events = self._events().filter(end__gte=now).order_by("start", "pk")
        context["archive"] = archive
        context["events_page"] = Paginator(events, app_settings.PER_PAGE).get_page(_page_number(request))
        context["archive_url"] = self.url + self.reverse_subpage("archive")
        return context

    @path("")
    def upcoming(self, request):
        return self.render(request)

    @path("archive/", name="archive")
    def archive(self, request):
        # Canonical, hreflang and the language switcher point at the archive.
        request.kyoso_subpage = self.reverse_subpage("archive")
        return self.render(request, archive=True)

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        for entry in list(urls):
            urls.append({**entry, "location": entry["location"] + self.reverse_subpage("archive")})
        return urls


class EventKind(models.TextChoices):
    EVENT = "event", _("Event")
    SEMINAR = "seminar", _("Seminar")
    MATCHING = "matching", _("Matching event")


class EventPage(RoutablePageMixin, Page):
    """An event or seminar, in person or online, with registration."""

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.SEMINAR)
    start = models.DateTimeField(_("starts at"), help_text=_("Japan Standard Time"))
    end = models.DateTimeField(_("ends at"), help_text=_("Japan Standard Time"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    online_url = models.URLField(_("online URL"), blank=True, help_text=_("Leave empty for an in-person event."))
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    contact_cm = models.ForeignKey(
        "people.Person",
        verbose_name=_("contact CM"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Hears of each registration and cancellation by e-mail, in their notification language."),
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading=_("Date and time")),
        MultiFieldPanel([FieldPanel("venue"), FieldPanel("online_url")], heading=_("Place")),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("registration_open")], heading=_("Registration")),
        FieldPanel("contact_cm"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("start"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event page")

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The end must come after the start.")
        if not self.venue and not self.online_url:
            errors["venue"] = _("Give a venue, an online URL, or both.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    @property
    def accepts_registrations(self) -> bool:
        return self.registration_open and not self.is_past

    def json_ld(self, *, request=None, base_url: str = "") -> dict:
        """schema.org Event, for the site's SEO head (kyoso_tags.seo_head)."""
        jst = ZoneInfo("Asia/Tokyo")
        locations = []
        if self.venue:
            locations.append({"@type": "Place", "name": self.venue, "address": self.venue})
        if self.online_url:
            # The event's page, not the meeting link: that is for registered attendees only.
            locations.append({"@type": "VirtualLocation", "url": self.get_full_url(request)})
        if self.venue and self.online_url:
            mode = "MixedEventAttendanceMode"
        elif self.online_url:
            mode = "OnlineEventAttendanceMode"
        else:
            mode = "OfflineEventAttendanceMode"
        return {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.title,
            "description": self.summary,
            "startDate": self.start.astimezone(jst).isoformat(timespec="seconds"),
            "endDate": self.end.astimezone(jst).isoformat(timespec="seconds"),
            "eventAttendanceMode": f"https://schema.org/{mode}",
            "eventStatus": "https://schema.org/EventScheduled",
            "location": locations[0] if len(locations) == 1 else locations,
            "url": self.get_full_url(request),
            "inLanguage": self.locale.language_code,
            "organizer": {
                "@type": "Organization",
                "name": "Kyoso Open Innovation Organization",
                "url": base_url or None,
            },
        }

    def get_context(self, request, *args, **kwargs):
        from .selectors import event_seats_left

        context = super().get_context(request, *args, **kwargs)
        context["seats_left"] = event_seats_left(event=self)
        context["ics_url"] = self.url + self.reverse_subpage("ics")
        if "registration_form" not in context:
            from .forms import RegistrationForm

            context["registration_form"] = RegistrationForm()
        if self.accepts_registrations and context["seats_left"] != 0:
            from inquiries.selectors import privacy_page_for
            from wagtail.models import Locale

            # The privacy policy in the reader's language, for the consent box.
            context["privacy_page"] = privacy_page_for(locale=Locale.get_active())
        return context

    def serve(self, request, view=None, args=None, kwargs=None):
        # A router that returns the page without a view (the site's fast
        # route does) still reaches the main view, so a POST registers.
        if view is None:
            view, args, kwargs = self.resolve_subpage("/")
        return super().serve(request, view, args, kwargs)

    @path("")
    def detail(self, request):
        if request.method == "POST":
            return self._register(request)
        return self.render(request)

    @path("ics/", name="ics")
    def ics(self, request):
        """The public .ics; with `?registration=<token>` (from the confirmation e-mail) the
        attendee's own, which holds the meeting link."""
        from .ics import event_calendar
        from .selectors import attendee_registration

        token = request.GET.get("registration", "")
        attendee = bool(token) and attendee_registration(event=self, token=token) is not None
        response = HttpResponse(
            event_calendar(event=self, request=request, attendee=attendee), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.slug}.ics"'
        if token:
            add_never_cache_headers(response)  # one person's file: no shared cache keeps it
        return response

    def _register(self, request):
        from kyoso_core.ratelimit import consume

        from .forms import RegistrationForm
        from .services import EventClosed, EventFull, registration_create

        form = RegistrationForm(request.POST)
        count, seconds = app_settings.REGISTRATION_RATE_LIMIT
        if not consume(request, scope="event-registration", limit=count, period=seconds):
            form.add_error(None, _("Too many registrations from your connection. Please try again in a few minutes."))
        elif form.is_valid():
            if form.cleaned_data["website"]:
                # A bot filled the honeypot: answer as if it worked, keep nothing.
                messages.success(request, _("Thank you. Your registration is confirmed."))
                return redirect(request.path + "#messages")
            try:
                registration_create(
                    event=self,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    company=form.cleaned_data["company"],
                    language_code=_reader_language(self),
                )
            except EventFull:
                form.add_error(None, _("Sorry, this event is full. No more registrations are accepted."))
            except EventClosed:
                form.add_error(None, _("Registration for this event is closed."))
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Thank you. Your registration is confirmed; we have sent you an e-mail."))
                # To the message (base.html), not the form's #registration-heading the browser would keep.
                return redirect(request.path + "#messages")
        return self.render(request, context_overrides={"registration_form": form})


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CANCELLED = "cancelled", _("Cancelled")


class EventRegistration(models.Model):
    """One person's seat at an event.

    The page is the translation the person registered on (it decides the
    language of the e-mail); capacity counts registrations over all
    translations of the event.
    """

    event = models.ForeignKey(
        EventPage, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    email = models.EmailField(_("e-mail"), max_length=254)
    company = models.CharField(_("company or organization"), max_length=200, blank=True)
    language_code = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    consent_given_at = models.DateTimeField(
        _("consent given at"),
        null=True,
        blank=True,
        help_text=_("When the person agreed to the privacy policy's purposes of use (empty for older registrations)."),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> — {self.event.title}"


class RegistrationStatusChange(StatusChangeRecord):
    """History of a registration's status: who changed it, when, and why.

    The first row of each registration records the sign-up itself (no
    previous status, no staff member: the person registered on the site).
    """

    registration = models.ForeignKey(
        EventRegistration, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("registration")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=RegistrationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=RegistrationStatus.choices)

    # The note of the first rows that migration 0004 gave registrations older than the
    # history; a code rather than text so each reader sees it in their own language.
    BACKFILL_NOTE = "recorded-before-history"

    class Meta(StatusChangeRecord.Meta):
        verbose_name = _("registration status change")
        verbose_name_plural = _("registration status changes")

    def who(self) -> str:
        if self.changed_by is not None:
            return self.changed_by.email
        # No one: the sign-up itself (the first row), or a change made by the system.
        return _("the registrant") if not self.from_status and self.note != self.BACKFILL_NOTE else "—"

    def note_text(self) -> str:
        return _("recorded before the history was kept") if self.note == self.BACKFILL_NOTE else self.note
