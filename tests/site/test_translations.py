"""Every interface string has its Japanese translation."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PO_FILES = sorted(p for p in ROOT.glob("**/locale/ja/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def test_there_are_translation_catalogues():
    assert any("site" in p.parts for p in PO_FILES)


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete(po):
    text = po.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first block is the header
    untranslated = []
    for entry in entries:
        if entry.lstrip().startswith("#~"):
            continue  # obsolete
        if "#, fuzzy" in entry:
            untranslated.append(entry)
            continue
        if re.search(r'^msgstr ""\s*$', entry.strip(), flags=re.M) and not re.search(
            r'^msgstr ""\n"', entry, flags=re.M
        ):
            untranslated.append(entry)
        if re.search(r'^msgstr\[\d\] ""\s*$', entry, flags=re.M):
            untranslated.append(entry)
    assert untranslated == []


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_translation_says_a_sentence_twice(po):
    """A msgstr pasted twice (as the seed page's 会員限定 teaser was) shows the
    reader the same sentence twice in a row."""
    repeated = []
    for entry in po.read_text(encoding="utf-8").split("\n\n")[1:]:
        found = re.search(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry, flags=re.M)
        if not found:
            continue
        text = "".join(re.findall(r'"(.*)"', found.group(1)))
        sentences = [s for s in re.split(r"(?<=[。！？])", text) if len(s) > 4]
        if len(sentences) != len(set(sentences)):
            repeated.append(text)
    assert repeated == []
