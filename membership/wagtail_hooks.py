"""Staff screens in the Wagtail admin: tiers, the application queue, organizations."""

import django_filters
from django.db import transaction
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from . import services
from .admin_views import MembershipReviewView, OrganizationRecordView
from .forms import ORGANIZATION_FIELDS
from .models import Membership, MembershipStatus, Organization, Tier


class TierViewSet(ModelViewSet):
    model = Tier
    name = "membership_tier"
    icon = "tag"
    menu_label = _("Tiers")
    add_to_admin_menu = False
    list_display = ["name_ja", "name_en", "annual_fee", "seats", "consortium_eligible", "is_active"]
    list_export = [
        "name_ja",
        "name_en",
        "annual_fee",
        "seats",
        "members_only_seed_details",
        "consortium_eligible",
        "consortium_fee_discount_percent",
        "event_tickets",
        "is_active",
    ]
    form_fields = [
        "name_ja",
        "name_en",
        "annual_fee",
        "seats",
        "benefits_ja",
        "benefits_en",
        "members_only_seed_details",
        "consortium_eligible",
        "consortium_fee_discount_percent",
        "event_tickets",
        "sort_order",
        "is_active",
    ]
    copy_view_enabled = False


class MembershipFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MembershipStatus.choices)
    tier = django_filters.ModelChoiceFilter(label=_("Tier"), queryset=Tier.objects.all())
    location = django_filters.ChoiceFilter(
        label=_("Domestic or foreign"),
        choices=[("domestic", _("Domestic")), ("foreign", _("Foreign"))],
        method="filter_location",
    )

    class Meta:
        model = Membership
        fields = ["status", "tier"]

    def filter_location(self, queryset, name, value):
        if value == "domestic":
            return queryset.filter(organization__country__iexact="JP")
        if value == "foreign":
            return queryset.exclude(organization__country__iexact="JP")
        return queryset


class ApplicationIndexView(IndexView):
    def get_edit_url(self, instance):
        # The row opens the review screen: memberships change only through transitions.
        return self.get_inspect_url(instance)


class MembershipViewSet(ModelViewSet):
    """The application queue. No add/edit/delete: state changes are transitions."""

    model = Membership
    name = "membership_application"
    icon = "form"
    menu_label = _("Applications")
    add_to_admin_menu = False
    index_view_class = ApplicationIndexView
    inspect_view_class = MembershipReviewView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = MembershipFilterSet
    list_display = ["organization", "tier", "status", "applied_at", "term_start", "fee"]
    list_export = [
        "organization",
        "organization.corporate_number",
        "organization.country",
        "tier",
        "status",
        "applied_at",
        "term_start",
        "term_end",
        "fee",
    ]
    export_headings = {
        "organization.corporate_number": _("Corporate number"),
        "organization.country": _("Country"),
    }
    export_filename = "membership-applications"
    form_fields = ["tier"]  # never served: the add and edit URLs are not registered

    def get_queryset(self, request):
        return Membership.objects.select_related("organization", "tier")

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update({"add_url_name": None, "edit_url_name": None, "delete_url_name": None})
        return view_kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]


class OrganizationEditView(EditView):
    def save_instance(self):
        with transaction.atomic():
            instance = super().save_instance()
            services.organization_announce_update(
                organization=instance, changed=list(self.form.changed_data), by=self.request.user
            )
        return instance


class OrganizationViewSet(ModelViewSet):
    model = Organization
    name = "membership_organization"
    icon = "group"
    menu_label = _("Organizations")
    add_to_admin_menu = False
    inspect_view_class = OrganizationRecordView
    edit_view_class = OrganizationEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["legal_name", "name_en", "corporate_number", "country", "industry", "created_at"]
    list_filter = ["country", "industry", "size_band"]
    search_fields = ["legal_name", "legal_name_kana", "name_en", "corporate_number"]
    list_export = [
        "legal_name",
        "legal_name_kana",
        "name_en",
        "corporate_number",
        "invoice_registration_number",
        "country",
        "address",
        "industry",
        "size_band",
        "billing_contact_name",
        "billing_contact_email",
        "created_at",
    ]
    export_filename = "member-organizations"
    form_fields = ORGANIZATION_FIELDS


class MembershipGroup(ModelViewSetGroup):
    menu_label = _("Membership")
    menu_icon = "group"
    menu_order = 250
    items = (MembershipViewSet, OrganizationViewSet, TierViewSet)


@hooks.register("register_admin_viewset")
def register_membership_viewsets():
    return MembershipGroup()
