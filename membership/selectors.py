"""Reads for screens and checks: entitlements derive from tier and status."""

from django.contrib.auth.models import AnonymousUser

# The entitlements other apps ask about.
SEED_DETAILS = "seed_details"
CONSORTIUM = "consortium"
MATERIALS = "materials"


def user_has_entitlement(*, user, entitlement: str) -> bool:
    """May this user use this members-only entitlement?

    Staff always may. Members of an organization with an active (or grace-period)
    membership whose tier grants it may. (Seats land with the membership issue;
    until then only staff are entitled.)
    """
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    return bool(user.is_staff)
