"""gunicorn settings for the web process (`scripts/web` runs
`gunicorn -c deploy/gunicorn.conf.py`; the Dockerfile's command).

gunicorn's own gthread worker: each worker runs `WEB_THREADS` threads, which
overlap the requests' waits on the database. Put nginx or a load balancer in
front (TLS, slow clients); the production settings trust its X-Forwarded-Proto.

The application is loaded once in the master (`preload_app`) and the workers are
forked from it, so they share the pages holding the code. `gc.freeze()` in the
master keeps the workers' garbage collector from touching those objects (which
would copy the pages into each worker): the technique the documentation of
Python's `gc.freeze()` describes for a pre-forking server.

Environment: PORT (8000), WEB_CONCURRENCY (2 workers), WEB_THREADS (4),
WEB_PRELOAD (1; 0 loads the application in each worker, as gunicorn does by
default: more memory, but `kill -HUP` then reloads the code).
"""

import gc
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
accesslog = "-"
pythonpath = "site"
wsgi_app = "kyoso_site.wsgi:application"
preload_app = os.environ.get("WEB_PRELOAD", "1").strip().lower() not in {"0", "false", "no", "off"}


def when_ready(server):
    """In the master, once the application is loaded and before the first fork."""
    if not server.cfg.preload_app:
        return
    from django.db import connections

    # A connection opened while loading would be shared by every worker's socket.
    connections.close_all()
    gc.freeze()
    server.log.info("Application preloaded; %d objects frozen for the workers", gc.get_freeze_count())
