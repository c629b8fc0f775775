"""Settings shared by every environment.

Everything that differs between machines comes from the environment; the
defaults run the whole site on one machine with no services (SQLite, database
search, immediate tasks, console e-mail, local media). README.md lists every
variable.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent.parent  # the repository root


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "django-insecure-kyoso-development-key-change-me")
DEBUG = env_bool("DEBUG", False)

# The site's one public base URL: links in e-mails and .ics files, sitemaps, robots.txt,
# canonical and hreflang links; Wagtail's admin links (WAGTAILADMIN_BASE_URL) and the plugin
# apps take it from here, the default Wagtail Site's hostname and port follow it
# (kyoso_site.sites, after every migrate and load_demo). Without it: the address `make run`
# serves on (KYOSO_ADDR).
SITE_BASE_URL = (env("SITE_BASE_URL") or f"http://{env('KYOSO_ADDR') or '127.0.0.1:8000'}").rstrip("/")
_site = urlsplit(SITE_BASE_URL)
if _site.scheme not in {"http", "https"} or not _site.hostname or _site.path or _site.query:
    raise ImproperlyConfigured(f"SITE_BASE_URL is a scheme and host, like https://kyoso.example.jp: {SITE_BASE_URL!r}")
if _site.scheme == "https" and _site.port not in {None, 443}:
    # A Wagtail Site's root URL is https only on port 443 (wagtail.models.Site.root_url).
    raise ImproperlyConfigured(f"SITE_BASE_URL: https is served on port 443 only: {SITE_BASE_URL!r}")
# The public address is always an allowed host and a trusted origin (CSRF), besides those given.
_host = f"[{_site.hostname}]" if ":" in _site.hostname else _site.hostname
ALLOWED_HOSTS = list(dict.fromkeys([*env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]"), _host]))
CSRF_TRUSTED_ORIGINS = list(dict.fromkeys([*env_list("CSRF_TRUSTED_ORIGINS"), f"{_site.scheme}://{_site.netloc}"]))

INSTALLED_APPS = [
    # The host site
    "kyoso_site",
    "accounts",
    "home",
    "people",
    "seeds",
    "organization",
    "events",
    "inquiries",
    # The plugin apps (kyoso_core: what they share)
    "kyoso_core",
    "membership",
    "billing",
    "consortium",
    "crm",
    "search",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Background work
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kyoso_site.csp.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After AccountMiddleware: staff without MFA are sent to set it up before any admin screen.
    "accounts.middleware.StaffMFARequiredMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# Content-Security-Policy (django-csp): the site's own pages load scripts, styles,
# images and fonts from this site only and run nothing inline; embedded videos
# (seed pages' EmbedBlock) come from their providers over HTTPS; card payments
# leave for Stripe Checkout. The admins add CONTENT_SECURITY_POLICY_ADMIN_UPDATE
# (kyoso_site/csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF, "https:"],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF, "https://checkout.stripe.com"],
    },
}
# Wagtail 8's admin writes inline scripts and <style>/style="…" into its pages (and its
# editor adds <style> elements as it runs); that is all it needs beyond the policy
# above: no 'unsafe-eval', nothing from other sites (tests/browser/test_csp.py).
CONTENT_SECURITY_POLICY_ADMIN_UPDATE = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
}

ROOT_URLCONF = "kyoso_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "kyoso_site.context_processors.chrome",
            ],
        },
    },
]

WSGI_APPLICATION = "kyoso_site.wsgi.application"

# Database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL says so.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer commits; IMMEDIATE takes the
        # write lock at BEGIN so concurrent writers wait instead of failing.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Cache: the database, so that rate limits hold across processes with no
# extra service. Production may point CACHE_URL-style settings elsewhere.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kyoso_cache",
    },
    # Rendered fragments (seed cards), per process: their keys name the
    # version of what they show, so no process can serve another's stale copy.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kyoso-fragments",
        "TIMEOUT": 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    # What previews and pages under a view restriction render with instead:
    # nothing is read or kept (kyoso_site.fragments.cache_alias).
    "uncached": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    # Wagtail looks each rendition up in this cache and writes it back on every
    # {% image %}; in the database cache that is five queries per image on the page
    # (a seed figure took the seed page from 8 to 15). A rendition row never changes
    # for its key, so a per-process copy is safe.
    "renditions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kyoso-renditions",
        "TIMEOUT": 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

# Languages: Japanese first, English second.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
# site/wagtail_locale: Japanese for Wagtail admin strings its own ja catalogue lacks.
LOCALE_PATHS = [PROJECT_DIR.parent / "locale", PROJECT_DIR.parent / "wagtail_locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static and media files
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded media in an S3 (or S3-compatible) bucket through django-storages when
# AWS_STORAGE_BUCKET_NAME is set, else under MEDIA_ROOT. boto3 finds the credentials its
# usual way (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the machine's role).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN") or None,
            # Plain URLs for images (pages and their cached fragments keep them), and an
            # upload never replaces another file of the same name.
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    # Documents are streamed by Wagtail's view after its privacy check, never linked to
    # the bucket: the bucket must not serve documents/ publicly (README, "Deploying").
    WAGTAILDOCS_SERVE_METHOD = "serve_view"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Serve Wagtail's images from MEDIA_ROOT through Django (the demo: settings/dev.py). Production
# serves media from its own storage. Documents are never served from here: Wagtail's
# /documents/ view checks their collection's privacy first.
SERVE_MEDIA = False

# E-mail: console by default; SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Kyoso <noreply@kyoso.example.jp>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Background work: immediate by default; TASKS_BACKEND=database queues tasks
# for `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if env("TASKS_BACKEND", "immediate") == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# Search: the database backend by default, Elasticsearch 8 when configured.
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "modelsearch.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX": env("ELASTICSEARCH_INDEX", "kyoso"),
            "TIMEOUT": 10,
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "modelsearch.backends.database"}}

# Wagtail
WAGTAIL_SITE_NAME = "Kyoso"
# The admin loads nothing from other sites: no Gravatar (it would send a hash of each
# staff member's address to a third party), no check for new Wagtail releases.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = SITE_BASE_URL
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Every login is allauth's; kyoso_site.urls also routes Wagtail's and Django's own
# login paths to it (accounts/views.py).
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False  # allauth handles password resets
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"

# Accounts (django-allauth): e-mail login, no usernames, verified e-mail.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# Concurrent sign-ups with one address: one account (see the module).
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kyoso] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")
# Failed logins are counted per account ("key") as well as per IP, so rotating
# X-Forwarded-For does not buy more guesses. The database cache makes the counts
# shared by every web process.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/15m/key",
}
# Behind a load balancer set TRUSTED_PROXY_COUNT=1 so the client IP is read from
# X-Forwarded-For; by default it is REMOTE_ADDR. allauth's sign-in limits and the
# inquiry and event-registration limits (kyoso_core.ratelimit) all count by it.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_CHANGE_EMAIL = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Kyoso"
MFA_RECOVERY_CODE_COUNT = 10

# The apps' own settings (MEMBERSHIP_*, BILLING_*, EVENTS_*, INQUIRIES_*, ACCOUNTS_*) and
# their defaults are documented once, in each app's app_settings.py. Those an operator may
# set from the environment are taken from it here only when the variable is set.
if env("MEMBERSHIP_PRORATION"):
    MEMBERSHIP_PRORATION = env("MEMBERSHIP_PRORATION")
if env("MEMBERSHIP_GRACE_DAYS"):
    MEMBERSHIP_GRACE_DAYS = int(env("MEMBERSHIP_GRACE_DAYS"))
if env("BILLING_TAX_ROUNDING"):
    BILLING_TAX_ROUNDING = env("BILLING_TAX_ROUNDING")
if env("BILLING_DUE_DAYS"):
    BILLING_DUE_DAYS = int(env("BILLING_DUE_DAYS"))
# Billing takes part in membership's steps: it invoices an approval (in the approval's own
# transaction) and a renewal that falls due.
MEMBERSHIP_ADAPTER = "billing.integration.BillingMembershipAdapter"
# Stripe is optional (bank transfer needs no keys). STRIPE_SECRET_KEY and the other
# unprefixed names are the old ones, still read.
BILLING_STRIPE_SECRET_KEY = env("BILLING_STRIPE_SECRET_KEY") or env("STRIPE_SECRET_KEY")
BILLING_STRIPE_PUBLISHABLE_KEY = env("BILLING_STRIPE_PUBLISHABLE_KEY") or env("STRIPE_PUBLISHABLE_KEY")
BILLING_STRIPE_WEBHOOK_SECRET = env("BILLING_STRIPE_WEBHOOK_SECRET") or env("STRIPE_WEBHOOK_SECRET")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # One line per task and per page action drowns what matters.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
