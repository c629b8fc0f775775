"""CPU per request for the benchmarked pages, inside one process.

Runs the bench settings against the bench database (`bench/var/bench.sqlite3`,
built by `make bench`; `BENCH_DATABASE_URL` for another one) and requests each
page through Django's WSGI handler, as gunicorn would, without the network:

    .venv/bin/python bench/profile_pages.py                 # timings only
    .venv/bin/python bench/profile_pages.py --profile home  # + cProfile
    .venv/bin/python bench/profile_pages.py --templates seed-detail

For each page: the best and median milliseconds per request over `--rounds`
rounds of `--requests` requests (after a warm-up request, so that the caches a
running site has warm are warm), and the number of SQL queries. `--profile`
prints cProfile's top functions by cumulative and by own time; `--templates`
the inclusive time spent in each template (its includes and tags counted in)
and every query with its time. `--lang en` requests the English pages.
Timings are this process's CPU time (`time.process_time`), which other
processes disturb less than wall-clock time; still, on a loaded machine
compare pages with one another and with the floor (a bare view returning the
same bytes), not with yesterday's numbers.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _environment() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")
    os.environ.setdefault("SECRET_KEY", "bench-profile-" + "x" * 40)
    os.environ.setdefault(
        "DATABASE_URL", os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{ROOT / 'bench/var/bench.sqlite3'}"
    )
    os.environ.setdefault("STATIC_ROOT", str(ROOT / "bench/var/static"))
    os.environ.setdefault("BENCH_FLOOR_DIR", str(ROOT / "bench/var/floor"))
    os.environ.setdefault("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8021")
    for path in (ROOT, ROOT / "site", ROOT / "bench"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))


def _pages(lang: str) -> dict[str, str]:
    from seeds.models import SeedPage

    seed = SeedPage.objects.filter(locale__language_code=lang).order_by("-pk").first()
    return {
        "home": f"/{lang}/",
        "seed-list": f"/{lang}/seeds/",
        "seed-list-filtered": f"/{lang}/seeds/?field=materials&stage=module&sort=title&page=3",
        "seed-detail": seed.url if seed else f"/{lang}/seeds/",
    }


class Requester:
    """GET through the WSGI handler, as a server would call it."""

    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler
        from django.test.client import RequestFactory

        self.handler = WSGIHandler()
        self.factory = RequestFactory(SERVER_NAME="127.0.0.1", SERVER_PORT="8021")

    def get(self, url: str) -> bytes:
        path, _, query = url.partition("?")
        environ = self.factory._base_environ(PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD="GET")
        status = []
        body = b"".join(self.handler(environ, lambda s, h, *a: status.append(s)))
        if not status or not status[0].startswith("200"):
            raise SystemExit(f"{url}: {status}")
        return body


def _queries(requester: Requester, url: str) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        requester.get(url)
    return list(captured.captured_queries)


def _time(requester: Requester, url: str, rounds: int, requests: int) -> list[float]:
    per_request = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(requests):
            requester.get(url)
        per_request.append((time.process_time() - start) * 1000 / requests)
    return per_request


def _profile(requester: Requester, url: str, requests: int, top: int) -> str:
    # CPU time, not wall-clock: waiting for the CPU on a loaded machine would
    # be charged to whatever function happened to be running.
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(requests):
        requester.get(url)
    profiler.disable()
    out = io.StringIO()
    for order in ("cumulative", "tottime"):
        out.write(f"\n--- by {order} ({requests} requests) ---\n")
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
    return out.getvalue()


def _templates(requester: Requester, url: str, requests: int) -> str:
    """Inclusive time per template, by wrapping Template.render."""
    from django.template.base import Template

    spent: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    original = Template.render

    def timed(self, context):
        start = time.perf_counter()
        try:
            return original(self, context)
        finally:
            spent[self.origin.template_name or self.origin.name] += time.perf_counter() - start
            calls[self.origin.template_name or self.origin.name] += 1

    Template.render = timed
    try:
        start = time.perf_counter()
        for _ in range(requests):
            requester.get(url)
        total = time.perf_counter() - start
    finally:
        Template.render = original
    lines = [f"\n--- templates, inclusive ms per request (request {total * 1000 / requests:.2f} ms) ---"]
    for name, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        lines.append(f"{seconds * 1000 / requests:8.2f} ms  {calls[name] / requests:5.1f}×  {name}")
    lines.append("\n--- queries of one request ---")
    for query in _queries(requester, url):
        lines.append(f"{float(query['time']) * 1000:6.1f} ms  {query['sql'][:160]}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="home, seed-list, seed-list-filtered, seed-detail (default: all)")
    parser.add_argument("--lang", default="ja", choices=["ja", "en"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="cProfile by cumulative and own time")
    parser.add_argument("--templates", action="store_true", help="time per template and the queries")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()

    _environment()
    import django

    django.setup()
    from bench_urls import _BODIES

    requester = Requester()
    pages = _pages(args.lang)
    names = args.pages or list(pages)
    print(f"{'page':20} {'best ms':>8} {'median':>8} {'queries':>8}  url")
    for name in names:
        url = pages[name]
        body = requester.get(url)  # warm
        queries = len(_queries(requester, url))
        timings = _time(requester, url, args.rounds, args.requests)
        _BODIES[f"profile-{name}"] = body
        floor = _time(requester, f"/bench-floor/profile-{name}", 1, args.requests)
        print(
            f"{name:20} {min(timings):8.2f} {statistics.median(timings):8.2f} {queries:8}  {url}"
            f"  (floor {min(floor):.2f} ms, {len(body) // 1024} KiB)"
        )
        if args.profile:
            print(_profile(requester, url, args.requests, args.top))
        if args.templates:
            print(_templates(requester, url, args.requests))


if __name__ == "__main__":
    main()
