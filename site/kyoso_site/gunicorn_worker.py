"""gunicorn's gthread worker, with new connections spread evenly over the workers.

Every gthread worker waits on the same listening socket, and a kept-alive connection
stays with the worker that accepted it. When a client (or a load balancer) opens its
connections in a burst, whichever worker wakes first accepts most of them: 20 at once
split 18 / 2, 13 / 7, 12 / 8 in the webhook benchmark. Both workers then get the same
share of the CPUs and answer about as many requests per second, so the requests on the
crowded worker wait ~2x as long (bench/webhooks/README.md).

So a worker that already holds as many connections as it has threads does not accept
the next one at once: it stops listening for a moment that grows with the connections
it holds, and takes the connection afterwards if no other worker did meanwhile. The
worker with fewer connections is back first and wins it. Nothing is refused or lost: a
connection waits in the listen backlog for at most `MAX_DEFER` seconds. With one worker,
or below `threads` connections, a connection is accepted at once, as by gthread.
"""

import sys
import time

from gunicorn.workers.gthread import ThreadWorker

# Seconds of deferral per connection held beyond `threads`: a GIL switch interval, the
# time a busy worker's main thread may wait to run at all, so that one connection more
# is a difference the other worker can win by.
STEP = sys.getswitchinterval()
MAX_DEFER = 0.05


class BalancedThreadWorker(ThreadWorker):
    """gthread, deferring `accept` in proportion to the connections held (see module doc)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._accept_resume_at = 0.0  # while in the future, not listening
        self._accept_now = False  # the pause just ended: take what is waiting

    def accept_defer(self) -> float:
        """Seconds to wait before accepting one more connection (0: accept now)."""
        excess = self.nr_conns - self.cfg.threads + 1
        if self.cfg.workers < 2 or excess <= 0:
            return 0.0
        return min(MAX_DEFER, STEP * excess)

    def accept(self, listener):
        if not self._accept_now:
            defer = self.accept_defer()
            if defer:
                self._accept_resume_at = time.monotonic() + defer
                self.set_accept_enabled(False)
                return
        self._accept_now = False
        super().accept(listener)

    def set_accept_enabled(self, enabled):
        # The run loop re-enables accepting whenever it is below worker_connections; not
        # during a pause.
        if enabled and self._accept_resume_at:
            return
        super().set_accept_enabled(enabled)

    def wait_for_and_dispatch_events(self, timeout):
        if self._accept_resume_at:
            remaining = self._accept_resume_at - time.monotonic()
            if remaining > 0:
                timeout = min(timeout, remaining)
            else:
                self._accept_resume_at = 0.0
                if self.alive and self.nr_conns < self.worker_connections:
                    self.set_accept_enabled(True)
                    self._accept_now = True
        try:
            super().wait_for_and_dispatch_events(timeout)
        finally:
            self._accept_now = False
