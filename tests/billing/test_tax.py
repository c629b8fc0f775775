"""The tax rule: per invoice, per rate, rounded once (down by default)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing.models import InvoiceStatus, TaxRate
from billing.services.invoices import LineSpec, invoice_create_and_issue
from billing.services.tax_rates import default_tax_rate
from billing.tax import tax_on, totals_per_rate

RATES = {1: Decimal("10"), 2: Decimal("8")}
line = st.tuples(st.integers(1, 20), st.integers(0, 5_000_000), st.sampled_from([1, 2]))


@given(st.lists(line, min_size=1, max_size=12), st.sampled_from(["down", "half_up", "up"]))
def test_tax_is_rounded_once_per_rate(lines, rounding):
    rows = [(q, p, r, RATES[r]) for q, p, r in lines]
    result = totals_per_rate(lines=rows, rounding=rounding)
    assert {t.rate_id for t in result} == {r for _, _, r in lines}
    for t in result:
        subtotal = sum(q * p for q, p, r in lines if r == t.rate_id)
        exact = Decimal(subtotal) * RATES[t.rate_id] / 100
        assert t.subtotal == subtotal
        assert isinstance(t.tax, int)
        assert abs(Decimal(t.tax) - exact) < 1
        if rounding == "down":
            assert t.tax == int(subtotal * int(RATES[t.rate_id]) // 100)
            assert t.tax <= exact
        elif rounding == "up":
            assert t.tax >= exact
        # Rounding once never loses more than a yen to rounding each line would.
        per_line = sum(tax_on(amount=q * p, percent=RATES[r], rounding=rounding) for q, p, r in lines if r == t.rate_id)
        if rounding == "down":
            assert t.tax >= per_line


@given(st.integers(1, 50), st.integers(1, 9))
def test_lines_where_per_line_rounding_differs(n, cents):
    """n lines of ¥(10k+cents) where each line's tax has a fraction: per-line rounding drops
    n × fraction yen; the invoice rounds once and keeps them."""
    price = 10 + cents  # tax 1.1 … 1.9: per line rounds to 1
    rows = [(1, price, 1, RATES[1])] * n
    [total] = totals_per_rate(lines=rows)
    assert total.tax == (n * price) // 10
    per_line = n * (price // 10)
    if n * (price % 10) >= 10:
        assert total.tax > per_line


@pytest.mark.django_db
def test_issued_invoice_rounds_once_per_rate(issuer, settings):
    from tests.billing.conftest import make_member

    _user, org = make_member()
    ten = default_tax_rate()  # also puts the statutory rates back after a flushed database
    eight = TaxRate.objects.get(percent=8)
    lines = [
        LineSpec(description_ja=f"品目{i}", description_en=f"Item {i}", unit_price=15, tax_rate=ten) for i in range(3)
    ] + [LineSpec(description_ja="食品", description_en="Food", unit_price=99, quantity=3, tax_rate=eight)]
    invoice = invoice_create_and_issue(organization=org, lines=lines)
    assert invoice.status == InvoiceStatus.OPEN
    by_rate = {row["percent"]: row for row in invoice.tax_breakdown}
    # 10%: ¥45 → ¥4.5 → ¥4 (per line it would be 3 × ¥1 = ¥3); 8%: ¥297 → ¥23.76 → ¥23
    assert by_rate["10.00"]["subtotal"] == 45 and by_rate["10.00"]["tax"] == 4
    assert by_rate["8.00"]["subtotal"] == 297 and by_rate["8.00"]["tax"] == 23
    assert (invoice.subtotal, invoice.tax_total, invoice.total) == (342, 27, 369)

    settings.BILLING_TAX_ROUNDING = "half_up"
    again = invoice_create_and_issue(organization=org, lines=lines)
    assert {row["percent"]: row["tax"] for row in again.tax_breakdown} == {"10.00": 5, "8.00": 24}
