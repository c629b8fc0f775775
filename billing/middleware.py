"""A short way in for payment providers' webhooks.

A webhook delivery is a machine talking to a machine: no session, no language, no CSRF
token, no user, no redirect rule applies to it, and the sender waits for the
acknowledgement. So this middleware, placed near the top of MIDDLEWARE, hands exactly the
paths of `billing.webhook_urls` (wherever the site mounts them) to their views, and
everything else on down the stack:

    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "billing.middleware.WebhookFastPathMiddleware",
        ...
    ]

Django's request object and the views' own decorators stay as they are. An exception from
the view becomes a short plain-text 4xx/5xx, logged the way Django logs it (`django.request`
and `got_request_exception`), never an HTML error page rendered for a machine.
"""

import logging

from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import NoReverseMatch, ResolverMatch, get_script_prefix, resolve, reverse
from django.utils.log import log_response

WEBHOOK_NAMESPACE = "billing_webhooks"


def _webhook_routes() -> dict[str, ResolverMatch]:
    """path_info → the URLconf's own match, for each webhook URL the site has mounted."""
    from . import webhook_urls

    routes = {}
    for pattern in webhook_urls.urlpatterns:
        try:
            url = reverse(f"{WEBHOOK_NAMESPACE}:{pattern.name}")
        except NoReverseMatch:  # not mounted by this site, or takes arguments
            continue
        path_info = "/" + url.removeprefix(get_script_prefix())
        routes[path_info] = resolve(path_info)
    return routes


class WebhookFastPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.routes: dict[str, ResolverMatch] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.routes is None:
            # Built on the first request: the URLconf may import models, which is not
            # allowed while the middleware chain is being set up.
            self.routes = _webhook_routes()
        match = self.routes.get(request.path_info)
        if match is None:
            return self.get_response(request)
        request.resolver_match = match
        try:
            # ALLOWED_HOSTS holds here too (CommonMiddleware would have checked it): DisallowedHost is a 400.
            request.get_host()
            response = match.func(request, *match.args, **match.kwargs)
        except Exception as exc:
            response = _plain_error_response(request, exc)
        if not response.streaming and not response.has_header("Content-Length"):
            # As CommonMiddleware would: without it the server falls back to chunked encoding.
            response.headers["Content-Length"] = str(len(response.content))
        return response


def _plain_error_response(request: HttpRequest, exc: Exception) -> HttpResponse:
    """What Django's response_for_exception decides, as text/plain for a machine."""
    if isinstance(exc, Http404):
        status, text = 404, "not found"
    elif isinstance(exc, PermissionDenied):
        status, text = 403, "forbidden"
    elif isinstance(exc, (BadRequest, MultiPartParserError)):
        status, text = 400, "bad request"
    elif isinstance(exc, SuspiciousOperation):
        # For example a body over DATA_UPLOAD_MAX_MEMORY_SIZE: a security log line, as Django writes it.
        logging.getLogger(f"django.security.{exc.__class__.__name__}").error(
            str(exc), exc_info=exc, extra={"status_code": 400, "request": request}
        )
        return HttpResponse("bad request", status=400, content_type="text/plain")
    else:
        # A 5xx makes the provider deliver again later, when the cause (say, the database) may be gone.
        signals.got_request_exception.send(sender=None, request=request)
        status, text = 500, "server error"
    response = HttpResponse(text, status=status, content_type="text/plain")
    log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request, exception=exc)
    return response
