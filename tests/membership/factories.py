import factory
from django.contrib.auth import get_user_model

from membership.models import Organization, Tier


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.co.jp")
    password = factory.django.Password("correct-horse-battery")


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tier

    name_ja = "一般会員"
    name_en = "Regular member"
    annual_fee = 96_000
    seats = 5


# Real, published corporate numbers of public bodies (国税庁法人番号公表サイト).
CORPORATE_NUMBERS = ["7000012050002", "4000012090001", "5000012010024", "2000012010019"]


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    legal_name = factory.Sequence(lambda n: f"架空工業株式会社{n}")
    legal_name_kana = "カクウコウギョウ"
    name_en = factory.Sequence(lambda n: f"Kaku Industries {n}")
    corporate_number = None
    address = "宮城県仙台市青葉区片平2-1-1"
    industry = "E"
    size_band = "1000-9999"
    billing_contact_name = "経理 太郎"
    billing_contact_email = "billing@example.co.jp"


def record_clear_checks(membership, *, by=None):
    """The screening checklist an approval needs, recorded clear (conflict of interest, and
    export control for a foreign organization). Test setup, like the demo: the staff-facing
    path with its permissions is `services.screening_record_check`, tested on its own."""
    from membership.models import CheckKind, CheckResult, ScreeningCheck

    kinds = [CheckKind.CONFLICT_OF_INTEREST]
    if membership.organization.is_foreign:
        kinds.append(CheckKind.EXPORT_CONTROL)
    for kind in kinds:
        ScreeningCheck.objects.update_or_create(
            membership=membership, kind=kind, defaults={"result": CheckResult.CLEAR, "note": "test", "by": by}
        )
    return membership
