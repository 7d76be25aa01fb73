"""The ``wijkbalans`` console script: Django's management commands under one name.

``wijkbalans import kwb FILE`` runs the ``import_data`` command; ``wijkbalans evaluate``
runs the effect evaluation on any panel file without Django; every other word is passed to
Django as it is (``wijkbalans migrate``, ``wijkbalans runserver``, ...).
"""

from __future__ import annotations

import os
import sys

ALIASES = {"import": "import_data"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "evaluate":
        from wijkbalans.analysis.effects.cli import main as evaluate

        sys.exit(evaluate(argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkbalans.conf.settings")
    if len(argv) > 1 and argv[1] in ALIASES:
        argv[1] = ALIASES[argv[1]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
