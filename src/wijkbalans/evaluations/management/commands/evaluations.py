"""``wijkbalans evaluations work [--once] [--poll SECONDS]`` and
``wijkbalans evaluations check ID [--format json]``.

``work`` runs queued evaluations in the background (see :mod:`wijkbalans.evaluations.worker`);
in production it runs as a service next to the web server. ``check`` computes a finished
evaluation again from its stored panel and settings and says whether the result is
identical (exit status 1 when it is not).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from wijkbalans.core.management.options import acting_user
from wijkbalans.core.management.queue import add_work_and_check, run_worker
from wijkbalans.evaluations.selectors import evaluation_get
from wijkbalans.evaluations.services import EvaluationError, evaluation_rerun_check
from wijkbalans.evaluations.worker import work


class Command(BaseCommand):
    help = "Run queued evaluations, or check that a finished one reproduces"

    def add_arguments(self, parser):
        add_work_and_check(parser, work_help="run queued evaluations",
                           check_help="compute a finished evaluation again and compare",
                           id_help="the evaluation's number")

    def handle(self, *args, **options):
        if options["action"] == "work":
            return self._work(options)
        return self._check(options)

    def _work(self, options):
        def describe(evaluation):
            line = f"evaluation {evaluation.pk} {evaluation.status}"
            if evaluation.status == evaluation.Status.DONE:
                return line + f": estimate {evaluation.estimate:.4g}, {evaluation.conclusion}"
            return line + f": {evaluation.error}"

        run_worker(self, work, options, describe=describe, done="evaluation(s) run")

    def _check(self, options):
        evaluation = evaluation_get(pk=options["id"])
        if evaluation is None:
            raise CommandError(f"no evaluation {options['id']}")
        user = acting_user(options["user"])
        try:
            check = evaluation_rerun_check(evaluation=evaluation, acting_user=user)
        except EvaluationError as exc:
            raise CommandError(str(exc)) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps({"id": evaluation.pk, **check.__dict__}))
        elif check.identical:
            self.stdout.write(f"evaluation {evaluation.pk}: identical result from the stored "
                              f"panel (SHA-256 {evaluation.panel_sha256})")
        else:
            self.stdout.write(f"evaluation {evaluation.pk}: NOT identical; panel hash "
                              f"{'matches' if check.panel_sha256_matches else 'differs'}; "
                              f"{check.error or ', '.join(check.differences)}")
        if not check.identical:
            raise SystemExit(1)
