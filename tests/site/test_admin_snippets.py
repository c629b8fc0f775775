"""The people and seed-taxonomy snippet screens that staff keep the public pages' data in."""

import pytest
from people.models import Person
from seeds.models import Department, ResearchField

pytestmark = pytest.mark.django_db


def test_staff_find_people_and_taxonomies_in_their_admin_listings(admin_client):
    Person.objects.create(
        role=Person.Role.GENERAL_CM,
        slug="yamada-hanako",
        family_name="山田",
        given_name="花子",
        family_name_kana="やまだ",
        given_name_kana="はなこ",
        family_name_romaji="Yamada",
        given_name_romaji="Hanako",
    )
    ResearchField.objects.create(slug="materials", name="マテリアル", name_en="Materials")
    Department.objects.create(slug="engineering", name="工学研究科", name_en="Engineering")
    people = admin_client.get("/admin/snippets/people/person/?q=Yamada")
    assert people.status_code == 200 and "山田" in people.text
    assert "マテリアル" in admin_client.get("/admin/snippets/seeds/researchfield/").text
    assert "工学研究科" in admin_client.get("/admin/snippets/seeds/department/").text
