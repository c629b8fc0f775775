"""Announcements for the apps whose subjects billing charges for, and for the CRM and search.

Each is sent once the transaction that made the change has committed, with `send_robust`
(kyoso_core.signals.announce): a receiver cannot veto the change or be required for it.
What must happen in the payment's own transaction (a paid membership invoice activates
the membership) is a subject's paid handler (billing.subjects.register_paid_handler).
"""

from django.dispatch import Signal

# invoice, by
invoice_issued = Signal()
invoice_paid = Signal()
invoice_voided = Signal()
invoice_uncollectible = Signal()
# payment, invoice, by
payment_recorded = Signal()
# credit_note, invoice, by
credit_note_issued = Signal()
