"""Panels on the Wagtail admin's dashboard: what a group of staff must act on.

Each app offers its own panel (a `DashboardPanel` subclass) through Wagtail's
`construct_homepage_panels` hook in its wagtail_hooks.py::

    @hooks.register("construct_homepage_panels")
    def add_application_panel(request, panels):
        ApplicationsPanel.add_to(panels, request)

A panel is added only for users holding its `permission`, and shows the number
of items, the first few with a link to each, and a link to the full list.
"""

from dataclasses import dataclass

from wagtail.admin.ui.components import Component


@dataclass
class PanelItem:
    label: str
    url: str
    detail: str = ""


class DashboardPanel(Component):
    template_name = "kyoso_core/dashboard_panel.html"
    name = ""  # unique id (used in the panel's HTML id)
    heading = ""
    permission = ""  # "app_label.codename"; the panel is shown only with it
    empty_text = ""
    list_url_name = ""  # the full list (a viewset's index, with the filter applied)
    list_query = ""
    order = 90  # before Wagtail's own panels
    limit = 5

    def __init__(self, request):
        self.request = request

    @classmethod
    def add_to(cls, panels: list, request) -> None:
        """Append the panel for users allowed to act on its items."""
        if request.user.has_perm(cls.permission):
            panels.append(cls(request))

    def get_queryset(self):
        raise NotImplementedError

    def get_item(self, obj) -> PanelItem:
        raise NotImplementedError

    def get_list_url(self) -> str:
        from django.urls import reverse

        url = reverse(self.list_url_name)
        return f"{url}?{self.list_query}" if self.list_query else url

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        queryset = self.get_queryset()
        context.update(
            panel=self,
            count=queryset.count(),
            items=[self.get_item(obj) for obj in queryset[: self.limit]],
            list_url=self.get_list_url(),
        )
        return context
