"""``wijkbalans targets list|set|delete|progress``: the targets of area sets.

::

    wijkbalans targets list [--area-set SLUG]
    wijkbalans targets set --area-set SLUG (--indicator CODE | --theme THEME)
        --kind value|closure|reference --baseline 2019 --target-period 2032
        [--value 70] [--share 0.5] [--reference city|rest_of_city|country] [--note TEXT]
        [--id ID]                       (with --id: replace that target)
    wijkbalans targets delete --id ID
    wijkbalans targets progress --id ID

Every action takes ``--format text|json`` and ``--user NAME`` (who is recorded in the
audit log). The rules: :mod:`wijkbalans.stacking.services` (what a target is) and
:data:`wijkbalans.stacking.selectors.STATUS_RULE` (its status per period).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from wijkbalans.areas.selectors import area_set_get
from wijkbalans.core.management.options import acting_user
from wijkbalans.stacking import selectors
from wijkbalans.stacking.progress import target_as_dict
from wijkbalans.stacking.services import TargetError, target_delete, target_save
from wijkbalans.stacking.units import PlaceError


def _fmt(value) -> str:
    return "-" if value is None else (f"{value:.2f}" if isinstance(value, float) else str(value))


class Command(BaseCommand):
    help = "List, set, delete targets of area sets, and show their progress"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = sub.add_parser("list", help="the targets (of one area set)")
        listing.add_argument("--area-set", default=None, help="slug of an area set")
        saving = sub.add_parser("set", help="create a target, or replace one (--id)")
        saving.add_argument("--id", type=int, default=None, help="the target to replace")
        saving.add_argument("--area-set", required=True, help="slug of an area set")
        saving.add_argument("--indicator", default=None, help="indicator code")
        saving.add_argument("--theme", default=None, help="theme (domain) of the index")
        saving.add_argument("--kind", required=True, help="value, closure or reference")
        saving.add_argument("--baseline", required=True, help="baseline period, e.g. 2019")
        saving.add_argument("--target-period", required=True, help="target period, e.g. 2032")
        saving.add_argument("--value", type=float, default=None, help="target value (value)")
        saving.add_argument("--share", type=float, default=None,
                            help="share of the baseline gap to close (closure), e.g. 0.5")
        saving.add_argument("--reference", default="city",
                            help="city (default), rest_of_city or country")
        saving.add_argument("--note", default="", help="a note")
        deleting = sub.add_parser("delete", help="delete a target")
        deleting.add_argument("--id", type=int, required=True)
        progress = sub.add_parser("progress", help="the path and the status per period")
        progress.add_argument("--id", type=int, required=True)
        for action_parser in (listing, saving, deleting, progress):
            action_parser.add_argument("--format", choices=["text", "json"], default="text")
            action_parser.add_argument("--user", default="",
                                       help="user name recorded as the one acting")

    def handle(self, *args, **options):
        user = acting_user(options["user"])
        action = options["action"]
        payload, lines = getattr(self, f"_{action}")(options, user)
        if options["format"] == "json":
            self.stdout.write(json.dumps({"ok": True, **payload}, ensure_ascii=False))
        else:
            for line in lines:
                self.stdout.write(line)

    def _target(self, pk):
        target = selectors.target_get(pk=pk)
        if target is None:
            raise CommandError(f"--id: no target {pk}")
        return target

    def _line(self, t: dict) -> str:
        what = t["indicator"] or f"theme {t['theme']}"
        goal = {"value": f"value {_fmt(t['target_value'])}",
                "closure": f"close {_fmt(t['closure_share'])} of the gap to {t['reference']}",
                "reference": f"reach {t['reference']}"}[t["kind"]]
        return (f"#{t['id']} {t['area_set']}: {what}, {t['baseline_period']} -> "
                f"{t['target_period']}: {goal}")

    def _list(self, options, user):
        area_set = None
        if options["area_set"]:
            area_set = area_set_get(slug=options["area_set"])
            if area_set is None:
                raise CommandError(f"--area-set: no area set {options['area_set']!r}")
        targets = [target_as_dict(t) for t in selectors.target_list(area_set=area_set)]
        return {"targets": targets}, [self._line(t) for t in targets] or ["no targets"]

    def _set(self, options, user):
        area_set = area_set_get(slug=options["area_set"])
        if area_set is None:
            raise CommandError(f"--area-set: no area set {options['area_set']!r}")
        existing = self._target(options["id"]) if options["id"] else None
        try:
            target = target_save(
                target=existing, area_set=area_set, indicator=options["indicator"],
                theme=options["theme"], kind=options["kind"],
                baseline_period=options["baseline"], target_period=options["target_period"],
                target_value=options["value"], closure_share=options["share"],
                reference=options["reference"], note=options["note"], acting_user=user)
        except TargetError as error:
            raise CommandError(str(error)) from None
        data = target_as_dict(target)
        return {"target": data}, [f"saved {self._line(data)}"]

    def _delete(self, options, user):
        target = self._target(options["id"])
        target_delete(target=target, acting_user=user)
        return {"deleted": options["id"]}, [f"target #{options['id']} deleted"]

    def _progress(self, options, user):
        try:
            progress = selectors.target_progress(target=self._target(options["id"]))
        except PlaceError as error:
            raise CommandError(str(error)) from None
        base = progress["baseline"]
        lines = [self._line(progress["target"]),
                 f"baseline {base['period']}: {_fmt(base['value'])} (reference "
                 f"{progress['reference_label']}: {_fmt(base['reference'])})"]
        for row in progress["periods"]:
            lines.append(f"  {row['period']}: value {_fmt(row['value'])}, reference "
                         f"{_fmt(row['reference'])}, path {_fmt(row['path'])}, "
                         f"progress {_fmt(row['progress'])} of {_fmt(row['required'])}: "
                         f"{row['status']}")
        lines.append(f"rule: {progress['rule']}")
        return {"progress": progress}, lines
