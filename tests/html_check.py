"""The Nu HTML checker as a function: `vnu_errors({name: html, ...})` returns
each page's error messages.

The checker is the current vnu.jar from the `vnu-jar` npm package, pinned in
package.json / package-lock.json and installed into node_modules/ by
`npm ci` in scripts/setup.sh --test (which also installs a headless JRE when
`java` is missing). The JVM takes seconds to start, so a test collects all
its pages first and checks them in one run.
"""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_errors(pages: dict[str, str]) -> dict[str, list[str]]:
    """Errors (not warnings or info) the Nu HTML checker finds in each page
    of `pages` ({name: html}), checked in one run; {name: []} when clean."""
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("java is missing: run scripts/setup.sh --test")
    if not VNU_JAR.is_file():
        raise RuntimeError(f"{VNU_JAR} is missing: run scripts/setup.sh --test (npm ci)")
    found: dict[str, list[str]] = {name: [] for name in pages}
    with tempfile.TemporaryDirectory() as folder:
        by_url, paths = {}, []
        for index, (name, html) in enumerate(pages.items()):
            path = Path(folder) / f"page-{index}.html"
            path.write_text(html, encoding="utf-8")
            paths.append(str(path))
            by_url[f"file:{path}"] = name  # the checker reports file:/tmp/...
        result = subprocess.run(  # noqa: S603 (fixed arguments)
            [java, "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *paths],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    for m in report["messages"]:
        if m.get("type") == "error" or m.get("subType") == "fatal":
            name = by_url.get(m.get("url", ""), m.get("url", "?"))
            found.setdefault(name, []).append(
                f"line {m.get('lastLine', '?')}: {m.get('message')} — {m.get('extract', '').strip()[:120]}"
            )
    return found
