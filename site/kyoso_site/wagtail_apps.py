"""Wagtail's image, document, snippet, locale and redirect apps without the
Wagtail API v3.

Wagtail 8 registers its v3 API (django-ninja and pydantic schemas for every
page, image, document and snippet type) in these apps' ready(), whether or not
the project mounts the API. This site does not mount it (kyoso_site/urls.py
has no `wagtail.api.v3.urls`), and neither the admin's screens nor its
JavaScript call it: the admin's own API (`/admin/api/`, the page explorer) is
the v2 one, registered by the wagtail_hooks these apps keep. Loading v3
anyway costs each web worker about 12 MB (bench/README.md, "Worker memory").

Each ready() below is Wagtail 8.0's, minus the v3 lines. UPSTREAM_READY
holds a digest of the upstream method it was copied from:
tests/site/test_wagtail_apps.py fails when a Wagtail upgrade changes one, so
the copy is compared again rather than silently drifting.
"""

from django.db.models import ForeignKey
from django.db.models.signals import post_migrate

from kyoso_site import lazy_imports

# Before wagtail.images.apps (through its checks) imports Willow: see lazy_imports.
lazy_imports.import_willow()

from wagtail.contrib.redirects.apps import WagtailRedirectsAppConfig  # noqa: E402
from wagtail.documents.apps import WagtailDocsAppConfig  # noqa: E402
from wagtail.images.apps import WagtailImagesAppConfig  # noqa: E402
from wagtail.locales.apps import WagtailLocalesAppConfig  # noqa: E402
from wagtail.snippets.apps import WagtailSnippetsAppConfig  # noqa: E402


class ImagesConfig(WagtailImagesAppConfig):
    def ready(self):
        from wagtail.admin.compare import register_comparison_class
        from wagtail.admin.forms.models import register_form_field_override
        from wagtail.admin.ui.fields import register_display_class
        from wagtail.images import get_image_model, get_permission_policy
        from wagtail.images.components import ImageDisplay
        from wagtail.images.edit_handlers import ImageFieldComparison
        from wagtail.images.signal_handlers import register_signal_handlers
        from wagtail.images.widgets import AdminImageChooser
        from wagtail.models.reference_index import ReferenceIndex
        from wagtail.permissions import register_permission_policy

        Image = get_image_model()
        register_permission_policy(Image, get_permission_policy())
        register_signal_handlers()
        register_form_field_override(ForeignKey, to=Image, override={"widget": AdminImageChooser})
        register_comparison_class(ForeignKey, to=Image, comparison_class=ImageFieldComparison)
        register_display_class(ForeignKey, to=Image, display_class=ImageDisplay)
        ReferenceIndex.register_model(Image)


class DocumentsConfig(WagtailDocsAppConfig):
    def ready(self):
        from wagtail.admin.ui.fields import register_display_class
        from wagtail.documents import get_document_model, get_permission_policy
        from wagtail.documents.components import DocumentDisplay
        from wagtail.documents.signal_handlers import register_signal_handlers
        from wagtail.models.reference_index import ReferenceIndex
        from wagtail.permissions import register_permission_policy

        Document = get_document_model()
        register_permission_policy(Document, get_permission_policy())
        register_signal_handlers()
        register_display_class(ForeignKey, to=Document, display_class=DocumentDisplay)
        ReferenceIndex.register_model(Document)


class SnippetsConfig(WagtailSnippetsAppConfig):
    def ready(self):
        from wagtail.snippets.models import create_extra_permissions, register_deferred_snippets

        register_deferred_snippets()
        post_migrate.connect(create_extra_permissions, sender=self)


class LocalesConfig(WagtailLocalesAppConfig):
    def ready(self):
        pass  # upstream registers only the v3 locales router


class RedirectsConfig(WagtailRedirectsAppConfig):
    def ready(self):
        from wagtail.contrib.redirects.models import Redirect
        from wagtail.contrib.redirects.signal_handlers import (
            autocreate_redirects_on_page_move,
            autocreate_redirects_on_slug_change,
        )
        from wagtail.permissions import register_permission_policy
        from wagtail.signals import page_slug_changed, post_page_move

        register_permission_policy(Redirect)
        post_page_move.connect(autocreate_redirects_on_page_move)
        page_slug_changed.connect(autocreate_redirects_on_slug_change)


# sha256 of inspect.getsource(<upstream AppConfig>.ready), Wagtail 8.0.1.
UPSTREAM_READY: dict[type, str] = {
    WagtailImagesAppConfig: "52e409385bb1ad6269ea4d3e46918062ec1b167f9667b89fc6581a4d79c31aa2",
    WagtailDocsAppConfig: "4cdf87a46dbf81efa9910450b8a0756c0474db373c840e42180c24936737ac6d",
    WagtailSnippetsAppConfig: "1ac35b5ed40349560ef6772c940e99518fb6b96c9700e505fade4d7f289785e2",
    WagtailLocalesAppConfig: "212230a703ac39a7c0ce73aac78ab0e72a8ac96c7e8ca257da797e8c2302bd2b",
    WagtailRedirectsAppConfig: "19d1a78049d84e479ad274b23b38dd533bfe9d897661912593ec0b2c293881e9",
}
