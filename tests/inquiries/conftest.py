"""A seed with a contact CM and a privacy policy, in Japanese and English."""

import pytest
from django.core.cache import cache

from tests.events.conftest import translate


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The rate limit lives in the database cache, which transactional tests
    # do not flush.
    cache.clear()
    yield
    cache.clear()


def build_seed_site(home):
    from organization.models import PrivacyPolicyPage
    from people.models import Person
    from seeds.models import SeedIndexPage, SeedPage

    cm = Person.objects.create(
        role=Person.Role.GENERAL_CM,
        slug="cm-sato",
        family_name="佐藤",
        given_name="健一",
        family_name_kana="さとう",
        given_name_kana="けんいち",
        family_name_romaji="Sato",
        given_name_romaji="Kenichi",
        email="sato.cm@kyoso.example.jp",
    )
    privacy = home.add_child(instance=PrivacyPolicyPage(title="プライバシーポリシー", slug="privacy"))
    privacy.save_revision().publish()
    privacy_en = translate(privacy, "en", title="Privacy policy")
    index = home.add_child(instance=SeedIndexPage(title="研究シーズ", slug="seeds"))
    index.save_revision().publish()
    index_en = translate(index, "en", title="Research seeds")
    seed = index.add_child(
        instance=SeedPage(title="高耐熱セラミックス材料", slug="ceramics", summary="1500℃で使える新材料", contact_cm=cm)
    )
    seed.save_revision().publish()
    seed_en = translate(seed, "en", title="Heat-resistant ceramics", summary="A new material for 1500°C")
    return {
        "cm": cm,
        "privacy": privacy,
        "privacy_en": privacy_en,
        "index": index,
        "index_en": index_en,
        "seed": seed,
        "seed_en": seed_en,
    }


@pytest.fixture
def seed_site(demo_home):
    return build_seed_site(demo_home)
