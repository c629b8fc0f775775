"""Registrations in the admin: who comes to which event, exportable as CSV/XLSX.

The edit screen changes only the status, through the service, so every
change keeps the capacity rule and leaves a history row (who, when, why)
that the inspect screen shows.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from kyoso_core.admin import ServiceEditView
from kyoso_core.exports import ExportIndexView

from .models import EventRegistration
from .services import EventClosed, EventFull, RegistrationTransitionError, registration_set_status


class RegistrationStatusForm(WagtailAdminModelForm):
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, help_text=_("Why the status changes (kept in the history).")
    )
    notify = forms.BooleanField(
        label=_("Tell the registrant by e-mail"),
        required=False,
        initial=True,
        help_text=_("In the language they registered in."),
    )

    class Meta:
        model = EventRegistration
        fields = ["status"]


class RegistrationEditView(ServiceEditView):
    def save_instance(self):
        data = self.form.cleaned_data
        try:
            return registration_set_status(
                registration=self.object,
                status=data["status"],
                by=self.request.user,
                note=data.get("note", ""),
                notify=data.get("notify", False),
            )
        except EventFull as exc:
            message = _("The event is full: no seat is left to confirm this registration again.")
            self.form.add_error("status", message)
            raise forms.ValidationError(message) from exc
        except EventClosed as exc:
            message = _("The event no longer exists.")
            self.form.add_error(None, message)
            raise forms.ValidationError(message) from exc
        except (RegistrationTransitionError, ValidationError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            self.form.add_error("status", messages)
            raise forms.ValidationError(messages) from exc


class RegistrationInspectView(InspectView):
    def get_field_label(self, field_name, field):
        if field_name == "status_changes":
            return _("Status history")
        return super().get_field_label(field_name, field)

    def get_status_changes_display_value(self):
        """One line per change, oldest first: when, from → to, who, why."""
        changes = self.object.status_changes.select_related("changed_by")
        return format_html("<ol>{}</ol>", format_html_join("", "<li>{}</li>", ((str(c),) for c in changes)))


class EventRegistrationViewSet(ModelViewSet):
    name = "event_registrations"
    url_prefix = "event-registrations"
    model = EventRegistration
    icon = "date"
    menu_label = _("Event registrations")
    menu_order = 260
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "created_at",
        "event",
        "status",
        "name",
        "company",
        "email",
        "language_code",
        "status_changes",
    ]
    index_view_class = ExportIndexView
    edit_view_class = RegistrationEditView
    inspect_view_class = RegistrationInspectView
    list_display = ["name", "company", "email", "event", "status", "language_code", "created_at"]
    list_filter = ["status", "language_code", "event"]
    search_fields = ["name", "company", "email"]
    list_export = [
        "pk",
        "created_at",
        "event",
        "status",
        "name",
        "company",
        "email",
        "language_code",
        "consent_given_at",
    ]
    export_headings = {"pk": "ID"}
    export_filename = "event-registrations"
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("name", read_only=True), FieldPanel("company", read_only=True)]),
                    FieldRowPanel([FieldPanel("email", read_only=True), FieldPanel("language_code", read_only=True)]),
                    FieldRowPanel([FieldPanel("event", read_only=True), FieldPanel("created_at", read_only=True)]),
                ],
                heading=_("Registration"),
            ),
            FieldPanel("status"),
            FieldPanel("note"),
            FieldPanel("notify"),
        ],
        base_form_class=RegistrationStatusForm,
    )
