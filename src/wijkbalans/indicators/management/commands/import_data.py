"""``wijkbalans import <kind> <path> [options]``: load one file (see docs/importers.md)."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from wijkbalans.core.management.options import acting_user
from wijkbalans.indicators.importers import KINDS, get_importer
from wijkbalans.indicators.importers.base import ImportFailed
from wijkbalans.indicators.services import import_file


class _Bar:
    """A tqdm bar on a terminal, nothing elsewhere."""

    def __init__(self, enabled: bool, label: str):
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(desc=label, unit=" rows", file=sys.stderr, leave=False)

    def __call__(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class Command(BaseCommand):
    help = "Import a data file: " + ", ".join(sorted(KINDS))

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        for kind in sorted(KINDS):
            module = get_importer(kind)
            kind_parser = sub.add_parser(kind, help=module.HELP, description=module.HELP)
            kind_parser.add_argument("path", help="the file to import")
            kind_parser.add_argument("--format", choices=["text", "json"], default="text",
                                     help="how to print the summary")
            kind_parser.add_argument("--user", default="",
                                     help="user name recorded as the importer")
            kind_parser.add_argument("--no-progress", action="store_true",
                                     help="no progress bar, even on a terminal")
            module.add_arguments(kind_parser)

    def handle(self, *args, **options):
        kind = options.pop("kind")
        path = options.pop("path")
        fmt = options.pop("format")
        username = options.pop("user")
        no_progress = options.pop("no_progress")
        for common in ("verbosity", "settings", "pythonpath", "traceback", "no_color",
                       "force_color", "skip_checks"):
            options.pop(common, None)
        user = acting_user(username)
        bar = _Bar(sys.stderr.isatty() and not no_progress and fmt == "text", kind)
        try:
            result = import_file(kind=kind, path=path, options=options, acting_user=user,
                                 progress=bar)
        except ImportFailed as failed:
            bar.close()
            if fmt == "json":
                self.stdout.write(json.dumps({"ok": False, "kind": kind, "file": str(path),
                                              "problems": [p.as_dict() for p in failed.problems]},
                                             ensure_ascii=False))
            raise CommandError(failed.summary(), returncode=1) from None
        bar.close()
        if fmt == "json":
            payload = {"ok": True, **result.as_dict()}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        else:
            self.stdout.write(result.summary_line())
            for note in result.notes:
                self.stdout.write(f"  note: {note}")
            for example in result.rejected_examples[:5]:
                self.stdout.write(f"  rejected: {example}")
