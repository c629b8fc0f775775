"""allauth's sign-up form, safe against two sign-ups with one address at once."""

from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction


class SignupForm(AllauthSignupForm):
    """The form checks that no account has the address, then saves; two sign-ups with one
    address (or the same address in another case) at the same moment both pass the check,
    and the database's unique constraint on lower(email) refuses the later save
    (accounts.models.User): one account, no half-made second one.

    The later sign-up gets the page every sign-up gets, "we sent you a verification
    mail" (as allauth answers a bot in its honeypot), so the page tells nobody whether
    the address was free (ACCOUNT_PREVENT_ENUMERATION). It sends no mail of its own: the
    account made a moment ago is sending the address its verification mail, which allauth
    would hold back behind an "already has an account" mail (one mail per address in
    three minutes)."""

    def try_save(self, request):
        try:
            # The user, its EmailAddress and any custom sign-up step: all or nothing.
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            email = self.cleaned_data.get("email") or ""
            if not get_user_model().objects.filter(email__iexact=email).exists():
                raise
            return None, get_adapter().respond_email_verification_sent(request, None)
