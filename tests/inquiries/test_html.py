"""The Nu HTML checker finds no errors in a seed page carrying the inquiry
form, blank and after a rejected submission, in both languages."""

import pytest

from tests.html_check import vnu_errors

pytestmark = pytest.mark.django_db


def test_seed_page_with_the_inquiry_form_is_valid_html(client, seed_site):
    bad = {"inquiry_form": "seed-inquiry", "company": "", "name": "X", "email": "bad", "message": "<b>", "website": ""}
    pages = {
        "ja": client.get("/ja/seeds/ceramics/").text,
        "en": client.get("/en/seeds/ceramics/").text,
        "ja (errors)": client.post("/ja/seeds/ceramics/", bad).text,
        "en (errors)": client.post("/en/seeds/ceramics/", bad).text,
    }
    assert 'aria-invalid="true"' in pages["ja (errors)"]
    assert vnu_errors(pages) == {name: [] for name in pages}
