import datetime as dt

import pytest

from membership.fiscal import fiscal_year_of, months_remaining, prorated_fee, term_containing

# April joins pay 12/12, March joins 1/12.
MONTHS = [(4, 12), (5, 11), (6, 10), (7, 9), (8, 8), (9, 7), (10, 6), (11, 5), (12, 4), (1, 3), (2, 2), (3, 1)]


@pytest.mark.parametrize(("month", "remaining"), MONTHS)
def test_proration_for_each_month_of_the_fiscal_year(month, remaining):
    year = 2026 if month >= 4 else 2027
    joined = dt.date(year, month, 15)
    assert months_remaining(joined) == remaining
    assert prorated_fee(annual_fee=96_000, joined_on=joined) == 8_000 * remaining
    assert prorated_fee(annual_fee=96_000, joined_on=joined, policy="full") == 96_000


def test_proration_rounds_down_to_the_yen():
    assert prorated_fee(annual_fee=100_000, joined_on=dt.date(2026, 5, 1)) == 91_666


def test_fiscal_year_runs_april_to_march():
    assert fiscal_year_of(dt.date(2026, 3, 31)) == 2025
    assert fiscal_year_of(dt.date(2026, 4, 1)) == 2026
    term = term_containing(dt.date(2027, 1, 10))
    assert (term.start, term.end) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert term.label("ja") == "2026年度"
    assert term.label("en") == "FY2026"
