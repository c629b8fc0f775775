"""The people's admin screen (creative managers and researchers), registered as a snippet
in wagtail_hooks.py."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Person


class PersonFilterSet(WagtailFilterSet):
    class Meta:
        model = Person
        fields = ["role"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["__str__", "role", "affiliation", "email"]
    list_export = [
        "family_name",
        "given_name",
        "family_name_romaji",
        "given_name_romaji",
        "role",
        "affiliation",
        "email",
    ]
    filterset_class = PersonFilterSet
    search_fields = ["family_name", "given_name", "family_name_kana", "family_name_romaji", "affiliation"]
    ordering = ["sort_order", "family_name_kana"]
