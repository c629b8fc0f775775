"""Announcements for other apps (billing, consortium, the CRM) to listen to.

Signals are sent inside the transaction that made the change, so a listener's
own writes commit or roll back with it. A listener that talks to the outside
world (mail, HTTP) must defer that work with `transaction.on_commit`.
"""

from django.dispatch import Signal

# organization, by
organization_registered = Signal()
# organization, changed (names of the fields that changed), by
organization_updated = Signal()
# membership, from_status, to_status, by, reason — every transition
membership_changed = Signal()
# membership, by, reason — one per lifecycle step the other apps care about
membership_applied = Signal()
membership_approved = Signal()
membership_rejected = Signal()
membership_invoiced = Signal()
membership_activated = Signal()
membership_renewed = Signal()
membership_grace_started = Signal()
membership_lapsed = Signal()
membership_cancelled = Signal()
# membership, next_term (fiscal.Term), fee — a renewal is due: billing issues its invoice
membership_renewal_due = Signal()
