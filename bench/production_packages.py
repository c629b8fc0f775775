"""Make the benchmark load what the production image has installed.

The development virtualenv also holds requirements-dev.txt (pytest, Playwright,
Hypothesis…), and some libraries import optional packages when present:
Django REST framework, which Wagtail's admin API loads at start-up, imports
PyYAML and Pygments (dev-only here) if it finds them. The Docker image
installs requirements.txt alone, so a worker there never loads them.
install() hides the packages only requirements-dev.txt brings; bench_settings
calls it unless BENCH_DEV_PACKAGES=1.
"""

import importlib.abc
import importlib.metadata
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pinned(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)==", line)
        if match:
            names.add(re.sub(r"[-_.]+", "-", match.group(1)).lower())
    return names


def dev_only_modules() -> set[str]:
    """Top-level import names of the distributions requirements-dev.txt alone pins."""
    dev_only = _pinned(ROOT / "requirements-dev.txt") - _pinned(ROOT / "requirements.txt")
    modules = set()
    for module, distributions in importlib.metadata.packages_distributions().items():
        if any(re.sub(r"[-_.]+", "-", name).lower() in dev_only for name in distributions):
            modules.add(module)
    return modules


class _Hide(importlib.abc.MetaPathFinder):
    def __init__(self, modules: set[str]):
        self.modules = modules

    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition(".")[0] in self.modules:
            raise ModuleNotFoundError(f"{fullname} is not installed in production", name=fullname)
        return None


def install() -> set[str]:
    modules = dev_only_modules()
    sys.meta_path.insert(0, _Hide(modules))
    return modules
