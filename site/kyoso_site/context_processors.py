from django.utils.functional import SimpleLazyObject

from .chrome import site_chrome


def chrome(request) -> dict:
    """This language's site chrome (menu, footer, taxonomies: kyoso_site.chrome)
    for the templates, read from the cache once per response and only if a
    template asks for it. Page types that need it earlier put their own in
    the context (kyoso_site.fragments.SharedFragmentsMixin)."""
    return {"chrome": SimpleLazyObject(lambda: site_chrome(request) or {})}
