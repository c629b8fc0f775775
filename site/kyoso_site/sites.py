"""The default Wagtail Site follows SITE_BASE_URL.

Wagtail builds every full URL of a page (`page.full_url`, the sitemaps, the events' .ics
files and e-mails) from the Site's hostname and port, so they are those of the site's one
public base URL: set after every `migrate` (post_migrate, kyoso_site.apps) and by the demo's
`load_demo`. Staff need not, and cannot usefully, change them in the admin's Sites screen:
the next deployment's migrate sets them back."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, transaction


def site_address(base_url: str | None = None) -> tuple[str, int]:
    """(hostname, port) of a Wagtail Site whose root_url is `base_url` (SITE_BASE_URL)."""
    parts = urlsplit(base_url or settings.SITE_BASE_URL)
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def align_default_site(site_model=None, using: str = "default") -> bool:
    """Give the default Site the hostname and port of SITE_BASE_URL; True when it changed.

    `site_model`: the Site model to use (a migration state's, from post_migrate)."""
    from wagtail.models import Site

    model = site_model or Site
    hostname, port = site_address()
    site = model._default_manager.using(using).filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return False
    if model._default_manager.using(using).filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
        return False  # another Site has this address already: it serves it, Wagtail finds it by the request
    model._default_manager.using(using).filter(pk=site.pk).update(hostname=hostname, port=port)
    try:
        with transaction.atomic():
            Site.clear_site_root_paths_cache()
    except DatabaseError:
        pass  # the first migrate comes before createcachetable: no cache table, nothing cached
    return True


def align_after_migrate(sender, app_config=None, apps=None, using="default", **kwargs) -> None:
    """post_migrate: align the default Site, when Wagtail's Site table exists."""
    try:
        model = apps.get_model("wagtailcore", "Site") if apps is not None else None
    except LookupError:
        return
    if model is None:
        return
    align_default_site(model, using=using)
