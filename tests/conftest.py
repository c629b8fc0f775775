"""Fixtures shared by the whole suite."""

import os

import pytest
from hypothesis import settings as hypothesis_settings

# Playwright's sync API runs an event loop in the test thread; Django would
# otherwise refuse database access from that thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Hypothesis's per-example deadline is a timing assertion: on a loaded CI machine a
# database round trip exceeds it and a correct test fails. Speed is for bench/.
hypothesis_settings.register_profile("kyoso", deadline=None)
hypothesis_settings.load_profile("kyoso")


def pytest_collection_modifyitems(items):
    """Tests that share one xdist worker (`xdist_group`: the web process's server, about
    two minutes to set up) go first, while the other worker takes the rest; collected
    last, they would leave it idle at the end."""
    items.sort(key=lambda item: item.get_closest_marker("xdist_group") is None)


@pytest.fixture
def demo_home(db):
    """The home pages in Japanese and English, as `make run` builds them."""
    from demo.home import ensure_home

    return ensure_home()


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser (also behind `admin_client`), with the two-factor
    authentication every staff member needs before any admin screen."""
    from tests.accounts.helpers import give_mfa

    give_mfa(admin_user)
    return admin_user


@pytest.fixture(autouse=True)
def _fresh_rendition_cache():
    """Renditions are cached per process by image id and filter; a rolled-back test frees
    its image ids for the next test (SQLite reuses them), which must not find the earlier
    test's renditions."""
    from django.core.cache import caches

    caches["renditions"].clear()
    yield


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's default language. Django keeps the language a request
    activated in its thread, so without this a test would inherit the language of whatever
    request the previous test on its xdist worker made (an account created then would record
    English as its admin language)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
