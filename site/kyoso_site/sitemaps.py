from wagtail.contrib.sitemaps import Sitemap


class LocalizedSitemap(Sitemap):
    """The live public pages of the request's language (one sitemap per
    language: /ja/sitemap.xml, /en/sitemap.xml)."""

    def items(self):
        return (
            self.get_wagtail_site()
            .root_page.localized.get_descendants(inclusive=True)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific(defer=True)
        )
