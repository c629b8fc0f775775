"""The Japanese fiscal year (1 April – 31 March, JST) and fee proration."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    fiscal_year: int  # 2026 means 2026年度: 2026-04-01 … 2027-03-31
    start: dt.date
    end: dt.date

    def label(self, language: str = "ja") -> str:
        return f"{self.fiscal_year}年度" if language.startswith("ja") else f"FY{self.fiscal_year}"

    @property
    def months(self) -> int:
        """Whole months from the first day of `start`'s month to the end of `end`'s month (a year: 12)."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


def fiscal_year_of(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def term_of(fiscal_year: int) -> Term:
    return Term(fiscal_year, dt.date(fiscal_year, 4, 1), dt.date(fiscal_year + 1, 3, 31))


def term_containing(day: dt.date) -> Term:
    return term_of(fiscal_year_of(day))


def months_remaining(day: dt.date) -> int:
    """Months left in the fiscal year, counting the month of `day` itself (April → 12, March → 1)."""
    return 12 - ((day.month - 4) % 12)


def charged_term(*, joined_on: dt.date, policy: str = "monthly") -> Term:
    """The part of the fiscal year containing `joined_on` that a new member is charged for,
    matching `prorated_fee`: `monthly` from the first day of the joining month to the end of
    the fiscal year; `full` the whole fiscal year."""
    term = term_containing(joined_on)
    if policy == "full":
        return term
    if policy != "monthly":
        raise ValueError(f"unknown proration policy {policy!r}")
    return Term(term.fiscal_year, joined_on.replace(day=1), term.end)


def prorated_fee(*, annual_fee: int, joined_on: dt.date, policy: str = "monthly") -> int:
    """The fee for the rest of the term. `monthly`: by whole remaining months, rounded down
    to the yen; `full`: the full annual fee whatever the month."""
    if policy == "full":
        return annual_fee
    if policy != "monthly":
        raise ValueError(f"unknown proration policy {policy!r}")
    return annual_fee * months_remaining(joined_on) // 12
