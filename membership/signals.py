"""Announcements for other apps (the CRM, search, billing) to listen to.

Each is sent once the transaction that made the change has committed (never for a change
that rolled back), with `send_robust`: a receiver cannot veto the change or be required
for it, and one that fails is logged. An app that must take part in a step itself (billing
invoicing an approval) does it through the adapter (membership.adapter), not a receiver.
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
# membership, next_term (fiscal.Term), fee — a renewal fell due (the adapter's on_renewal_due ran)
membership_renewal_due = Signal()
