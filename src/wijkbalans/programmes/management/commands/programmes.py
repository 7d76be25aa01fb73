"""``wijkbalans programmes export|import|coverage``: the programme workbook and the
coverage of the register's money.

::

    wijkbalans programmes export --out FILE.xlsx [--format text|json]
    wijkbalans programmes import FILE.xlsx [--user NAME] [--format text|json]
    wijkbalans programmes coverage [--from YEAR] [--to YEAR] [--activity CODE]
        [--format csv|json] [--out FILE]

``import`` checks the whole workbook first and writes all of it in one transaction or
nothing (exit status 1, with every problem); only an administrator imports (``--user``),
or the system when no user is named. The sheets and columns:
docs/programmes-spreadsheets.md. Coverage: :mod:`wijkbalans.programmes.coverage`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wijkbalans.core.management.options import acting_user
from wijkbalans.programmes.coverage import coverage_csv, coverage_json, coverage_table
from wijkbalans.programmes.errors import ProgrammeError
from wijkbalans.programmes.models import Activity
from wijkbalans.programmes.spreadsheet import WorkbookInvalid, workbook_import
from wijkbalans.programmes.spreadsheet.export import export_rows, workbook_bytes


class Command(BaseCommand):
    help = "Export or import the programme workbook; show the coverage of the money"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        export = sub.add_parser("export", help="write the register, results and money as "
                                "one .xlsx workbook")
        export.add_argument("--out", required=True, help="the .xlsx file to write")
        export.add_argument("--format", choices=["text", "json"], default="text")
        importing = sub.add_parser("import", help="check a workbook, then load all of it "
                                   "or nothing")
        importing.add_argument("path", help="the .xlsx workbook")
        importing.add_argument("--user", default="", help="user name recorded as the "
                               "importer (an administrator); empty: the system")
        importing.add_argument("--format", choices=["text", "json"], default="text")
        coverage = sub.add_parser("coverage", help="need, secured and gap per year and "
                                  "source")
        coverage.add_argument("--from", dest="from_year", type=int, default=None,
                              help="first year (default: the first year with money)")
        coverage.add_argument("--to", dest="to_year", type=int, default=None,
                              help="last year (default: the last year with money)")
        coverage.add_argument("--activity", default="", help="code of an activity: its "
                              "own and its parts' money only")
        coverage.add_argument("--format", choices=["csv", "json"], default="csv")
        coverage.add_argument("--out", default="", help="write to this file instead of "
                              "standard output")

    def handle(self, *args, **options):
        return getattr(self, f"_{options['action']}")(options)

    def _export(self, options):
        rows = export_rows()
        data = workbook_bytes(rows)
        out = Path(options["out"])
        try:
            out.write_bytes(data)
        except OSError as error:
            raise CommandError(f"--out: cannot write {out}: {error.strerror}") from None
        counts = {sheet: len(records) for sheet, records in rows.items()}
        digest = hashlib.sha256(data).hexdigest()
        if options["format"] == "json":
            self.stdout.write(json.dumps({"ok": True, "file": str(out), "sha256": digest,
                                          "rows": counts}, ensure_ascii=False))
        else:
            self.stdout.write(f"{out}: " + ", ".join(f"{sheet} {n}" for sheet, n in
                                                     counts.items()) + f" (SHA-256 {digest})")

    def _import(self, options):
        user = acting_user(options["user"])
        path = options["path"]
        try:
            summary = workbook_import(acting_user=user, path=path)
        except WorkbookInvalid as failed:
            if options["format"] == "json":
                self.stdout.write(json.dumps({
                    "ok": False, "file": str(path),
                    "problems": [p.as_dict() for p in failed.problems]}, ensure_ascii=False))
            raise CommandError(failed.summary(), returncode=1) from None
        except ProgrammeError as refused:  # no permission, or a concurrent change
            if options["format"] == "json":
                self.stdout.write(json.dumps({"ok": False, "file": str(path),
                                              "error": refused.message}, ensure_ascii=False))
            raise CommandError(refused.message, returncode=1) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps({"ok": True, **summary.as_dict()},
                                         ensure_ascii=False))
        else:
            self.stdout.write(summary.summary_line())

    def _coverage(self, options):
        activity = None
        if options["activity"]:
            # The command reads with the database's rights: every activity, public or not.
            activity = Activity.objects.filter(code=options["activity"].strip()).first()
            if activity is None:
                raise CommandError(f"--activity: no activity {options['activity']!r}")
        try:
            table = coverage_table(from_year=options["from_year"], to_year=options["to_year"],
                                   activity=activity)
        except ProgrammeError as error:
            raise CommandError(error.message) from None
        text = coverage_json(table) if options["format"] == "json" else coverage_csv(table)
        if options["out"]:
            try:
                Path(options["out"]).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"--out: cannot write {options['out']}: "
                                   f"{error.strerror}") from None
        else:
            self.stdout.write(text, ending="" if text.endswith("\n") else "\n")

