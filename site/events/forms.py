from django import forms
from django.utils.translation import gettext_lazy as _


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    company = forms.CharField(label=_("Company or organization"), max_length=200, required=False)
    # A honeypot: people never see it, bots fill every field they find.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
