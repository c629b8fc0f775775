"""Local development and the demo (`make run`, manage.py's default): everything
embedded, DEBUG off unless DEBUG=1.

DEBUG's error pages show the settings, the environment and what was posted
(passwords too), and its 404 page lists every URL pattern: a demo reachable by
others must not show them, so DEBUG is an opt-in for a developer's own machine."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", False)

# Static files without collectstatic: WhiteNoise (already in MIDDLEWARE) serves them
# from the apps' static folders as Django's finders find them (its default only under DEBUG).
WHITENOISE_USE_FINDERS = True

# Uploaded images through Django's static file view (kyoso_site.urls); never in production.
SERVE_MEDIA = True

# The demo content and its administrator (manage.py load_demo, ensure_admin; make run).
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
