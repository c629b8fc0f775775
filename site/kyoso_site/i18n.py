"""Small helpers for models that keep both languages in one row."""

from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or "ja").split("-")[0] == "en"


def pick(ja: str, en: str) -> str:
    """The English text on English pages when there is one, else the Japanese."""
    return en if is_english() and en else ja
