"""The fast form renderer writes exactly what Django's widget templates write,
so the filter and inquiry forms keep their labels, values, ids, aria
attributes and error messages."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from inquiries.forms import InquiryForm
from seeds.forms import SeedFilterForm
from seeds.models import Department, ResearchField

from kyoso_site.form_renderer import FastFormRenderer


class Everything(forms.Form):
    text = forms.CharField(max_length=5, help_text="Short <b>text</b>")
    number = forms.IntegerField(min_value=1)
    email = forms.EmailField()
    agree = forms.BooleanField()
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    choice = forms.ChoiceField(choices=[("", "All"), ("a", "A & B"), ("b", '"quoted"')], required=False)
    grouped = forms.ChoiceField(choices=[("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")])
    many = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two")], required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    radio = forms.ChoiceField(choices=[("r", "R")], widget=forms.RadioSelect, required=False)


def rendered(form_class, data, renderer, **kwargs) -> list[str]:
    form = (
        form_class(data, renderer=renderer, **kwargs) if data is not None else form_class(renderer=renderer, **kwargs)
    )
    if data is not None:
        form.is_valid()
    return [str(bound) + str(bound.errors) for bound in form] + [str(form.non_field_errors())]


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {
            "text": 'too <long> "x"',
            "number": "0",
            "email": "not-an-email",
            "body": "<script>alert(1)</script>\nline",
            "choice": "b",
            "grouped": "y",
            "many": ["1", "2"],
            "hidden": "h&",
            "radio": "r",
        },
        {"text": "ok", "number": "3", "email": "a@example.jp", "agree": "on", "body": "x", "grouped": "z"},
    ],
)
def test_same_markup_as_djangos_templates(data):
    assert rendered(Everything, data, FastFormRenderer()) == rendered(Everything, data, DjangoTemplates())


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_public_forms_render_the_same_in_both_languages(lang):
    fields = [ResearchField(slug="materials", name="マテリアル", name_en="Materials")]
    departments = [Department(slug="engineering", name="工学研究科", name_en="Engineering")]
    filters = {"q": "x" * 101, "field": "materials", "stage": "module", "sort": "title"}
    inquiry = {"company": "", "name": "山田", "email": "bad", "phone": "abc", "message": "<b>hi</b>"}
    with translation.override(lang):
        for data in (None, filters):
            kwargs = {"fields": fields, "departments": departments}
            assert rendered(SeedFilterForm, data, FastFormRenderer(), **kwargs) == rendered(
                SeedFilterForm, data, DjangoTemplates(), **kwargs
            )
        for data in (None, inquiry):
            assert rendered(InquiryForm, data, FastFormRenderer()) == rendered(InquiryForm, data, DjangoTemplates())
