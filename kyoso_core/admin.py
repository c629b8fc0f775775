"""What every app's admin screens share: the permission policy of records that only a
service writes, the read-only viewset, and the edit screen that saves through a service.

Each app keeps its viewsets, views and forms in `admin_views.py` (as Wagtail's own
`wagtail/sites/views.py`) and registers them, with this policy, in `wagtail_hooks.py`."""

from django import forms
from django.urls import path
from django.utils.text import capfirst
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import EditView, HistoryView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from .exports import ExportIndexView
from .money import format_yen


class ServiceRecordPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, except that nobody adds or copies a record in the admin's
    generic screens: these records are created only by a service (an inquiry through the
    public form, a registration through the event page, an invoice when a membership is
    approved). Register it in the app's `wagtail_hooks.py`, before its viewsets::

        register_permission_policy(Inquiry, ServiceRecordPermissionPolicy(Inquiry), exact_class=True)

    The `add` permission itself keeps its meaning for the app's own views (for example
    `billing.add_payment` lets the finance staff record a bank transfer)."""

    refused_actions = frozenset({"add", "copy"})

    def user_has_permission(self, user, action):
        if action in self.refused_actions:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.refused_actions])


class YenColumn(Column):
    """A listing column of an amount in integer yen, shown as people read it (¥110,000).
    Sortable by `name` when that is a field: `YenColumn("total", label=_("total"), sort_key="total")`."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = format_yen(context["raw_value"]) or self.empty_value_display
        return context


def yen_column(model, field_name: str) -> YenColumn:
    """The listing column of `model`'s amount field `field_name`, labelled and sorted by the field."""
    label = capfirst(model._meta.get_field(field_name).verbose_name)
    return YenColumn(field_name, label=label, sort_key=field_name)


class ReadOnlyHistoryView(HistoryView):
    # Wagtail's history screen asks for add, change or delete; on a read-only listing
    # whoever may see the records may see their history.
    any_permission_required = ["add", "change", "delete", "view"]


class ReadOnlyViewSet(ModelViewSet):
    """Listing, filters, export, inspect and history; no generic add, edit, copy or delete
    screens (a service writes these records). Subclasses add their action views to
    `get_urlpatterns()`."""

    inspect_view_enabled = True
    copy_view_enabled = False
    history_view_class = ReadOnlyHistoryView
    # Its export opens in Japanese Excel.
    index_view_class = ExportIndexView

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, edit_url_name=None, delete_url_name=None)
        return view_kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
            path("usage/<int:pk>/", self.usage_view, name="usage"),
        ]


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
