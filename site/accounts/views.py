"""The project's only login form is allauth's: its MFA stage, its rate limits and its
e-mail verification apply to everyone. Wagtail's admin, Wagtail's front-end page
restrictions and Django's admin each serve a password form of their own at a URL
their packages reverse (`wagtailadmin_login`, `wagtailcore_login`, `admin:login`);
kyoso_site.urls routes those paths here, before the packages' own URL patterns, so
that the forms are never served and a password posted to them signs nobody in."""

from allauth.account.decorators import secure_admin_login
from allauth.account.utils import get_next_redirect_url
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache


def _to_allauth_login(request: HttpRequest, default_next: str) -> HttpResponse:
    """Anonymous visitors go to allauth's login, keeping where they were going
    (only a `next` on this site); signed-in users go straight on."""
    next_url = get_next_redirect_url(request) or default_next
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url)
    login_url = resolve_url(settings.LOGIN_URL)
    return HttpResponseRedirect(f"{login_url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


@never_cache
def wagtail_admin_login(request: HttpRequest) -> HttpResponse:
    """`/admin/login/`. A signed-in user without access to Wagtail's admin never gets
    here: accounts.middleware answers them with a 403 page first."""
    return _to_allauth_login(request, default_next="/admin/")


@never_cache
@secure_admin_login
def django_admin_login(request: HttpRequest) -> HttpResponse:
    """`/django-admin/login/`. allauth's `secure_admin_login` sends anonymous visitors
    to its login and refuses signed-in users who are not active staff (Django's admin
    would send them back here: a loop); active staff go on to `next`."""
    return HttpResponseRedirect(get_next_redirect_url(request) or resolve_url("admin:index"))


@never_cache
def frontend_login(request: HttpRequest) -> HttpResponse:
    """Wagtail's front-end login (`/<lang>/_util/login/`, for pages restricted to
    signed-in users); WAGTAIL_FRONTEND_LOGIN_URL sends those pages to allauth already."""
    return _to_allauth_login(request, default_next="/")
