"""Registers the seed taxonomies' snippet screens (seeds.admin_views)."""

from wagtail.snippets.models import register_snippet

from .admin_views import SeedTaxonomyGroup

register_snippet(SeedTaxonomyGroup)
