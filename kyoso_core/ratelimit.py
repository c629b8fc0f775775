"""A fixed-window rate limit for public forms, kept in the default cache (the database, so
it holds across processes and machines with no extra service).

Visitors are told apart by their IP address as allauth resolves it, so the forms and the
sign-in count the same address: `REMOTE_ADDR`, or behind a load balancer the entry that
the last of `ALLAUTH_TRUSTED_PROXY_COUNT` trusted proxies added to X-Forwarded-For (the
settings read it from `TRUSTED_PROXY_COUNT`). With the default 0 the header is ignored,
so a client cannot choose its own bucket."""

import hashlib
import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import PermissionDenied


def client_address(request) -> str:
    """The client's IP address, or "unknown" when there is none (all such requests share one bucket)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"


def consume(request, *, scope: str, limit: int, period: int) -> bool:
    """Count one attempt; False when this address is over `limit` per `period` seconds."""
    window = int(time.time() // period)
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{window}:{address}"
    cache.add(key, 0, timeout=period)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        used = 1
    return used <= limit
