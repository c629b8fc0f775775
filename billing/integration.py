"""Billing's part in membership's steps: the site sets
`MEMBERSHIP_ADAPTER = "billing.integration.BillingMembershipAdapter"`."""

import logging

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from membership.adapter import DefaultMembershipAdapter

from .subjects.membership import _line, invoice_first_term, invoice_renewal

logger = logging.getLogger(__name__)


class BillingMembershipAdapter(DefaultMembershipAdapter):
    def on_approve(self, *, membership, by=None) -> None:
        """Issue the first term's invoice and mark the membership invoiced, in the approval's
        transaction; an invoice that cannot be issued refuses the approval, saying why."""
        try:
            with transaction.atomic():
                invoice_first_term(membership=membership, by=by)
        except ValidationError as exc:
            raise ValidationError(
                _("The application was not approved, because its first invoice could not be issued: %(error)s")
                % {"error": " ".join(exc.messages)},
                code="invoice_failed",
            ) from exc
        except DatabaseError as exc:
            logger.exception("could not invoice membership %s; its approval is rolled back", membership.pk)
            raise ValidationError(
                _(
                    "The application was not approved, because its first invoice could not be saved. "
                    "Nothing was changed; please try again."
                ),
                code="invoice_failed",
            ) from exc

    def approval_summary(self, *, membership, term, fee: int) -> list[tuple[str, str]]:
        """The first invoice approval will issue: what it charges, its tax and total."""
        from kyoso_core.money import format_yen

        from .app_settings import app_settings
        from .services.tax_rates import default_tax_rate
        from .tax import tax_on

        rate = default_tax_rate()
        tax = tax_on(amount=fee, percent=rate.percent, rounding=app_settings.TAX_ROUNDING)
        line = _line(membership, term, fee)
        return [
            (_("Invoice to be issued"), line.description_ja),
            (_("Fee (excl. tax)"), format_yen(fee)),
            (_("Consumption tax (%(rate)s)") % {"rate": rate.percent_display}, format_yen(tax)),
            (_("Total (incl. tax)"), format_yen(fee + tax)),
        ]

    def on_renewal_due(self, *, membership, next_term, fee: int) -> None:
        """Issue the renewal invoice for `next_term`, once per term."""
        invoice_renewal(membership=membership, next_term=next_term, fee=fee)
