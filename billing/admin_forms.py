"""The forms of billing's admin screens (billing.admin_views)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class RecordTransferForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount received (yen)"), min_value=1)
    received_on = forms.DateField(label=_("Date received"), widget=forms.DateInput(attrs={"type": "date"}))
    payer_name = forms.CharField(label=_("Payer name (as shown by the bank)"), max_length=200)
    reference = forms.CharField(
        label=_("Bank reference"),
        max_length=200,
        required=False,
        help_text=_("Optional. The same reference twice is recorded once."),
    )


class InvoiceStateForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class CreditNoteForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (printed on the credit note)"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    settlement = forms.ChoiceField(label=_("How the money is returned"), widget=forms.RadioSelect)
    request_id = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, limits: list[dict], settlements: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"].choices = settlements
        amount_fields = {}
        for row in limits:
            rate = f"{Decimal(row['percent']).normalize():f}"
            amount_fields[f"amount_{row['rate_id']}"] = forms.IntegerField(
                label=_("Amount returned at %(rate)s%% (yen, excluding tax)") % {"rate": rate},
                min_value=0,
                required=False,
                help_text=_("Charged %(charged)s yen; at most %(left)s yen is left to return.")
                % {"charged": f"{int(row['subtotal']):,}", "left": f"{row['subtotal_left']:,}"},
            )
        self.fields = {**amount_fields, **self.fields}
        self.rate_ids = [row["rate_id"] for row in limits]

    def amounts(self) -> dict[int, int]:
        return {rate_id: self.cleaned_data.get(f"amount_{rate_id}") or 0 for rate_id in self.rate_ids}


class RetryForm(forms.Form):
    pass
