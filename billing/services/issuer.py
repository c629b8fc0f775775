"""Who issues the invoices."""

from ..models import IssuerSettings


def issuer_settings() -> IssuerSettings:
    """The issuer of the default site (one university issues every invoice)."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        return IssuerSettings()
    return IssuerSettings.for_site(site)
