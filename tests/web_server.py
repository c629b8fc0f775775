"""Start production's web process (scripts/web) for a test, on a free loopback port."""

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def web_process(env: dict, port: int, log: Path, *, stdout=None):
    """scripts/web on 127.0.0.1:`port` with `env` (this interpreter as its Python), its
    error log in `log`; yields the process once /healthz answers 200, stops it after."""
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "web"), "--bind", f"127.0.0.1:{port}", "--no-control-socket"]
        + ["--error-logfile", str(log), "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env={**env, "PYTHON": sys.executable},
        stdout=stdout,
        stderr=subprocess.STDOUT if stdout else None,
    )
    try:
        status = None
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    status = response.status
                    break
            except OSError:
                time.sleep(0.2)
        assert status == 200, log.read_text() if log.exists() else "no log"
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
