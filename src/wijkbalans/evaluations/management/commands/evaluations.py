"""``wijkbalans evaluations work [--once] [--poll SECONDS]`` and
``wijkbalans evaluations check ID [--format json]``.

``work`` runs queued evaluations in the background (see :mod:`wijkbalans.evaluations.worker`);
in production it runs as a service next to the web server. ``check`` computes a finished
evaluation again from its stored panel and settings and says whether the result is
identical (exit status 1 when it is not).
"""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from wijkbalans.evaluations.selectors import evaluation_get
from wijkbalans.evaluations.services import EvaluationError, evaluation_rerun_check
from wijkbalans.evaluations.worker import work


class Command(BaseCommand):
    help = "Run queued evaluations, or check that a finished one reproduces"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        run = sub.add_parser("work", help="run queued evaluations")
        run.add_argument("--once", action="store_true",
                         help="run what is queued now, then stop (default: keep waiting)")
        run.add_argument("--poll", type=float, default=3.0,
                         help="seconds between looks at the queue when it is empty")
        check = sub.add_parser("check", help="compute a finished evaluation again and compare")
        check.add_argument("id", type=int, help="the evaluation's number")
        check.add_argument("--user", default="", help="user name recorded as the one acting")
        check.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        if options["action"] == "work":
            return self._work(options)
        return self._check(options)

    def _work(self, options):
        def report(evaluation):
            line = f"evaluation {evaluation.pk} {evaluation.status}"
            if evaluation.status == evaluation.Status.DONE:
                line += f": estimate {evaluation.estimate:.4g}, {evaluation.conclusion}"
            else:
                line += f": {evaluation.error}"
            self.stdout.write(line)

        try:
            runs = work(once=options["once"], poll_seconds=options["poll"], report=report)
        except KeyboardInterrupt:
            return
        self.stdout.write(f"{runs} evaluation(s) run")

    def _check(self, options):
        evaluation = evaluation_get(pk=options["id"])
        if evaluation is None:
            raise CommandError(f"no evaluation {options['id']}")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user {options['user']!r}")
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
