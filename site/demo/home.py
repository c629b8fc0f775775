"""The two locales and the home page in Japanese and English."""

from wagtail.models import Locale, Page, Site

from home.models import HomePage
from kyoso_site.sites import align_default_site, site_address

HOME = {
    "ja": {
        "title": "共創 オープンイノベーション機構",
        "lead": "大学の研究シーズと企業の課題を結び、大型の共同研究を共に創ります。",
        "body": "<p>オープンイノベーション機構は、企業との組織対応型の共同研究を企画・推進する組織です。"
        "統括クリエイティブ・マネージャーが企業のトップと対話し、研究者とともに研究計画を提案します。</p>",
    },
    "en": {
        "title": "Kyoso Open Innovation Organization",
        "lead": "We connect the university's research seeds with companies' challenges and co-create large joint research.",
        "body": "<p>The Open Innovation Organization plans and runs organization-level joint research with companies. "
        "Its general creative managers talk with company leaders and propose research plans together with researchers.</p>",
    },
}


def ensure_locales() -> dict[str, Locale]:
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("ja", "en")}


def ensure_home() -> HomePage:
    """The Japanese home page as the default site's root, with an English translation."""
    locales = ensure_locales()
    home = HomePage.objects.filter(locale=locales["ja"]).first()
    if home is None:
        # Wagtail's placeholder "Welcome" page (and its site) make way for ours.
        for site in Site.objects.select_related("root_page"):
            if site.root_page.specific_class is Page and site.root_page.depth == 2:
                welcome = site.root_page
                site.delete()
                welcome.delete()
        # A flushed database (transactional tests) has no tree root at all.
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=locales["ja"])
        )
        home = root.add_child(instance=HomePage(locale=locales["ja"], slug="home", **HOME["ja"]))
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            hostname, port = site_address()
            Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True, site_name="Kyoso")
        else:
            site.root_page = home
            site.save()
    # Served where SITE_BASE_URL says (make run: KYOSO_ADDR), also in a database loaded before.
    align_default_site()
    if not HomePage.objects.filter(locale=locales["en"]).exists():
        en_home = home.copy_for_translation(locales["en"])
        for field, value in HOME["en"].items():
            setattr(en_home, field, value)
        en_home.save_revision().publish()
    return home


def load(stdout) -> None:
    ensure_home()
    stdout.write("home pages: ja, en")
