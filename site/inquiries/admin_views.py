"""The staff inbox: a Wagtail ModelViewSet whose edit screen only changes the
status, through the service, so every change leaves a history row."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from kyoso_core.admin import ServiceEditView
from kyoso_core.exports import ExportIndexView

from .models import Inquiry
from .services import InquiryTransitionError, inquiry_set_status


class InquiryStatusForm(WagtailAdminModelForm):
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, help_text=_("Why the status changes (kept in the history).")
    )

    class Meta:
        model = Inquiry
        fields = ["status"]


class InquiryEditView(ServiceEditView):
    def save_instance(self):
        try:
            return inquiry_set_status(
                inquiry=self.object,
                status=self.form.cleaned_data["status"],
                by=self.request.user,
                note=self.form.cleaned_data.get("note", ""),
            )
        except InquiryTransitionError as exc:
            self.form.add_error("status", str(exc))
            raise forms.ValidationError(str(exc)) from exc


class InquiryInspectView(InspectView):
    def get_field_label(self, field_name, field):
        if field_name == "status_changes":
            return _("Status history")
        return super().get_field_label(field_name, field)


class InquiryViewSet(ModelViewSet):
    name = "inquiries"
    url_prefix = "inquiries"
    model = Inquiry
    icon = "mail"
    menu_label = _("Inquiries")
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "created_at",
        "status",
        "seed",
        "seed_title",
        "language_code",
        "company",
        "name",
        "email",
        "phone",
        "message",
        "consent_given_at",
        "privacy_page",
        "privacy_revision",
        "source",
        "handled_by",
        "handled_at",
        "status_changes",
    ]
    index_view_class = ExportIndexView
    edit_view_class = InquiryEditView
    inspect_view_class = InquiryInspectView
    list_display = ["company", "name", "seed_title", "status", "language_code", "created_at"]
    list_filter = ["status", "language_code", "source"]
    search_fields = ["company", "name", "email", "message", "seed_title"]
    list_export = [
        "pk",
        "created_at",
        "status",
        "seed_title",
        "seed_id",
        "language_code",
        "company",
        "name",
        "email",
        "phone",
        "message",
        "consent_given_at",
        "privacy_revision_id",
        "source",
        "handled_by",
        "handled_at",
    ]
    export_headings = {"pk": "ID", "seed_id": _("seed ID"), "privacy_revision_id": _("privacy policy revision")}
    export_filename = "inquiries"
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("company", read_only=True), FieldPanel("name", read_only=True)]),
                    FieldRowPanel([FieldPanel("email", read_only=True), FieldPanel("phone", read_only=True)]),
                    FieldPanel("seed_title", read_only=True),
                    FieldPanel("message", read_only=True),
                    FieldRowPanel(
                        [FieldPanel("created_at", read_only=True), FieldPanel("consent_given_at", read_only=True)]
                    ),
                ],
                heading=_("Inquiry"),
            ),
            FieldPanel("status"),
            FieldPanel("note"),
        ],
        base_form_class=InquiryStatusForm,
    )
