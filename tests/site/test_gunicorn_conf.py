"""The production gunicorn settings (site/kyoso_site/gunicorn.conf.py, used by
the Dockerfile and bench/run.sh) start the site: the application is loaded
in the master, then the workers are forked and answer."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("preload", ["1", "0"])
def test_gunicorn_serves_with_the_production_settings(tmp_path, preload):
    port = _free_port()
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
    gunicorn = Path(sys.executable).parent / "gunicorn"
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen(
        [str(gunicorn), "-c", "site/kyoso_site/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
        + ["--no-control-socket", "--error-logfile", str(log), "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=env,
    )
    try:
        status = None
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    status = response.status
                    break
            except OSError:
                time.sleep(0.2)
        assert status == 200, log.read_text()
        for _ in range(150):  # the second worker may still be booting
            text = log.read_text()
            if text.count("Booting worker") >= 2:
                break
            time.sleep(0.2)
        assert text.count("Booting worker") == 2, text
        assert ("objects frozen" in text) == (preload == "1")
        # gthread that spreads connections over the workers (tests/site/test_gunicorn_worker.py).
        assert "Using worker: kyoso_site.gunicorn_worker.BalancedThreadWorker" in text
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
