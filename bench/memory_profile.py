"""Where a web worker's memory goes: resident size at each stage of start-up
and after serving each benchmarked page once, and which packages hold it.

    .venv/bin/python bench/memory_profile.py            # stages (RSS / PSS / USS)
    .venv/bin/python bench/memory_profile.py --by-package [N]   # + tracemalloc by package
    .venv/bin/python bench/memory_profile.py --modules PKG      # which modules of PKG load
    .venv/bin/python bench/memory_profile.py --maps [N]         # RSS by mapping (heap, .so files)

The settings and database are the benchmark's (`bench_settings`, the SQLite
database `bench/run.sh` leaves in bench/var, or DATABASE_URL), so the pages
are served as gunicorn serves them: through the WSGI handler, DEBUG off.
tracemalloc slows start-up and adds its own bookkeeping to RSS, so the stage
figures are taken in a run without it. "By package" is exclusive: memory
allocated by code in that package's own files (a package's import-time
objects, its classes and functions), not by what it imports.
"""

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("healthz", "/healthz"),
    ("home", "/ja/"),
    ("seed-list", "/ja/seeds/"),
    ("seed-list-filtered", "/ja/seeds/?field=materials&stage=module&sort=title&page=3"),
    ("seed-detail", None),  # the newest Japanese seed, looked up once the app is set up
    ("home-en", "/en/"),
]


def memory() -> tuple[float, float, float]:
    """RSS, PSS, USS of this process in MB (from /proc/self/smaps_rollup)."""
    values = defaultdict(int)
    with open("/proc/self/smaps_rollup") as rollup:
        for line in rollup:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                values[parts[0].rstrip(":")] = int(parts[1])
    uss = values["Private_Clean"] + values["Private_Dirty"]
    return values["Rss"] / 1024, values["Pss"] / 1024, uss / 1024


def stage(name: str, rows: list) -> None:
    rss, pss, uss = memory()
    rows.append((name, rss, pss, uss, len(sys.modules)))


def setup_environment() -> None:
    for path in (ROOT, ROOT / "site", ROOT / "bench"):
        sys.path.insert(0, str(path))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")
    os.environ.setdefault("SECRET_KEY", "memory-profile-" + "x" * 50)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'var' / 'bench.sqlite3'}")
    os.environ.setdefault("STATIC_ROOT", str(ROOT / "bench" / "var" / "static"))


def serve(application, url: str) -> int:
    from io import BytesIO
    from wsgiref.util import setup_testing_defaults

    path, _, query = url.partition("?")
    environ = {"PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": "127.0.0.1", "wsgi.input": BytesIO()}
    setup_testing_defaults(environ)
    status = []
    body = application(environ, lambda s, headers, exc_info=None: status.append(s))
    for _ in body:
        pass
    if hasattr(body, "close"):
        body.close()
    return int(status[0].split()[0])


def run_stages(urlconf: str | None) -> list:
    rows: list = []
    stage("python started", rows)
    import django

    stage("import django", rows)
    django.setup()
    stage("django.setup()", rows)
    if urlconf:
        from django.conf import settings

        settings.ROOT_URLCONF = urlconf
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — imports the whole URLconf
    stage("URLconf imported", rows)
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    stage("WSGI application (middleware)", rows)
    for name, url in PAGES:
        if url is None:
            from seeds.models import SeedPage

            seed = SeedPage.objects.filter(locale__language_code="ja").order_by("-pk").first()
            url = f"/ja/seeds/{seed.url_path.split('/')[-2]}/" if seed else "/ja/seeds/"
        status = serve(application, url)
        stage(f"served {name} ({status})", rows)
    import gc

    gc.collect()
    stage("after gc.collect()", rows)
    return rows


def package_of(filename: str) -> str:
    """A short package name for a source file: top-level package, or two levels
    for the big ones (django.db, wagtail.admin)."""
    if "<frozen" in filename or filename.startswith("<"):
        return "(python: frozen/builtins)"
    marker = "site-packages/"
    if marker in filename:
        rel = filename.split(marker, 1)[1]
    elif filename.startswith(str(ROOT)):
        parts = Path(os.path.relpath(filename, ROOT)).parts
        return "(ours) " + (parts[1] if parts[0] == "site" else parts[0])
    elif "/lib/python" in filename:
        return "(python stdlib) " + filename.split("/lib/python", 1)[1].split("/")[1].removesuffix(".py")
    else:
        return filename
    parts = rel.split("/")
    top = parts[0].removesuffix(".py")
    if top in {"django", "wagtail"} and len(parts) > 2:
        second = parts[1]
        if second == "contrib" and len(parts) > 3:
            return f"{top}.contrib.{parts[2]}"
        return f"{top}.{second}"
    return top


def run_by_package(limit: int) -> None:
    """Python allocations still held after setup + URLconf, by the package
    whose import (module code, import-time objects) or whose code (everything
    else: ready(), URL patterns, schemas built at start-up) allocated them."""
    import _frozen_importlib as bootstrap
    import tracemalloc

    # Each module's import is timed by traced memory: what it allocated itself,
    # its nested imports subtracted and charged to them.
    imports: dict[str, int] = defaultdict(int)
    stack: list[list] = []
    load = bootstrap._load_unlocked

    def load_measured(spec):
        stack.append([tracemalloc.get_traced_memory()[0], 0])
        try:
            return load(spec)
        finally:
            start, children = stack.pop()
            total = tracemalloc.get_traced_memory()[0] - start
            imports[spec.name] += total - children
            if stack:
                stack[-1][1] += total

    tracemalloc.start(10)
    bootstrap._load_unlocked = load_measured
    import django

    django.setup()
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
    bootstrap._load_unlocked = load
    snapshot = tracemalloc.take_snapshot()
    # What was allocated outside any import: charged to the innermost frame
    # that is not the import machinery.
    runtime: dict[str, int] = defaultdict(int)
    for trace in snapshot.traces:
        frames = [frame.filename for frame in reversed(trace.traceback)]  # innermost first
        if any("importlib._bootstrap" in name for name in frames):
            continue  # counted by the import hook
        runtime[package_of(frames[0])] += trace.size
    totals: dict[str, int] = defaultdict(int)
    for name, size in imports.items():
        totals[module_package(name)] += size
    for name, size in runtime.items():
        totals[name] += size
    traced = tracemalloc.get_traced_memory()[0]
    print(f"\ntracemalloc after setup + URLconf: {traced / 2**20:.1f} MB of Python allocations held")
    print(
        f"({sum(imports.values()) / 2**20:.1f} MB allocated while importing, {sum(runtime.values()) / 2**20:.1f} MB at run time)"
    )
    print("| package (exclusive) | MB |\n|---|---|")
    for name, size in sorted(totals.items(), key=lambda item: -item[1])[:limit]:
        print(f"| {name} | {size / 2**20:.2f} |")


def module_package(name: str) -> str:
    parts = name.split(".")
    if parts[0] in {"django", "wagtail"} and len(parts) > 1:
        if parts[1] == "contrib" and len(parts) > 2:
            return ".".join(parts[:3])
        return ".".join(parts[:2])
    if name in sys.stdlib_module_names or parts[0] in sys.stdlib_module_names:
        return "(python stdlib) " + parts[0]
    return parts[0]


def run_maps(limit: int) -> None:
    """Resident memory after serving the pages, by mapping: the Python heap
    (anonymous memory) against the shared libraries' code and data."""
    run_stages(None)
    totals: dict[str, int] = defaultdict(int)
    name = "?"
    with open("/proc/self/smaps") as smaps:
        for line in smaps:
            fields = line.split()
            if "-" in fields[0] and len(fields) >= 5 and not fields[0].endswith(":"):
                path = fields[5] if len(fields) > 5 else "[anonymous]"
                if "site-packages/" in path:
                    path = path.split("site-packages/", 1)[1].split("/")[0]
                name = path.rsplit("/", 1)[-1] if path.startswith("/") else path
            elif fields[0] == "Rss:":
                totals[name] += int(fields[1])
    print(f"RSS by mapping after serving the pages: {sum(totals.values()) / 1024:.1f} MB")
    print("| mapping | RSS MB |\n|---|---|")
    for name, size in sorted(totals.items(), key=lambda item: -item[1])[:limit]:
        print(f"| {name} | {size / 1024:.1f} |")


def run_modules(prefix: str) -> None:
    import django

    django.setup()
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
    names = sorted(name for name in sys.modules if name == prefix or name.startswith(prefix + "."))
    print(f"{len(names)} modules of {prefix}:")
    for name in names:
        print(" ", name)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])  # None under -OO
    parser.add_argument("--by-package", nargs="?", type=int, const=40, metavar="N")
    parser.add_argument("--modules", metavar="PACKAGE")
    parser.add_argument("--maps", nargs="?", type=int, const=25, metavar="N")
    parser.add_argument("--urlconf", help="another ROOT_URLCONF module on bench/ or site/ (to weigh a smaller URL set)")
    args = parser.parse_args()
    setup_environment()
    if args.by_package:
        run_by_package(args.by_package)
        return
    if args.maps:
        run_maps(args.maps)
        return
    if args.modules:
        run_modules(args.modules)
        return
    started = time.monotonic()
    rows = run_stages(args.urlconf)
    print(
        f"Worker memory by stage (bench settings, {time.monotonic() - started:.1f} s; load average {os.getloadavg()[0]:.1f})"
    )
    print("| stage | RSS MB | PSS MB | USS MB | modules |\n|---|---|---|---|---|")
    for name, rss, pss, uss, modules in rows:
        print(f"| {name} | {rss:.1f} | {pss:.1f} | {uss:.1f} | {modules} |")


if __name__ == "__main__":
    main()
