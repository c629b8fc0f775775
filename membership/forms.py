"""Input validation for the member area. Forms validate; views call the services."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .models import MembershipTerms, Organization, SeatRole, Tier
from .validators import normalize_corporate_number, normalize_registration_number

ORGANIZATION_FIELDS = [
    "legal_name",
    "legal_name_kana",
    "name_en",
    "corporate_number",
    "invoice_registration_number",
    "country",
    "postal_code",
    "address",
    "industry",
    "size_band",
    "website",
    "billing_contact_name",
    "billing_contact_department",
    "billing_contact_email",
    "billing_contact_phone",
]


class OrganizationForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ORGANIZATION_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set when the corporate number belongs to an organization already registered.
        self.duplicate_corporate_number: str | None = None

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").strip().upper()

    def clean_corporate_number(self):
        value = normalize_corporate_number(self.cleaned_data.get("corporate_number") or "") or None
        if value:
            others = Organization.objects.filter(corporate_number=value)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.duplicate_corporate_number = value
                raise forms.ValidationError(
                    _(
                        "An organization with this corporate number is already registered. We have told its "
                        "administrator that you asked to join; they can invite you by e-mail. You can also ask "
                        "the colleague who manages your company's membership to invite you."
                    ),
                    code="duplicate",
                )
        return value

    def clean_invoice_registration_number(self):
        return normalize_registration_number(self.cleaned_data.get("invoice_registration_number") or "")

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("country") == "JP"
            and not cleaned.get("corporate_number")
            and "corporate_number" not in self.errors
        ):
            self.add_error("corporate_number", _("A Japanese organization needs its 13-digit corporate number."))
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=[(SeatRole.MEMBER, SeatRole.MEMBER.label), (SeatRole.ADMIN, SeatRole.ADMIN.label)]
    )


class TierForm(forms.Form):
    tier = forms.ModelChoiceField(
        label=_("Tier"), queryset=Tier.objects.filter(is_active=True), widget=forms.RadioSelect, empty_label=None
    )


class ApplicationForm(TierForm):
    """A first application: the tier, and the membership terms read and accepted (the version shown
    travels with the form, so a version that changed in between is noticed, not accepted unread)."""

    terms = forms.ModelChoiceField(queryset=MembershipTerms.objects.all(), widget=forms.HiddenInput, required=False)
    accept_terms = forms.BooleanField(
        label=_("I have read the membership terms and accept them on behalf of my organization."),
        error_messages={"required": _("Accept the membership terms to apply.")},
    )

    def __init__(self, *args, terms_in_force: MembershipTerms | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.terms_in_force = terms_in_force
        if terms_in_force is None:
            del self.fields["accept_terms"]
        else:
            self.fields["terms"].initial = terms_in_force.pk


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why are you cancelling? (optional)"), required=False, widget=forms.Textarea)


class NameForm(forms.Form):
    """A person's name, family name first (as Japanese writes it and as colleagues see it on the team page)."""

    last_name = forms.CharField(label=_("Family name"), max_length=150)
    first_name = forms.CharField(label=_("Given name"), max_length=150)


class InvitationSignupForm(NameForm):
    """Sets a name and a password for an account created from an invitation (its e-mail is the invitation's)."""

    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Password (again)"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            from django.contrib.auth import get_user_model

            try:
                password_validation.validate_password(p1, get_user_model()(email=self.email))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned
