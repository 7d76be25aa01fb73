"""``wijkbalans concerns purge [--dry-run]``: erase free text past the retention period.

Meant for a daily scheduler (cron, a systemd timer); see docs/concerns.md. Prints one
line: how many texts were (or would be) erased, and the cut-off.
"""

from __future__ import annotations

from django.utils import timezone

from .retention import concerns_text_purge


def add_arguments(parser) -> None:
    parser.add_argument("--dry-run", action="store_true",
                        help="only count what would be erased; write nothing")


def handle(command, options) -> None:
    result = concerns_text_purge(dry_run=options.get("dry_run", False))
    verb = "would erase" if result.dry_run else "erased"
    command.stdout.write(
        f"{verb} the free text of {result.erased} concern(s) recorded before "
        f"{timezone.localtime(result.cutoff):%Y-%m-%d %H:%M} ({result.months} months)")
