"""What billing charges for (an invoice's subject: a membership term, a consortium
participation) and what happens when such an invoice is paid.

Billing's code for a subject registers a paid handler for the subject's model (see
billing.subjects.membership); billing calls it inside the payment's transaction when an
invoice for such a subject becomes paid, so the subject's change commits or rolls back
with the payment.
"""

from collections.abc import Callable

_paid_handlers: dict[str, Callable] = {}


def register_paid_handler(model, handler: Callable) -> None:
    """`handler(*, invoice, by)` runs when an invoice for a `model` instance becomes paid."""
    _paid_handlers[model._meta.label_lower] = handler


def subject_invoice_paid(*, invoice, by=None) -> None:
    """Call the paid handler of the invoice's subject, if it has one."""
    if invoice.content_type_id is None:
        return
    handler = _paid_handlers.get(f"{invoice.content_type.app_label}.{invoice.content_type.model}")
    if handler is not None:
        handler(invoice=invoice, by=by)
