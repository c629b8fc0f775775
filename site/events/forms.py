from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RegistrationForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("event registration form", "Name"), max_length=100)
    email = forms.EmailField(label=pgettext_lazy("event registration form", "E-mail"), max_length=254)
    company = forms.CharField(
        label=pgettext_lazy("event registration form", "Company or organization"), max_length=200, required=False
    )
    consent = forms.BooleanField(
        label=_("I agree to the handling of my personal data for the purposes stated in the privacy policy."),
        error_messages={"required": _("Please agree to the privacy policy to register.")},
    )
    # A honeypot: people never see it, bots fill every field they find.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
