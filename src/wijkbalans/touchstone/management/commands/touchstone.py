"""``wijkbalans touchstone``: the scorecard of a plan, computed, and stored on request.

::

    wijkbalans touchstone --activity CODE|ID [--format json|csv] [--save] [--user NAME]
        [--target-group CODE] [--reach-result NAME] [--label TEXT] [--language nl|en]
        [--out FILE]

``--activity`` is the activity's code (or, when no activity has that code, its number).
Without ``--save`` the scorecard is computed and printed, nothing is written. With
``--save`` it is stored as an assessment, recorded as made by ``--user`` (who must be
allowed to assess the plan: docs/touchstone.md), or by the system when no user is named.
CSV has one row per criterion (see :data:`wijkbalans.touchstone.scorecard.CSV_COLUMNS`).
The command reads with the database's rights: every activity, public or not.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from wijkbalans.core.management.options import acting_user
from wijkbalans.touchstone.errors import TouchstoneError
from wijkbalans.touchstone.scorecard import (
    Scorecard,
    compute_scorecard,
    scorecard_csv,
    scorecard_json,
)
from wijkbalans.touchstone.selectors import activity_for
from wijkbalans.touchstone.services import assessment_create


class _System:
    """Reads as the database does (the command's rights); never used to write."""

    is_authenticated = True
    is_superuser = True
    pk = None


class Command(BaseCommand):
    help = "Assess a plan on the touchstone's criteria: print its scorecard, or store it"

    def add_arguments(self, parser):
        parser.add_argument("--activity", required=True,
                            help="code of the activity (or its number)")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--save", action="store_true",
                            help="store the assessment (audited)")
        parser.add_argument("--user", default="",
                            help="user name recorded as the assessor; empty: the system")
        parser.add_argument("--target-group", default="",
                            help="population indicator of the target group (default "
                                 "inwoners)")
        parser.add_argument("--reach-result", default="",
                            help="name of the output indicator that counts the reach")
        parser.add_argument("--label", default="", help="a name for this alternative")
        parser.add_argument("--language", choices=["nl", "en"], default="nl",
                            help="language of the reasons (default nl)")
        parser.add_argument("--out", default="", help="write to this file instead of "
                            "standard output")

    def handle(self, *args, **options):
        user = acting_user(options["user"])
        activity = self._activity(options["activity"])
        inputs = {k: v for k, v in (("target_group_indicator", options["target_group"]),
                                    ("reach_result", options["reach_result"])) if v}
        with translation.override(options["language"]):
            try:
                if options["save"]:
                    assessment = assessment_create(acting_user=user, activity=activity,
                                                   inputs=inputs, label=options["label"])
                    card = Scorecard.from_assessment(assessment)
                else:
                    card = compute_scorecard(activity=activity, inputs=inputs)
            except TouchstoneError as error:
                where = f"{error.field}: " if error.field else ""
                raise CommandError(f"{where}{error.message}", returncode=1) from None
            text = scorecard_json(card) if options["format"] == "json" else scorecard_csv(card)
        if options["out"]:
            try:
                Path(options["out"]).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"--out: cannot write {options['out']}: "
                                   f"{error.strerror}") from None
        else:
            self.stdout.write(text, ending="" if text.endswith("\n") else "\n")

    def _activity(self, given: str):
        given = (given or "").strip()
        activity = activity_for(user=_System(), code=given)
        if activity is None and given.isdigit():
            from wijkbalans.programmes.models import Activity

            found = Activity.objects.filter(pk=int(given)).values_list("code", flat=True).first()
            activity = activity_for(user=_System(), code=found) if found else None
        if activity is None:
            raise CommandError(f"--activity: no activity with code or number {given!r}")
        return activity
