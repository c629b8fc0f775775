from wagtail import hooks

from .admin_views import inquiry_viewset
from .forms import InquiryForm
from .views import FORM_MARKER, handle_seed_inquiry


@hooks.register("register_admin_viewset")
def register_inquiry_viewset():
    return inquiry_viewset


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
