import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from membership.fields import TypedNumberFormField

# After TypedNumberFormField: full-width digits, brackets and dashes are ASCII already.
PHONE = re.compile(r"^[0-9+() -]{6,30}$")
# As the model's field (Inquiry.message).
MESSAGE_MAX_LENGTH = 4000


class InquiryForm(forms.Form):
    company = forms.CharField(label=pgettext_lazy("seed inquiry form", "Company or organization"), max_length=200)
    name = forms.CharField(label=pgettext_lazy("seed inquiry form", "Name"), max_length=100)
    email = forms.EmailField(label=pgettext_lazy("seed inquiry form", "E-mail"), max_length=254)
    phone = TypedNumberFormField(label=pgettext_lazy("seed inquiry form", "Phone"), max_length=30, required=False)
    message = forms.CharField(
        label=pgettext_lazy("seed inquiry form", "Message"),
        max_length=MESSAGE_MAX_LENGTH,
        help_text=_("Up to 4,000 characters."),
        error_messages={
            "max_length": _(
                "Your message has %(show_value)s characters; please shorten it to 4,000 or fewer. Nothing was sent."
            )
        },
        # inquiries/char-count.js shows the count beside the field (the limit
        # itself is the maxlength attribute Django adds).
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "data-count-template": _("%(count)s of %(max)s characters"),
                "data-cut-template": _(
                    "The pasted text did not fit: its last %(cut)s characters were left out (the limit is %(max)s)."
                ),
            }
        ),
    )
    consent = forms.BooleanField(
        label=_("I agree to the handling of my personal data for the purposes stated in the privacy policy."),
        error_messages={"required": _("Please agree to the privacy policy to send your inquiry.")},
    )
    # A honeypot: people never see it, bots fill every field they find.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    # Marks a POST to a seed page as this form's, not anything else's.
    form_id = "seed-inquiry"

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("Enter a phone number with digits, spaces, hyphens, + or brackets only."))
        return phone
