"""The public membership guide (tiers and fees from the tier data, the terms in force) and the
versioned membership terms an applicant accepts when applying."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from demo.home import ensure_locales
from demo.membership import TERMS_EN, TERMS_JA
from demo.pages import ensure_membership_guide, ensure_organization
from membership import services
from membership.models import Membership, MembershipTerms, TermsAcceptance
from tests.membership.factories import TierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms():
    return MembershipTerms.objects.create(
        version="2026-04", effective_on=dt.date(2026, 4, 1), body_ja=TERMS_JA, body_en=TERMS_EN
    )


@pytest.fixture
def guide(demo_home, terms):
    locales = ensure_locales()
    ensure_organization(demo_home, locales)
    ensure_membership_guide(demo_home, locales)
    TierFactory(name_ja="一般会員", name_en="Regular member", annual_fee=300_000, seats=5)
    TierFactory(name_ja="賛助会員", name_en="Supporting member", annual_fee=96_000, seats=2, is_active=False)


def test_the_guide_shows_the_tiers_with_and_without_tax_and_the_terms_in_force(client, guide):
    response = client.get("/ja/about/membership/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "一般会員" in html and "¥300,000" in html and "¥330,000" in html  # 10% consumption tax
    assert "賛助会員" not in html  # not open for applications
    assert "会員規約" in html and "2026-04 版" in html and "第1条（目的）" in html
    english = client.get("/en/about/membership/").content.decode()
    assert "Regular member" in english and "¥330,000" in english and "Article 1 (Purpose)" in english


def test_the_home_pages_membership_call_leads_to_the_guide(client, guide):
    from demo.pages import ensure_home_content

    ensure_home_content(demo_home_page(), ensure_locales(), [])
    assert 'href="/ja/about/membership/"' in client.get("/ja/").content.decode()


def demo_home_page():
    from home.models import HomePage

    return HomePage.objects.get(locale__language_code="ja")


def test_applying_records_who_accepted_which_version_in_which_language(org, org_owner, tier, terms):
    membership = services.membership_apply(organization=org, tier=tier, by=org_owner, language="en", terms=terms)
    acceptance = TermsAcceptance.objects.get(membership=membership)
    assert (acceptance.user, acceptance.terms, acceptance.language) == (org_owner, terms, "en")
    assert acceptance.text_sha256 == terms.sha256_en and len(terms.sha256_en) == 64


def test_applying_without_accepting_the_terms_in_force_is_refused(org, org_owner, tier, terms):
    with pytest.raises(ValidationError) as refused:
        services.membership_apply(organization=org, tier=tier, by=org_owner)
    assert refused.value.code == "terms_required"
    newer = MembershipTerms.objects.create(
        version="2026-10", effective_on=dt.date(2026, 10, 1), body_ja="改定版", body_en="Amended"
    )
    with pytest.raises(ValidationError) as stale:
        services.membership_apply(organization=org, tier=tier, by=org_owner, terms=terms, today=dt.date(2026, 12, 1))
    assert stale.value.code == "terms_changed"
    assert not Membership.objects.exists() and not TermsAcceptance.objects.exists()
    services.membership_apply(organization=org, tier=tier, by=org_owner, terms=newer, today=dt.date(2026, 12, 1))


def test_the_apply_page_asks_for_acceptance_and_keeps_the_tier_chosen(client, org, org_owner, tier, terms):
    client.force_login(org_owner)
    page = client.get("/ja/members/apply/").content.decode()
    assert "第1条（目的）" in page and 'name="accept_terms"' in page
    response = client.post("/ja/members/apply/", {"tier": tier.pk, "terms": terms.pk})
    assert response.status_code == 200
    assert "お申込みには会員規約への同意が必要です。" in response.content.decode()
    assert not Membership.objects.exists()
    response = client.post("/ja/members/apply/", {"tier": tier.pk, "terms": terms.pk, "accept_terms": "on"})
    assert response.status_code == 302
    assert TermsAcceptance.objects.get().membership.organization == org


def test_a_version_someone_accepted_keeps_its_text(org, org_owner, tier, terms):
    services.membership_apply(organization=org, tier=tier, by=org_owner, terms=terms)
    terms.body_ja = terms.body_ja + "（追記）"
    with pytest.raises(ValidationError):
        terms.full_clean()


def test_the_guide_and_the_apply_page_are_valid_html(client, guide, org, org_owner):
    from tests.html_check import vnu_errors

    pages = {url: client.get(url).content.decode() for url in ("/ja/about/membership/", "/en/about/membership/")}
    client.force_login(org_owner)
    pages["/ja/members/apply/"] = client.get("/ja/members/apply/").content.decode()
    assert vnu_errors(pages) == {url: [] for url in pages}
