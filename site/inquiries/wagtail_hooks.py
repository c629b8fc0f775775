"""Registers the staff inbox (inquiries.admin_views) with its permission policy (inquiries
arrive only through the public form), and the seed page's inquiry form handler."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from kyoso_core.admin import ServiceRecordPermissionPolicy

from .admin_views import InquiryViewSet
from .dashboard import NewInquiriesPanel
from .forms import InquiryForm
from .models import Inquiry
from .views import FORM_MARKER, handle_seed_inquiry

register_permission_policy(Inquiry, ServiceRecordPermissionPolicy(Inquiry), exact_class=True)


@hooks.register("register_admin_viewset")
def register_inquiry_viewset():
    return InquiryViewSet()


@hooks.register("before_serve_page")
def seed_inquiry_post(page, request, serve_args, serve_kwargs):
    if (
        request.method == "POST"
        and request.POST.get(FORM_MARKER) == InquiryForm.form_id
        and page.specific_class is not None
        and page.specific_class._meta.label == "seeds.SeedPage"
    ):
        return handle_seed_inquiry(request, page.specific)
    return None


@hooks.register("construct_homepage_panels")
def add_new_inquiries_panel(request, panels):
    NewInquiriesPanel.add_to(panels, request)
