from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Collaboration, Department, ResearchField, Stage


class SeedFilterForm(forms.Form):
    """The listing's GET form. Unknown values are dropped rather than refused so
    that an old shared URL still shows results."""

    SORTS = [("new", _("Newest first")), ("title", _("Title"))]

    q = forms.CharField(label=_("Keyword"), required=False, max_length=100)
    field = forms.ChoiceField(label=_("Research field"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    collaboration = forms.ChoiceField(label=_("Collaboration sought"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)

    def __init__(self, *args, fields: list[ResearchField], departments: list[Department], **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["field"].choices = everything + [(f.slug, f.label) for f in fields]
        self.fields["department"].choices = everything + [(d.slug, d.label) for d in departments]
        self.fields["stage"].choices = everything + list(Stage.choices)
        self.fields["collaboration"].choices = everything + list(Collaboration.choices)

    def cleaned_or_empty(self) -> dict:
        """Valid values only: each bad parameter is ignored on its own."""
        self.is_valid()
        data = {}
        for name in self.fields:
            if name in self.cleaned_data and self.cleaned_data[name]:
                data[name] = self.cleaned_data[name]
        return data
