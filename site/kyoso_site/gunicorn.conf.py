"""gunicorn settings for the web process: scripts/web starts gunicorn with
`-c site/kyoso_site/gunicorn.conf.py` (and Python's -OO, see there) for the
Dockerfile, compose.yaml and the benchmarks.

The application is loaded once in the master (preload) and the workers are
forked from it, so the code and the objects made at start-up are pages the
workers share instead of one copy each. gc.freeze() keeps the workers'
garbage collector off those objects: otherwise its first full collection
writes to every object's header and each worker ends up with its own copy of
the pages anyway. Each worker does the same with what its first requests
build (templates, caches), then collects after every response (post_request
below); the master, and each worker at its freeze and every 200 requests, hand
the C heap's free pages back (malloc_trim). bench/README.md ("Worker memory")
has the figures.

Environment: PORT (8000), WEB_CONCURRENCY (2 workers), WEB_THREADS (4),
WEB_PRELOAD (1; 0 loads the application in each worker, as gunicorn does by
default: slower start, more memory, but `kill -HUP` then reloads the code).
"""

import ctypes
import gc
import os
import sys

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads overlap the requests' database waits (a commit waits for the WAL flush); keep-alive
# connections from the load balancer are reused. gthread, except that connections opened
# in a burst are spread evenly over the workers instead of mostly going to the one that woke
# first (kyoso_site/gunicorn_worker.py; bench/webhooks/README.md).
worker_class = "kyoso_site.gunicorn_worker.BalancedThreadWorker"
threads = int(os.environ.get("WEB_THREADS", "4"))
accesslog = "-"
pythonpath = "site"
wsgi_app = "kyoso_site.wsgi:application"
preload_app = os.environ.get("WEB_PRELOAD", "1").strip().lower() not in {"0", "false", "no", "off"}


def release_free_heap():
    """Give the C heap's free pages back to the system (glibc's malloc_trim):
    what start-up or the first requests allocated and freed would otherwise
    stay resident in every worker. Nothing to do on another C library."""
    try:
        malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return
    malloc_trim(0)


def when_ready(server):
    """In the master, after the application is loaded and before the first
    fork: what every request needs anyway is loaded here once, then frozen."""
    if not server.cfg.preload_app:
        return
    from django.conf import settings
    from django.db import connections
    from django.urls import get_resolver
    from django.utils import translation
    from wagtail import hooks

    # Otherwise each worker does these on its first request, each in its own
    # memory: the URLconf and the reverse() tables (the whole admin URLconf
    # and what it imports); every app's wagtail_hooks, which Wagtail imports
    # at the first hook lookup (the admin's views and its API, ~400 modules);
    # the translation catalogues.
    get_resolver()._populate()
    hooks.search_for_hooks()
    for language, _name in settings.LANGUAGES:
        translation.activate(language)
    translation.deactivate()
    # A connection opened while loading would be shared by every worker's socket.
    connections.close_all()
    gc.collect()
    release_free_heap()
    gc.freeze()
    server.log.info(
        "Application preloaded; %d objects frozen for the workers (python optimize=%d)",
        gc.get_freeze_count(),
        sys.flags.optimize,
    )


# Requests after which a worker freezes what it has built (compiled templates,
# the fragment and chrome caches), as the master froze its start-up objects.
WORKER_FREEZE_AFTER = 10
# Requests between two hand-backs of the C heap's free pages (malloc_trim, 0.1-0.4 ms).
WORKER_TRIM_EVERY = 200


def post_request(worker, req, environ, resp):
    """Collect each request's reference cycles as soon as it is answered.

    Left to the collector's own schedule, they wait in the oldest generation
    for many requests, and the heap grows to hold them: about 5 MB per worker
    under load (bench/README.md, "Worker memory"). A full collection walks
    every object not frozen, so after its first requests (~6 ms each) the
    worker freezes what they built: from then on a collection only walks the
    last request's objects (~0.3 ms). Every WORKER_TRIM_EVERY requests the C
    heap's free pages go back to the system: what the requests freed between
    long-lived allocations stays resident otherwise (3-9 MB per worker)."""
    served = getattr(worker, "kyoso_requests", 0) + 1
    worker.kyoso_requests = served
    gc.collect()
    if served >= WORKER_FREEZE_AFTER and not getattr(worker, "kyoso_frozen", False):
        gc.freeze()
        release_free_heap()
        worker.kyoso_frozen = True
    elif served % WORKER_TRIM_EVERY == 0:
        release_free_heap()
