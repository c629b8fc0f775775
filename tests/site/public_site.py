"""Builders for the public site's pages in tests: a small tree, fast."""

from organization.models import ContactPage, CostRulesPage, OrganizationPage, PrivacyPolicyPage, StructurePage
from people.models import Person
from seeds.models import Department, ResearchField, SeedIndexPage, SeedPage
from wagtail.models import Locale

from demo.home import ensure_home
from demo.pages import ensure_people_index

MEMBERS_SECRET = "MEMBERS-ONLY-SECRET-材料配合比"


def locales() -> dict[str, Locale]:
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("ja", "en")}


def translate(page, locale, **fields):
    copy = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return copy


def make_person(slug="yamano-taro", role=Person.Role.RESEARCHER, **extra) -> Person:
    defaults = {
        "role": role,
        "family_name": "山野",
        "given_name": "太郎",
        "family_name_kana": "やまの",
        "given_name_kana": "たろう",
        "family_name_romaji": "Yamano",
        "given_name_romaji": "Taro",
        "position": "教授",
        "position_en": "Professor",
        "email": f"{slug}@example.jp",
    }
    defaults.update(extra)
    return Person.objects.get_or_create(slug=slug, defaults=defaults)[0]


def build_site(*, seeds: int = 3, translate_seeds: bool = True) -> dict:
    """Home, seed index (with `seeds` seeds), people, organization pages, both languages."""
    loc = locales()
    home = ensure_home()
    materials, _ = ResearchField.objects.get_or_create(
        slug="materials", defaults={"name": "マテリアル", "name_en": "Materials"}
    )
    life, _ = ResearchField.objects.get_or_create(
        slug="life-science", defaults={"name": "ライフサイエンス", "name_en": "Life science"}
    )
    eng, _ = Department.objects.get_or_create(
        slug="engineering", defaults={"name": "工学研究科", "name_en": "Engineering"}
    )
    med, _ = Department.objects.get_or_create(slug="medicine", defaults={"name": "医学系研究科", "name_en": "Medicine"})
    researcher = make_person()
    cm = make_person(
        "hoshi-akira",
        Person.Role.GENERAL_CM,
        family_name="星",
        given_name="明",
        family_name_romaji="Hoshi",
        given_name_romaji="Akira",
    )
    index = home.add_child(
        instance=SeedIndexPage(title="研究シーズ", slug="seeds", locale=loc["ja"], show_in_menus=True)
    )
    index.save_revision().publish()
    translate(index, loc["en"], title="Research seeds")
    ensure_people_index(home, loc)
    about = home.add_child(
        instance=OrganizationPage(
            title="機構について", slug="about", locale=loc["ja"], lead="機構の紹介", show_in_menus=True
        )
    )
    about.save_revision().publish()
    translate(about, loc["en"], title="About", lead="About us")
    structure = about.add_child(
        instance=StructurePage(
            title="組織体制",
            slug="structure",
            locale=loc["ja"],
            units=[
                ("unit", {"level": 1, "name": "学長", "description": "", "role": ""}),
                ("unit", {"level": 2, "name": "機構長", "description": "", "role": ""}),
                ("unit", {"level": 3, "name": "統括CM", "description": "", "role": "general_cm"}),
            ],
        )
    )
    translate(structure, loc["en"], title="Structure")
    costs = about.add_child(instance=CostRulesPage(title="費用", slug="cost-rules", locale=loc["ja"]))
    translate(costs, loc["en"], title="Costs")
    contact = about.add_child(
        instance=ContactPage(title="お問い合わせ", slug="contact", locale=loc["ja"], email="oi@example.jp")
    )
    translate(contact, loc["en"], title="Contact")
    privacy = about.add_child(
        instance=PrivacyPolicyPage(
            title="個人情報の取扱い",
            slug="privacy",
            locale=loc["ja"],
            purposes=[("purpose", {"data": "お問い合わせ", "purpose": "回答のため"})],
        )
    )
    translate(
        privacy,
        loc["en"],
        title="Privacy policy",
        purposes=[("purpose", {"data": "Inquiries", "purpose": "To answer you"})],
    )
    made = [
        make_seed(
            index,
            i,
            materials if i % 2 == 0 else life,
            eng if i % 2 == 0 else med,
            researcher,
            cm,
            translate_seed=translate_seeds,
        )
        for i in range(seeds)
    ]
    return {
        "home": home,
        "index": index,
        "seeds": made,
        "researcher": researcher,
        "cm": cm,
        "about": about,
        "privacy": privacy,
    }


def make_seed(index, i, field, department, researcher, cm, *, translate_seed=True, **extra) -> SeedPage:
    loc = locales()
    fields = {
        "title": f"新材料開発シーズ{i:03d}" if i % 2 == 0 else f"細胞診断シーズ{i:03d}",
        "slug": f"seed-{i:03d}",
        "summary": f"一行要約{i}",
        "locale": loc["ja"],
        "department": department,
        "stage": ["seed", "module", "unit"][i % 3],
        "trl": 1 + i % 9,
        "keywords": "キーワード,テスト",
        "collab_joint": i % 2 == 0,
        "collab_license": i % 2 == 1,
        "contact_cm": cm,
        "members_detail": f"<p>{MEMBERS_SECRET}</p>",
        "body": [("text", f"<p>本文{i}</p>")],
    }
    fields.update(extra)
    seed = index.add_child(instance=SeedPage(**fields))
    seed.research_fields.set([field])
    seed.researchers.set([researcher])
    seed.save_revision().publish()
    if translate_seed:
        translate(seed, loc["en"], title=f"Seed {i:03d} in English", summary=f"Summary {i}")
    return seed
