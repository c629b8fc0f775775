"""Consumption tax: summed per rate, then rounded ONCE per invoice per rate.

The qualified-invoice rules allow one rounding per rate per invoice; rounding each
line and adding the results up gives different (wrong) totals, so lines are never
rounded on their own.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

ROUNDING_MODES = {"down": ROUND_FLOOR, "half_up": ROUND_HALF_UP, "up": ROUND_CEILING}


@dataclass(frozen=True)
class RateTotal:
    rate_id: int
    percent: Decimal
    subtotal: int  # yen, excluding tax
    tax: int  # yen

    @property
    def total(self) -> int:
        return self.subtotal + self.tax

    def as_dict(self) -> dict:
        return {
            "rate_id": self.rate_id,
            "percent": str(self.percent),
            "subtotal": self.subtotal,
            "tax": self.tax,
            "total": self.total,
        }


def tax_on(*, amount: int, percent: Decimal, rounding: str = "down") -> int:
    """Tax on an amount of yen at a rate, rounded to the yen."""
    if rounding not in ROUNDING_MODES:
        raise ValueError(f"unknown tax rounding {rounding!r}")
    exact = Decimal(amount) * Decimal(percent) / Decimal(100)
    return int(exact.quantize(Decimal(1), rounding=ROUNDING_MODES[rounding]))


def totals_per_rate(*, lines: Iterable[tuple[int, int, int, Decimal]], rounding: str = "down") -> list[RateTotal]:
    """`lines` are (quantity, unit price, rate id, rate percent); the result is one RateTotal per rate,
    highest rate first."""
    subtotals: dict[int, int] = {}
    percents: dict[int, Decimal] = {}
    for quantity, unit_price, rate_id, percent in lines:
        subtotals[rate_id] = subtotals.get(rate_id, 0) + quantity * unit_price
        percents[rate_id] = Decimal(percent)
    result = [
        RateTotal(r, percents[r], subtotals[r], tax_on(amount=subtotals[r], percent=percents[r], rounding=rounding))
        for r in subtotals
    ]
    return sorted(result, key=lambda t: (-t.percent, t.rate_id))
