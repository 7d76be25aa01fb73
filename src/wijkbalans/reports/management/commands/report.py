"""``wijkbalans report --area-set SLUG --period P --format pdf|html --out PATH
[--lang nl|en] [--user U] [--date YYYY-MM-DD] [--base-period P]``

Generates the progress report now (without the background worker), stores it as a
version like one generated from the web app, and writes the PDF or the HTML to ``--out``.
Wrong options are named and nothing is written, neither a version nor the file.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wijkbalans.core.management.options import acting_user
from wijkbalans.reports.errors import ReportError
from wijkbalans.reports.services import rendered, report_request, report_run


class Command(BaseCommand):
    help = "Generate the progress report of an area set for the council (PDF or HTML)"

    def add_arguments(self, parser):
        parser.add_argument("--area-set", required=True, help="slug of the area set")
        parser.add_argument("--period", required=True,
                            help="the report's period: a year (2024) or a quarter (2024-Q2)")
        parser.add_argument("--format", choices=["pdf", "html"], default="pdf")
        parser.add_argument("--out", required=True, help="the file to write")
        parser.add_argument("--lang", default="nl", help="nl (default) or en")
        parser.add_argument("--user", default="", help="user name recorded as the one acting")
        parser.add_argument("--date", default="",
                            help="the report's date, YYYY-MM-DD (default: today)")
        parser.add_argument("--base-period", default="",
                            help="base period of the comparisons (default: the earliest "
                                 "baseline of the area set's targets)")

    def handle(self, *args, **options):
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"--out: the folder {out.parent} does not exist")
        if out.is_dir():
            raise CommandError(f"--out: {out} is a folder; give a file name")
        user = acting_user(options["user"])
        try:
            version = report_request(acting_user=user, area_set=options["area_set"],
                                     period=options["period"], lang=options["lang"],
                                     date=options["date"] or None,
                                     base_period=options["base_period"] or None)
        except ReportError as error:
            name = (error.field or "").replace("_", "-")
            raise CommandError(f"--{name}: {error.message}" if name else error.message) \
                from error
        version = report_run(version=version)
        if version.status != version.Status.DONE:
            raise CommandError(f"report {version.pk} failed: {version.error}")
        if options["format"] == "pdf":
            out.write_bytes(bytes(version.pdf))
            digest = version.pdf_sha256
        else:
            again = rendered(version, pdf=False)
            out.write_text(again.html, encoding="utf-8")
            digest = again.html_sha256
        self.stdout.write(f"report {version.pk}: {version.area_set_name} {version.period} "
                          f"({version.lang}), {version.pages} pages; {out} "
                          f"(SHA-256 {digest})")
