from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Locale, Orderable, Page

from kyoso_site.fragments import SharedFragmentsMixin


class HomePage(SharedFragmentsMixin, Page):
    """The site's root page, one per language."""

    lead = models.CharField(_("lead"), max_length=255, blank=True)
    body = RichTextField(_("body"), blank=True)
    cta_heading = models.CharField(_("membership call heading"), max_length=120, blank=True)
    cta_text = models.TextField(_("membership call text"), blank=True)
    cta_label = models.CharField(_("membership call button"), max_length=60, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        FieldPanel("body"),
        InlinePanel("featured_seeds", label=_("featured seeds"), max_num=6),
        MultiFieldPanel(
            [FieldPanel("cta_heading"), FieldPanel("cta_text"), FieldPanel("cta_label")],
            heading=_("Call to become a member"),
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Wagtail's routing below this home; where this language has no live
        page at the path yet, the Japanese (default language) page at the same
        path, served at this URL with a notice (`request.kyoso_fallback`, read
        by base.html). Wagtail's serve then checks its view restrictions."""
        try:
            return super().route(request, path_components)
        except Http404:
            default = Locale.get_default()
            if self.locale_id == default.pk:
                raise
            source = self.get_translation_or_none(default)
            if source is None or not source.live:
                raise
            route = source.specific.route(request, path_components)  # Http404 in turn
            request.kyoso_fallback = True
            return route

    def json_ld(self, *, request, base_url: str) -> dict:
        from kyoso_site.templatetags.kyoso_tags import organization_json_ld

        return organization_json_ld(base_url=base_url)

    def get_context(self, request, *args, **kwargs):
        from .selectors import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(
            home_context(home=self, request=request, chrome=context["chrome"], fragments=context["fragments"])
        )
        return context


class HomeFeaturedSeed(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_seeds", verbose_name=_("page"))
    seed = models.ForeignKey("seeds.SeedPage", verbose_name=_("seed"), on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("seed")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured seed")
