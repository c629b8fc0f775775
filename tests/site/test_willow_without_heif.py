"""Unless HEIC uploads are allowed, Willow is imported as if pillow_heif were
missing (kyoso_site/lazy_imports.py), so a web process does not load libheif;
with "heic" in WAGTAILIMAGES_EXTENSIONS nothing changes."""

import inspect
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images.forms import get_image_form
from wagtail.images.models import Image
from willow.plugins import pillow as willow_pillow

from tests.fresh_process import run_in_fresh_process


def test_willow_still_imports_pillow_heif_the_way_this_was_written_for():
    """An upgrade of Willow that changes this import fails here: check that
    lazy_imports.import_willow still makes Willow take its own fallback."""
    fallback = "try:\n    from pillow_heif import HeifImagePlugin  # noqa: F401\nexcept ImportError:\n    pass\n"
    assert fallback in inspect.getsource(willow_pillow)


def _fresh_process(extra: str = "") -> list[str]:
    code = (
        "import sys; from django.conf import settings;"
        f"{extra}"
        "import django; django.setup();"
        "from django.urls import get_resolver; get_resolver()._populate();"
        "from wagtail import hooks; hooks.search_for_hooks();"
        "print('pillow_heif' in sys.modules)"
    )
    return run_in_fresh_process(code)


def test_a_web_process_loads_no_heif_library_while_heic_uploads_are_not_allowed():
    assert _fresh_process() == ["False"]


def test_a_site_that_allows_heic_uploads_gets_willows_heif_support():
    extensions = "['avif', 'gif', 'jpg', 'jpeg', 'png', 'webp', 'heic']"
    assert _fresh_process(f"settings.WAGTAILIMAGES_EXTENSIONS = {extensions};") == ["True"]


def _image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.django_db
def test_images_still_upload_and_render_and_a_heic_upload_gets_wagtails_message(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    form_class = get_image_form(Image)
    for name, fmt in (("figure.jpg", "JPEG"), ("figure.avif", "AVIF")):
        upload = SimpleUploadedFile(name, _image_bytes(fmt))
        form = form_class({"title": name}, {"file": upload})
        assert form.is_valid(), form.errors
        image = form.save()
        assert image.get_rendition("fill-20x20").width == 20

    form = form_class({"title": "photo"}, {"file": SimpleUploadedFile("photo.heic", _image_bytes("JPEG"))})
    assert not form.is_valid()
    # Wagtail's own refusal, naming the formats it accepts.
    assert "HEIC" not in str(form.errors["file"]) and "AVIF" in str(form.errors["file"]).upper()
