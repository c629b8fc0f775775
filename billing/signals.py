"""Announcements for the apps whose subjects billing charges for.

Sent inside the transaction that made the change: a listener's writes commit or
roll back with it; anything talking to the outside world defers with on_commit.
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
