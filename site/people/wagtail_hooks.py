"""Registers the people's snippet screen (people.admin_views)."""

from wagtail.snippets.models import register_snippet

from .admin_views import PersonViewSet

register_snippet(PersonViewSet)
