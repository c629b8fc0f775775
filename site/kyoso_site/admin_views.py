"""Shared pieces of the Wagtail admin screens that change a record through a service."""

from django import forms
from wagtail.admin.views.generic import EditView


class ServiceEditView(EditView):
    """An edit screen whose `save_instance` calls a service. When the service refuses, it adds
    the reason to the form and raises `forms.ValidationError`; the form is then shown again
    with that message, as Wagtail does when the form itself does not validate (not a 500)."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except forms.ValidationError:
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
