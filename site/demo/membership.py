"""Demo membership content: three fictional tiers, organizations in several states
of the lifecycle, and a demo member login (its password kept in var/, like the
demo admin's). Repeatable: what exists is left as it is."""

import datetime as dt
import secrets
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from membership import services
from membership.models import CheckKind, CheckResult, MembershipStatus, Organization, ScreeningCheck, Tier
from membership.selectors import terms_in_force

MEMBER_EMAIL = "member@kyoso.example.jp"

TIERS = [
    {
        "name_ja": "一般会員",
        "name_en": "Regular member",
        "annual_fee": 96_000,
        "seats": 3,
        "benefits_ja": "会員限定の研究シーズ詳細の閲覧\n会員向けセミナーへの参加（年2名）",
        "benefits_en": "Members-only research seed details\nMember seminars (2 tickets a year)",
        "members_only_seed_details": True,
        "consortium_eligible": False,
        "event_tickets": 2,
        "sort_order": 1,
    },
    {
        "name_ja": "特別会員",
        "name_en": "Special member",
        "annual_fee": 300_000,
        "seats": 10,
        "benefits_ja": "一般会員の特典に加え、共同研究コンソーシアムへの参加\nコンソーシアム参加費10%割引",
        "benefits_en": "Everything in Regular, plus joining research consortia\n10% off consortium fees",
        "members_only_seed_details": True,
        "consortium_eligible": True,
        "consortium_fee_discount_percent": 10,
        "event_tickets": 5,
        "sort_order": 2,
    },
    {
        "name_ja": "幹事会員",
        "name_en": "Executive member",
        "annual_fee": 1_000_000,
        "seats": 30,
        "benefits_ja": "特別会員の特典に加え、運営委員会への参加\nコンソーシアム参加費20%割引",
        "benefits_en": "Everything in Special, plus a seat on the steering committee\n20% off consortium fees",
        "members_only_seed_details": True,
        "consortium_eligible": True,
        "consortium_fee_discount_percent": 20,
        "event_tickets": 10,
        "sort_order": 3,
    },
]

# Fictional companies; the corporate numbers are made up but carry valid check digits.
ORGANIZATIONS = [
    {
        "fields": {
            "legal_name": "架空精密工業株式会社",
            "legal_name_kana": "カクウセイミツコウギョウ",
            "name_en": "Kaku Precision Industries Co., Ltd.",
            "corporate_number": "4101000000001",
            "country": "JP",
            "postal_code": "980-0812",
            "address": "宮城県仙台市青葉区片平1-1-1",
            "industry": "E",
            "size_band": "1000-9999",
            "billing_contact_name": "経理 花子",
            "billing_contact_email": "keiri@kaku-seimitsu.example.jp",
        },
        "tier": "特別会員",
        "state": "active",
        "owner": MEMBER_EMAIL,
    },
    {
        "fields": {
            "legal_name": "みらい化学株式会社",
            "legal_name_kana": "ミライカガク",
            "name_en": "Mirai Chemical Co., Ltd.",
            "corporate_number": "3101000000002",
            "country": "JP",
            "address": "東京都千代田区丸の内1-1-1",
            "industry": "E",
            "size_band": "100-999",
            "billing_contact_name": "総務 一郎",
            "billing_contact_email": "soumu@mirai-chem.example.jp",
        },
        "tier": "一般会員",
        "state": "applied",
        "owner": "owner@mirai-chem.example.jp",
    },
    {
        "fields": {
            "legal_name": "ノルトリヒト・センソリク社",
            "legal_name_kana": "ノルトリヒトセンソリク",
            "name_en": "Nordlicht Sensorik GmbH",
            "corporate_number": None,
            "country": "DE",
            "address": "Musterstraße 1, 10115 Berlin",
            "industry": "E",
            "size_band": "100-999",
            "billing_contact_name": "Anna Schmidt",
            "billing_contact_email": "billing@nordlicht.example.de",
        },
        "tier": "幹事会員",
        "state": "screening",
        "owner": "owner@nordlicht.example.de",
    },
    {
        "fields": {
            "legal_name": "東北ロボティクス株式会社",
            "legal_name_kana": "トウホクロボティクス",
            "name_en": "Tohoku Robotics Inc.",
            "corporate_number": "2101000000003",
            "country": "JP",
            "address": "宮城県仙台市青葉区荒巻字青葉6-6",
            "industry": "G",
            "size_band": "1-99",
            "billing_contact_name": "財務 次郎",
            "billing_contact_email": "zaimu@tohoku-robotics.example.jp",
        },
        "tier": "一般会員",
        "state": "approved",
        "owner": "owner@tohoku-robotics.example.jp",
    },
]


TERMS_JA = """第1条（目的）
本規約は、国立大学法人共創大学オープンイノベーション機構（以下「機構」）の法人会員制度について定めます。

第2条（会員）
法人会員は、本規約に同意のうえ申し込み、機構の審査（利益相反の確認、海外法人は安全保障輸出管理の確認を含みます）を経て承認された法人とします。

第3条（会期と会費）
会期は4月1日から翌年3月31日までの年度とします。会費は会員種別ごとに定める年会費（消費税別）とし、年度の途中で入会した場合は入会月を含む残りの月数分を請求します。会員資格は会費の入金を確認した日から有効になります。

第4条（利用者）
会員は、会員種別ごとに定める人数まで、所属する役員・従業員を利用者として登録できます。

第5条（秘密保持）
会員限定として開示された情報は、機構の書面による承諾なく第三者に開示してはなりません。

第6条（退会）
会員は、会期の末日をもって退会できます。納付済みの会費は返還しません。

第7条（改定）
機構は本規約を改定できます。改定後の規約は、効力発生日以後の申込みと更新に適用されます。"""

TERMS_EN = """Article 1 (Purpose)
These terms govern the corporate membership of the Open Innovation Organization of Kyoso University (the "Organization").

Article 2 (Members)
A corporate member is an organization that applies accepting these terms and is approved after the Organization's screening (conflicts of interest, and export control for organizations abroad).

Article 3 (Term and fees)
A term is a fiscal year, from 1 April to 31 March. The fee is the annual fee of the member's tier, excluding consumption tax; an organization joining mid-year is charged for the remaining months, counting the month of joining. The membership takes effect on the day its payment is confirmed.

Article 4 (Users)
A member may register its officers and employees as users, up to the number its tier allows.

Article 5 (Confidentiality)
A member shall not disclose information provided as members-only to any third party without the Organization's written consent.

Article 6 (Withdrawal)
A member may withdraw at the end of a term. Fees paid are not refunded.

Article 7 (Amendment)
The Organization may amend these terms. Amended terms apply to applications and renewals from their effective date."""


def ensure_terms():
    from membership.models import MembershipTerms

    terms, _created = MembershipTerms.objects.get_or_create(
        version="2026-04",
        defaults={"effective_on": dt.date(2026, 4, 1), "body_ja": TERMS_JA, "body_en": TERMS_EN},
    )
    return terms


def _user(email: str):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None)  # unusable until reset
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _member_login(stdout) -> None:
    """The demo member's password lives in var/demo-member.txt (not in git). The file
    wins: a database loaded elsewhere (tests, another checkout) is brought in line."""
    secret_file = Path(settings.BASE_DIR) / "var" / "demo-member.txt"
    user = _user(MEMBER_EMAIL)
    if secret_file.exists():
        password = secret_file.read_text().strip()
    else:
        password = secrets.token_urlsafe(12)
        secret_file.parent.mkdir(parents=True, exist_ok=True)
        secret_file.write_text(password + "\n")
    if not user.check_password(password):
        user.set_password(password)
        user.first_name = user.first_name or "会員"
        user.save()
    stdout.write(f"Member login: {MEMBER_EMAIL} / {password}  ({settings.SITE_BASE_URL}/ja/members/)")


def _pay_demo_invoice(membership) -> None:
    """An active demo member: its first invoice paid by a recorded bank transfer (which
    activates the membership), or, without billing, activated directly."""
    from django.apps import apps

    if apps.is_installed("billing"):
        from billing.models import Invoice, PaymentMethod
        from billing.services.payments import payment_record

        invoice = Invoice.objects.filter(organization=membership.organization, status="open").first()
        if invoice is not None:
            payment_record(
                invoice=invoice,
                amount=invoice.total,
                method=PaymentMethod.BANK_TRANSFER,
                provider_reference=f"bank:demo-{invoice.number}",
                payer_name=membership.organization.legal_name_kana or membership.organization.legal_name,
            )
            return
    services.membership_activate(membership=membership, reason="demo: paid")


def load(stdout) -> None:
    from django.apps import apps

    if apps.is_installed("billing"):
        # Approvals issue invoices: the issuer they name must be set up first.
        from demo.billing import ensure_issuer

        ensure_issuer()
    ensure_terms()
    tiers = {}
    for data in TIERS:
        tier, _created = Tier.objects.get_or_create(name_ja=data["name_ja"], defaults=data)
        tiers[tier.name_ja] = tier
    _member_login(stdout)
    today = timezone.localdate()
    for spec in ORGANIZATIONS:
        fields = spec["fields"]
        if Organization.objects.filter(legal_name=fields["legal_name"]).exists():
            continue
        owner = _user(spec["owner"])
        org = services.organization_register(organization=Organization(**fields), owner=owner)
        m = services.membership_apply(
            organization=org, tier=tiers[spec["tier"]], by=owner, language="ja", terms=terms_in_force()
        )
        if spec["state"] == "applied":
            continue
        m = services.membership_start_screening(membership=m, by=None, reason="demo")
        # Demo data records the conflict-of-interest check directly: there is no
        # staff member to record it as when the demo loads.
        ScreeningCheck.objects.create(
            membership=m, kind=CheckKind.CONFLICT_OF_INTEREST, result=CheckResult.CLEAR, note="demo"
        )
        if spec["state"] == "screening":
            continue
        approved_on = today if spec["state"] == "approved" else today - dt.timedelta(days=30)
        m = services.membership_approve(membership=m, by=None, reason="demo", today=approved_on)
        if m.status == MembershipStatus.APPROVED:
            # Only without billing: with it, the approval already issued the invoice.
            m = services.membership_mark_invoiced(membership=m, reason="demo")
        if spec["state"] == "approved":
            continue
        _pay_demo_invoice(m)
    stdout.write(f"Membership demo: {Tier.objects.count()} tiers, {Organization.objects.count()} organizations.")
