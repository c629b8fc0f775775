"""The production gunicorn settings (site/kyoso_site/gunicorn.conf.py, started by
scripts/web for the Dockerfile and the benchmarks) start the site: the application
is loaded in the master, then the workers are forked and answer."""

import os
import time
from pathlib import Path

import pytest

from tests.web_server import free_port, web_process

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("preload", ["1", "0"])
def test_gunicorn_serves_with_the_production_settings(tmp_path, preload):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kyoso_site.settings.production",
        "SECRET_KEY": "gunicorn-test-" + "k" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "WEB_PRELOAD": preload,
    }
    log = tmp_path / "gunicorn.log"
    with web_process(env, port, log):
        for _ in range(150):  # the second worker may still be booting
            text = log.read_text()
            if text.count("Booting worker") >= 2:
                break
            time.sleep(0.2)
        assert text.count("Booting worker") == 2, text
        assert ("objects frozen" in text) == (preload == "1")
        # gthread that spreads connections over the workers (tests/site/test_gunicorn_worker.py).
        assert "Using worker: kyoso_site.gunicorn_worker.BalancedThreadWorker" in text


def test_a_worker_collects_after_each_response_and_freezes_what_its_first_requests_built(monkeypatch):
    """post_request: a collection after every response; once, after the first
    requests, a freeze and a trim of the C heap; from then on a trim every
    WORKER_TRIM_EVERY requests."""
    import gc
    import runpy

    conf = runpy.run_path(str(ROOT / "site" / "kyoso_site" / "gunicorn.conf.py"))
    calls = []
    monkeypatch.setattr(gc, "collect", lambda *args: calls.append("collect") or 0)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setitem(conf["post_request"].__globals__, "release_free_heap", lambda: calls.append("trim"))

    class Worker:
        pass

    worker = Worker()
    first = conf["WORKER_FREEZE_AFTER"]
    for _ in range(first - 1):
        conf["post_request"](worker, None, {}, None)
    assert calls == ["collect"] * (first - 1)
    conf["post_request"](worker, None, {}, None)
    assert calls[first - 1 :] == ["collect", "freeze", "trim"]
    conf["post_request"](worker, None, {}, None)
    conf["post_request"](worker, None, {}, None)
    assert calls[first - 1 :] == ["collect", "freeze", "trim", "collect", "collect"]
    every = conf["WORKER_TRIM_EVERY"]
    while worker.kyoso_requests < 2 * every:
        conf["post_request"](worker, None, {}, None)
    # trims at the freeze, then at requests `every` and `2 * every`; no second freeze
    assert calls.count("trim") == 3 and calls.count("freeze") == 1
    assert calls[-2:] == ["collect", "trim"]
    assert calls.count("collect") == 2 * every


def test_the_free_heap_is_handed_back_with_glibc_and_skipped_without(monkeypatch):
    import ctypes
    import runpy

    conf = runpy.run_path(str(ROOT / "site" / "kyoso_site" / "gunicorn.conf.py"))
    trims = []

    class Libc:
        def malloc_trim(self, pad):
            trims.append(pad)
            return 1

    monkeypatch.setattr(ctypes, "CDLL", lambda name: Libc())
    conf["release_free_heap"]()
    assert trims == [0]

    def missing(name):
        raise OSError(name)

    monkeypatch.setattr(ctypes, "CDLL", missing)
    conf["release_free_heap"]()  # another C library: nothing to do, no error
    assert trims == [0]
