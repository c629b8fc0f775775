"""Run Python code in a new interpreter set up as a web process is: for tests of
what a worker imports at start-up, which the test process itself has long loaded."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_in_fresh_process(code: str, *, without_env: tuple[str, ...] = ()) -> list[str]:
    """Run `code` under the test settings (minus the environment variables in
    `without_env`); fail with its stderr unless it exits 0; return its printed lines."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kyoso_site.settings.test"}
    for name in without_env:
        env.pop(name, None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "site"), str(ROOT)])
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()
