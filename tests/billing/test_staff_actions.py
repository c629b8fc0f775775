"""Finance staff in the Wagtail admin: credit notes (適格返還請求書), void, uncollectible.

Each action shows what it will do and asks for a confirmation; each is refused with a
message and writes nothing for staff without the finance permissions or for an invoice
in the wrong state."""

import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from billing.models import CreditEntry, CreditNote, Invoice, InvoiceStatus, InvoiceTransition, PaymentMethod, TaxRate
from billing.selectors import organization_credit_balance
from billing.services import credit_notes, invoices, payments
from tests.accounts.helpers import give_mfa
from tests.billing.conftest import make_member
from tests.membership.factories import UserFactory

pytestmark = pytest.mark.django_db


def staff_in(group: str, email: str):
    user = UserFactory(email=email, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    give_mfa(user)
    return user


@pytest.fixture
def finance(db):
    return staff_in("財務CM", "zaimu@kyoso.example.jp")


@pytest.fixture
def general_cm(db):
    return staff_in("統括CM", "sokatsu@kyoso.example.jp")


@pytest.fixture
def paid(issuer):
    """A paid invoice with lines at 10% (¥100,000) and 8% (¥20,000): tax ¥10,000 and ¥1,600."""
    _user, org = make_member()
    reduced = TaxRate.objects.get(percent=Decimal("8.00"))
    invoice = invoices.invoice_create_and_issue(
        organization=org,
        lines=[
            invoices.LineSpec(description_ja="年会費", description_en="Annual fee", unit_price=100_000),
            invoices.LineSpec(
                description_ja="会報誌", description_en="Member magazine", unit_price=20_000, tax_rate=reduced
            ),
        ],
    )
    payments.payment_record(invoice=invoice, amount=invoice.total, method=PaymentMethod.BANK_TRANSFER)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.total == 131_600
    return invoice


def rate_ids():
    return {p: TaxRate.objects.get(percent=Decimal(p)).pk for p in ("10.00", "8.00")}


def credit_url(invoice):
    return f"/admin/billing/invoices/credit-note/{invoice.pk}/"


def form_data(client, invoice, **data):
    """The request id the form was shown with, and the fields filled in."""
    page = client.get(credit_url(invoice)).content.decode()
    request_id = re.search(r'name="request_id" value="([0-9a-f]+)"', page).group(1)
    return {"request_id": request_id, "reason": "一部解約による返金", "settlement": "bank_refund", **data}


def refused(response) -> bool:
    """Wagtail answers a PermissionDenied in the admin by a redirect to the dashboard."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


# Credit notes ------------------------------------------------------------------------------


def test_finance_issues_a_credit_note_per_rate_after_confirming(client, finance, paid):
    client.force_login(finance)
    listing = client.get("/admin/billing/invoices/").content.decode()
    assert credit_url(paid) in listing
    ids = rate_ids()
    form = client.get(credit_url(paid)).content.decode()
    assert f"amount_{ids['10.00']}" in form and f"amount_{ids['8.00']}" in form
    data = form_data(client, paid, **{f"amount_{ids['10.00']}": "10000", f"amount_{ids['8.00']}": "5000"})

    # Step one: what will be issued, nothing written yet.
    confirm = client.post(credit_url(paid), data).content.decode()
    assert "¥10,000" in confirm and "¥1,000" in confirm and "¥5,000" in confirm and "¥400" in confirm
    assert "¥16,400" in confirm and "適格返還請求書" in confirm
    assert not CreditNote.objects.exists()

    # Step two: the confirmation page carries what was entered; confirmed.
    carried = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', confirm))
    assert carried == {**data, "csrfmiddlewaretoken": carried.get("csrfmiddlewaretoken")}
    response = client.post(credit_url(paid), {**carried, "confirm": "1"}, follow=True)
    note = CreditNote.objects.get()
    assert note.number == f"{paid.number}-C1" and note.settlement == "bank_refund"
    assert [(r["percent"], r["subtotal"], r["tax"]) for r in note.rows] == [
        ("10.00", 10_000, 1_000),
        ("8.00", 5_000, 400),
    ]
    assert (note.subtotal, note.tax, note.total, note.created_by) == (15_000, 1_400, 16_400, finance)
    history = paid.transitions.latest("pk")
    assert (history.by, history.data["credit_note"]) == (finance, note.number)
    assert "一部解約による返金" in history.reason
    assert note.number in response.content.decode()
    # The same confirmation sent again issues nothing more.
    again = client.post(credit_url(paid), {**data, "confirm": "1"}, follow=True)
    assert CreditNote.objects.count() == 1 and "既に" in again.content.decode()


def test_the_credit_note_pdf_holds_every_item_of_a_qualified_return_invoice(client, finance, paid):
    ids = rate_ids()
    note, _ = credit_notes.credit_note_create(
        invoice=paid,
        amounts={ids["10.00"]: 100_000, ids["8.00"]: 20_000},
        reason="契約解除",
        settlement="bank_refund",
        request_id="r1",
        by=finance,
    )
    client.force_login(finance)
    assert (
        f"/admin/billing/credit-notes/pdf/{note.pk}/ja/" in client.get("/admin/billing/credit-notes/").content.decode()
    )
    ja = pdf_text(client.get(f"/admin/billing/credit-notes/pdf/{note.pk}/ja/").content)
    issue = note.issue_date
    original = paid.issue_date
    for item in [
        "適格返還請求書",
        "国立大学法人 共創大学",  # issuer
        "T4500001234567",  # and its registration number
        f"{issue.year}年{issue.month}月{issue.day}日",  # date of the return
        paid.number,
        f"{original.year}年{original.month}月{original.day}日",  # the original invoice's date
        paid.recipient_name,
        "年会費",
        "10%",
        "8%",
        "¥100,000",
        "¥10,000",  # tax returned at 10%
        "¥20,000",
        "¥1,600",  # tax returned at 8%
        "¥131,600",
        "銀行振込で返金",
    ]:
        assert item in ja, item
    en = pdf_text(client.get(f"/admin/billing/credit-notes/pdf/{note.pk}/en/").content)
    for item in ["qualified return invoice", "Kyoso University", "T4500001234567", paid.number, "¥1,600", "8%"]:
        assert item in en, item


def test_a_credit_kept_as_balance_goes_to_the_organizations_ledger(
    client, finance, paid, mailoutbox, django_capture_on_commit_callbacks
):
    ids = rate_ids()
    with django_capture_on_commit_callbacks(execute=True):
        note, created = credit_notes.credit_note_create(
            invoice=paid,
            amounts={ids["10.00"]: 30_000},
            reason="値引き",
            settlement="credit",
            request_id="r2",
            by=finance,
        )
    assert created and note.total == 33_000
    assert organization_credit_balance(organization=paid.organization) == 33_000
    assert CreditEntry.objects.get().reason == f"credit note {note.number}"
    # The billing contact is told, in Japanese and English.
    mail = mailoutbox[-1]
    assert mail.to == [paid.organization.billing_contact_email] and note.number in mail.subject
    for text in ["¥33,000", "クレジット残高", "Kept as credit balance", "値引き", f"/ja/members/invoices/{paid.pk}/"]:
        assert text in mail.body, text
    # The member sees the note and how it was settled on the invoice's page.
    client.force_login(paid.organization.seats.get().user)
    page = client.get(f"/ja/members/invoices/{paid.pk}/").content.decode()
    assert note.number in page and "クレジット残高" in page


def test_more_than_is_left_is_refused_with_the_typed_input_kept_and_nothing_written(client, finance, paid):
    client.force_login(finance)
    ids = rate_ids()
    credit_notes.credit_note_create(
        invoice=paid,
        amounts={ids["8.00"]: 15_000},
        reason="一部",
        settlement="bank_refund",
        request_id="r3",
        by=finance,
    )
    before = InvoiceTransition.objects.count()
    data = form_data(client, paid, reason="二度目の返金", **{f"amount_{ids['8.00']}": "6000"})
    page = client.post(credit_url(paid), {**data, "confirm": "1"}).content.decode()
    assert "5,000" in page and "二度目の返金" in page  # what is left, and what was typed
    assert CreditNote.objects.count() == 1 and InvoiceTransition.objects.count() == before
    empty = client.post(credit_url(paid), form_data(client, paid)).content.decode()
    assert "1つ以上の税率" in empty and CreditNote.objects.count() == 1


def test_the_last_return_at_a_rate_gives_back_exactly_the_tax_charged(finance, paid):
    ids = rate_ids()
    for i, part in enumerate([6_666, 6_667, 6_667]):  # ¥20,000 at 8% in three parts
        credit_notes.credit_note_create(
            invoice=paid,
            amounts={ids["8.00"]: part},
            reason="分割",
            settlement="bank_refund",
            request_id=f"p{i}",
            by=finance,
        )
    assert sum(n.tax for n in CreditNote.objects.all()) == 1_600


def test_a_credit_note_for_an_invoice_that_is_not_paid_is_refused(client, finance, member):
    _u, _o, _m, open_invoice = member
    client.force_login(finance)
    response = client.get(credit_url(open_invoice), follow=True)
    assert "支払済みの請求書だけ" in response.content.decode()
    with pytest.raises(ValidationError):
        credit_notes.credit_note_create(
            invoice=open_invoice,
            amounts={rate_ids()["10.00"]: 1_000},
            reason="x",
            settlement="bank_refund",
            request_id="r4",
            by=finance,
        )
    assert not CreditNote.objects.exists()


def test_staff_without_the_finance_permission_are_refused_and_nothing_is_written(client, general_cm, paid, member):
    _u, _o, _m, open_invoice = member
    client.force_login(general_cm)
    ids = rate_ids()
    before = InvoiceTransition.objects.count()
    assert refused(client.get(credit_url(paid)))
    data = {"request_id": "x", "reason": "r", "settlement": "bank_refund", f"amount_{ids['10.00']}": "1000"}
    assert refused(client.post(credit_url(paid), {**data, "confirm": "1"}))
    for action in ("void", "uncollectible"):
        url = f"/admin/billing/invoices/{action}/{open_invoice.pk}/"
        assert refused(client.post(url, {"reason": "r", "confirm": "1"}))
    # Wagtail sends staff to the dashboard with its "no permission" message.
    assert "アクセス権がありません" in client.get(credit_url(paid), follow=True).content.decode()
    with pytest.raises(PermissionDenied):
        credit_notes.credit_note_create(
            invoice=paid, amounts={ids["10.00"]: 1}, reason="r", settlement="bank_refund", request_id="y", by=general_cm
        )
    open_invoice.refresh_from_db()
    assert open_invoice.status == InvoiceStatus.OPEN
    assert not CreditNote.objects.exists() and InvoiceTransition.objects.count() == before
    # A member of the organization cannot reach the admin at all.
    user = Invoice.objects.get(pk=paid.pk).organization.seats.get().user
    client.force_login(user)
    assert client.post(credit_url(paid), {**data, "confirm": "1"}).status_code in (302, 403)
    assert not CreditNote.objects.exists()


# Void and uncollectible ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status", "done"),
    [("void", InvoiceStatus.VOID, "無効"), ("uncollectible", InvoiceStatus.UNCOLLECTIBLE, "回収不能")],
)
def test_void_and_uncollectible_ask_for_a_confirmation_and_record_who_and_why(
    client, finance, member, action, status, done
):
    _u, _o, _m, invoice = member
    client.force_login(finance)
    url = f"/admin/billing/invoices/{action}/{invoice.pk}/"
    assert url in client.get("/admin/billing/invoices/").content.decode()
    confirm = client.post(url, {"reason": "二重請求"}).content.decode()
    assert "二重請求" in confirm and 'name="confirm"' in confirm
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN  # not yet
    response = client.post(url, {"reason": "二重請求", "confirm": "1"}, follow=True)
    invoice.refresh_from_db()
    assert invoice.status == status and done in response.content.decode()
    step = invoice.transitions.get(to_status=status)
    assert (step.by, step.reason, step.from_status) == (finance, "二重請求", InvoiceStatus.OPEN)


def test_void_or_uncollectible_of_a_paid_invoice_is_refused_with_a_message(client, finance, paid):
    client.force_login(finance)
    before = InvoiceTransition.objects.count()
    for action in ("void", "uncollectible"):
        response = client.post(
            f"/admin/billing/invoices/{action}/{paid.pk}/", {"reason": "x", "confirm": "1"}, follow=True
        )
        assert "何も変更していません" in response.content.decode()
    paid.refresh_from_db()
    assert paid.status == InvoiceStatus.PAID and InvoiceTransition.objects.count() == before


def test_a_reason_is_required(client, finance, member):
    _u, _o, _m, invoice = member
    client.force_login(finance)
    page = client.post(f"/admin/billing/invoices/void/{invoice.pk}/", {"reason": "", "confirm": "1"})
    assert page.status_code == 200 and "必須" in page.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN


def test_finance_staff_read_payments_and_their_history_but_no_generic_screen_writes_them(client, finance, paid):
    payment = paid.payments.get()
    client.force_login(finance)
    listing = client.get("/admin/billing/payments/")
    assert listing.status_code == 200 and f"/admin/billing/payments/inspect/{payment.pk}/" in listing.content.decode()
    assert client.get(f"/admin/billing/payments/inspect/{payment.pk}/").status_code == 200
    assert client.get(f"/admin/billing/payments/history/{payment.pk}/").status_code == 200
    # Finance holds billing.add_payment, yet the only way to add a payment is recording a transfer.
    for url in ("/admin/billing/payments/new/", f"/admin/billing/payments/edit/{payment.pk}/"):
        assert client.get(url, follow=True).status_code == 404
    assert client.get(f"/admin/billing/invoices/delete/{paid.pk}/", follow=True).status_code == 404


def test_a_refund_made_at_the_provider_is_credited_per_rate_and_counts_against_staffs_limits(finance, paid):
    """One writer for both ways in: a refund announced by the payment provider (a total
    including tax) is split over the invoice's rates as staff's notes are, never returning
    more at a rate than was charged there, and staff can then return only what is left."""
    rates = rate_ids()
    note, created = credit_notes.credit_note_issue(
        invoice=paid, total=115_000, reason="refund", provider_reference="stripe-cn:cn_split", refund_ids=["re_1"]
    )
    assert created
    by_rate = {row["rate_id"]: (row["subtotal"], row["tax"]) for row in note.rows}
    # All of the 10% part (¥100,000 + ¥10,000), then ¥5,000 of the 8% part, its tax included.
    assert by_rate == {rates["10.00"]: (100_000, 10_000), rates["8.00"]: (4_630, 370)}
    assert (note.subtotal, note.tax, note.total) == (104_630, 10_370, 115_000)

    with pytest.raises(ValidationError):
        credit_notes.credit_note_create(
            invoice=paid,
            amounts={rates["10.00"]: 1},
            reason="もう一度",
            settlement="bank_refund",
            request_id="after-refund",
            by=finance,
        )
    rest, created = credit_notes.credit_note_create(
        invoice=paid,
        amounts={rates["8.00"]: 20_000 - 4_630},
        reason="残額",
        settlement="bank_refund",
        request_id="rest",
        by=finance,
    )
    assert created and rest.total == 131_600 - 115_000
    assert CreditNote.objects.count() == 2
