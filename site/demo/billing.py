"""Demo billing: the issuer's details, and an approved member with an open invoice to pay
by a recorded bank transfer. Works whether or not the membership demo step ran."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from wagtail.models import Site

from billing.models import Invoice, IssuerSettings
from membership import services as membership_services
from membership.models import CheckKind, CheckResult, Membership, MembershipStatus, Organization, ScreeningCheck, Tier
from membership.selectors import terms_in_force

ISSUER = {
    "legal_name": "国立大学法人 共創大学",
    "legal_name_en": "Kyoso University (National University Corporation)",
    "registration_number": "T4500001234567",
    "address": "〒980-8577 宮城県仙台市青葉区片平二丁目1番1号",
    "address_en": "2-1-1 Katahira, Aoba-ku, Sendai, Miyagi 980-8577, Japan",
    "department": "オープンイノベーション機構 財務担当",
    "department_en": "Open Innovation Organization, Finance Office",
    "bank_account": "共創銀行 片平支店（店番号 123）\n普通預金 1234567\n口座名義 コクリツダイガクホウジン キョウソウダイガク",
    "bank_account_en": "Kyoso Bank, Katahira Branch (branch code 123)\nOrdinary account 1234567\n"
    "Account holder: KOKURITSU DAIGAKU HOJIN KYOSO DAIGAKU\nSWIFT: KYOSJPJT",
    # The invoice itself says who bears the bank charges; the footer adds only what it does not.
    "footer": "ご不明な点はオープンイノベーション機構 財務担当までお問い合わせください。",
    "footer_en": "Questions: Open Innovation Organization, Finance Office.",
}

DEMO_EMAIL = "billing-demo@example.jp"
DEMO_PASSWORD = "kyoso-demo-billing"  # noqa: S105  (a demo account, printed on purpose)


def ensure_issuer() -> None:
    for site in Site.objects.all():
        issuer = IssuerSettings.for_site(site)
        if not issuer.legal_name:
            for field, value in ISSUER.items():
                setattr(issuer, field, value)
            issuer.full_clean()
            issuer.save()


def ensure_invoiced_member(stdout) -> None:
    if Invoice.objects.exists():
        return
    approved = Membership.objects.filter(status=MembershipStatus.APPROVED).select_related("organization").first()
    if approved is not None:
        from billing.subjects.membership import invoice_first_term

        invoice_first_term(membership=approved)
        return
    User = get_user_model()
    user = User.objects.filter(email=DEMO_EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=DEMO_EMAIL, password=DEMO_PASSWORD)
        EmailAddress.objects.create(user=user, email=DEMO_EMAIL, verified=True, primary=True)
    tier = Tier.objects.filter(is_active=True).order_by("annual_fee").first() or Tier.objects.create(
        name_ja="一般会員", name_en="Regular member", annual_fee=600_000, seats=5
    )
    org = Organization.objects.filter(created_by=user).first()
    if org is None:
        org = membership_services.organization_register(
            organization=Organization(
                legal_name="株式会社デモ共創テック",
                legal_name_kana="カブシキガイシャデモキョウソウテック",
                name_en="Demo Kyoso Tech Co., Ltd.",
                postal_code="100-0005",
                address="東京都千代田区丸の内1-1-1",
                industry="E",
                size_band="100-999",
                billing_contact_name="経理部 請求 花子",
                billing_contact_email=DEMO_EMAIL,
            ),
            owner=user,
        )
    membership = membership_services.membership_apply(organization=org, tier=tier, by=user, terms=terms_in_force())
    membership_services.membership_start_screening(membership=membership, by=None)
    # Demo data records the checklist directly: there is no staff member to record it as.
    ScreeningCheck.objects.get_or_create(
        membership=membership,
        kind=CheckKind.CONFLICT_OF_INTEREST,
        defaults={"result": CheckResult.CLEAR, "note": "demo"},
    )
    # Billing issues the invoice in the approval's own transaction.
    membership_services.membership_approve(membership=membership, by=None, reason="demo")
    stdout.write(f"  billing demo member: {DEMO_EMAIL} / {DEMO_PASSWORD} (owner of {org.legal_name})")


def load(stdout) -> None:
    ensure_issuer()
    ensure_invoiced_member(stdout)
    open_count = Invoice.objects.filter(status="open").count()
    stdout.write(f"  billing: issuer set, {open_count} open invoice(s)")
