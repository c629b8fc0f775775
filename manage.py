#!/usr/bin/env python
"""Django's command-line utility for the Kyoso site."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def main() -> None:
    # The host project's packages live in site/ (a folder, since `site` is a
    # standard-library module); the plugin apps live at the top level.
    sys.path.insert(0, str(ROOT / "site"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyoso_site.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
