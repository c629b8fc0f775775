"""A fixed-window rate limit kept in the default cache (the database, so it
holds across processes and machines with no extra service)."""

import hashlib
import time

from django.core.cache import cache


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a
    # trusted proxy rewrites it, and then the proxy should set REMOTE_ADDR.
    return request.META.get("REMOTE_ADDR") or "unknown"


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
