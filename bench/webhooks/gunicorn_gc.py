"""gunicorn settings for the garbage collector (`gunicorn -c bench/webhooks/gunicorn_gc.py`),
a lever of bench/webhooks/run.py (`--gc-tuning`), measured and NOT adopted: the webhook
acknowledgement triggers no collection at all (its garbage goes by reference counting), so
for it this changes nothing. Kept to measure again if pages share the workers.

With `--preload` the master imports Django, Wagtail and every app before it forks:
several hundred thousand long-lived objects. Each worker's full (generation 2) collection
walks all of them, a pause of tens of milliseconds that lands on whichever requests are
in flight, and touching them copies the shared pages into every worker. Freezing them in
the master moves them to a permanent generation that collections skip; a higher
generation-0 threshold then collects the short-lived per-request garbage less often, in
the same total work. Measured in bench/webhooks/README.md.
"""

import gc

# Allocations minus deallocations before a generation-0 collection (Python's default: 700);
# generations 1 and 2 keep their defaults (every 10th collection of the one below).
GEN0_THRESHOLD = 50_000


def when_ready(server):
    # The master, after --preload imported the application and before the first fork.
    gc.collect()
    gc.freeze()


def post_fork(server, worker):
    gc.set_threshold(GEN0_THRESHOLD, *gc.get_threshold()[1:])
