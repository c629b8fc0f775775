"""The seed taxonomies' admin screens (research fields and departments), registered as
snippets in wagtail_hooks.py."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Department, ResearchField


class ResearchFieldViewSet(SnippetViewSet):
    model = ResearchField
    icon = "tag"
    list_display = ["name", "name_en", "slug", "sort_order"]
    list_export = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en", "slug"]


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    list_display = ["name", "name_en", "slug", "sort_order"]
    list_export = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en", "slug"]


class SeedTaxonomyGroup(SnippetViewSetGroup):
    items = (ResearchFieldViewSet, DepartmentViewSet)
    menu_icon = "tag"
    menu_label = _("Seed taxonomies")
    menu_name = "seed-taxonomies"
    menu_order = 220
