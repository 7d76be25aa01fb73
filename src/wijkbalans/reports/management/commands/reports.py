"""``wijkbalans reports work [--once] [--poll SECONDS]`` and
``wijkbalans reports check ID [--user U] [--format json]``.

``work`` generates the versions queued from the web app (see
:mod:`wijkbalans.reports.worker`); in production it runs as a service next to the web
server and the evaluation worker. ``check`` renders a finished version again from its
frozen figures and texts and says whether the HTML and the PDF are identical (exit
status 1 when they are not).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from wijkbalans.core.management.options import acting_user
from wijkbalans.core.management.queue import add_work_and_check, run_worker
from wijkbalans.reports.errors import ReportError
from wijkbalans.reports.selectors import version_get
from wijkbalans.reports.services import report_regenerate_check
from wijkbalans.reports.worker import work


class Command(BaseCommand):
    help = "Generate queued progress reports, or check that a stored one renders again"

    def add_arguments(self, parser):
        add_work_and_check(parser, work_help="generate queued reports",
                           check_help="render a stored report again and compare",
                           id_help="the version's number")

    def handle(self, *args, **options):
        if options["action"] == "work":
            return self._work(options)
        return self._check(options)

    def _work(self, options):
        def describe(version):
            line = f"report {version.pk} {version.status}"
            if version.status == version.Status.DONE:
                return line + f": {version.area_set_name} {version.period}, {version.pages} pages"
            return line + f": {version.error}"

        run_worker(self, work, options, describe=describe, done="report(s) generated")

    def _check(self, options):
        version = version_get(pk=options["id"], full=True)
        if version is None:
            raise CommandError(f"no report version {options['id']}")
        user = acting_user(options["user"])
        try:
            outcome = report_regenerate_check(version=version, acting_user=user)
        except ReportError as error:
            raise CommandError(error.message) from error
        if options["format"] == "json":
            self.stdout.write(json.dumps({"id": version.pk, **{
                k: v for k, v in outcome.items() if k != "software_now"}}))
        elif outcome["identical"]:
            self.stdout.write(f"report {version.pk}: identical HTML and PDF from the stored "
                              f"figures (PDF SHA-256 {version.pdf_sha256})")
        else:
            self.stdout.write(f"report {version.pk}: NOT identical (HTML "
                              f"{'identical' if outcome['html_identical'] else 'differs'}, "
                              f"PDF {'identical' if outcome['pdf_identical'] else 'differs'})")
        if not outcome["identical"]:
            raise SystemExit(1)
