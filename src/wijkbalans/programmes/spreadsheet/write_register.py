"""Writing the register's sheets of a checked workbook: organisations, activities,
partners, result indicators, periods and approved updates. Runs inside the import's
transaction (``load.workbook_import``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from wijkbalans.accounts.audit import snapshot
from wijkbalans.accounts.models import Organisation
from wijkbalans.accounts.services import organisation_create
from wijkbalans.programmes.models import (
    Activity,
    ActivityPartner,
    ResultIndicator,
    ResultPeriod,
    ResultUpdate,
)
from wijkbalans.programmes.services.register import activity_snapshot

from .checks import Lookups, approved_update_key, current_approved
from .read import Row
from .writing import audit, differences, user_or_none, versioned_update


def parents_first(rows: list[Row]) -> list[Row]:
    """The activity rows ordered so that a parent in the sheet comes before its parts
    (the checks have refused cycles)."""
    by_code = {r["code"]: r for r in rows}
    ordered: list[Row] = []
    seen: set[str] = set()
    for row in rows:
        chain, current = [], row
        while current is not None and current["code"] not in seen:
            chain.append(current)
            seen.add(current["code"])
            current = by_code.get(current["parent_code"])
        ordered.extend(reversed(chain))
    return ordered


class RegisterWriter:
    def __init__(self, *, acting_user, lookups: Lookups, summary):
        self.user = acting_user
        self.lookups = lookups
        self.summary = summary
        self.org_ids: dict[str, int] = {}
        self.activity_ids: dict[str, int] = {}
        self.now = timezone.now()

    def _audit(self, action: str, obj, before=None, after=None) -> None:
        audit(acting_user=self.user, action=action, obj=obj, before=before, after=after)

    # -- organisations and activities ---------------------------------------------------

    def organisations(self, rows: list[Row]) -> None:
        registered = set(Organisation.objects.values_list("slug", flat=True))
        for row in rows:
            if row["slug"] in registered:
                self.summary.count("organisations", "unchanged")
                continue
            organisation_create(name=row["name"], kind=row["kind"], slug=row["slug"],
                                acting_user=self.user)
            self.summary.count("organisations", "created")
        self.org_ids = dict(Organisation.objects.values_list("slug", "pk"))

    def _activity_fields(self, row: Row) -> dict:
        return {
            "parent_id": self.activity_ids[row["parent_code"]] if row["parent_code"] else None,
            "kind": row["kind"], "title": row["title"], "description": row["description"],
            "owner_id": self.org_ids[row["owner"]], "status": row["status"],
            "start": row["start"], "end": row["end"], "themes": list(row["themes"]),
            "links": [{"title": title, "url": url} for title, url in row["links"]],
            "evidence_level": row["evidence_level"],
            "evidence_databank": row["evidence_databank"],
            "evidence_url": row["evidence_url"], "weight": row["weight"],
            "public": row["public"],
        }

    def activities(self, rows: list[Row]) -> None:
        codes = [r["code"] for r in rows]
        existing = {a.code: a for a in Activity.objects.select_for_update().filter(
            code__in=codes)}
        self.activity_ids = dict(Activity.objects.values_list("code", "pk"))
        ids = [a.pk for a in existing.values()]
        areas, area_sets = defaultdict(set), defaultdict(set)
        for activity_id, area_id in Activity.areas.through.objects.filter(
                activity_id__in=ids).values_list("activity_id", "area_id"):
            areas[activity_id].add(area_id)
        for activity_id, set_id in Activity.area_sets.through.objects.filter(
                activity_id__in=ids).values_list("activity_id", "areaset_id"):
            area_sets[activity_id].add(set_id)
        for row in parents_first(rows):
            wanted = self._activity_fields(row)
            want_areas = {self.lookups.area_ids[c] for c in row["areas"]}
            want_sets = {self.lookups.area_set_ids[c] for c in row["area_sets"]}
            activity = existing.get(row["code"])
            if activity is None:
                activity = Activity.objects.create(code=row["code"], **wanted)
                activity.areas.set(want_areas)
                activity.area_sets.set(want_sets)
                self.activity_ids[activity.code] = activity.pk
                self._audit("programmes.activity.create", activity,
                            after=activity_snapshot(activity))
                self.summary.count("activities", "created")
                continue
            changes = differences(activity, wanted)
            relations_changed = (want_areas != areas[activity.pk]
                                 or want_sets != area_sets[activity.pk])
            if not changes and not relations_changed:
                self.summary.count("activities", "unchanged")
                continue
            before = activity_snapshot(activity)
            activity = versioned_update(activity, changes)
            if relations_changed:
                activity.areas.set(want_areas)
                activity.area_sets.set(want_sets)
            self._audit("programmes.activity.update", activity, before=before,
                        after=activity_snapshot(activity))
            self.summary.count("activities", "updated")

    def partners(self, rows: list[Row]) -> None:
        registered = set(ActivityPartner.objects.values_list(
            "activity__code", "organisation__slug", "role"))
        for row in rows:
            if row.key in registered:
                self.summary.count("partners", "unchanged")
                continue
            partner = ActivityPartner.objects.create(
                activity_id=self.activity_ids[row["activity"]],
                organisation_id=self.org_ids[row["organisation"]], role=row["role"])
            self._audit("programmes.activity_partner.add", partner)
            self.summary.count("partners", "created")

    # -- results --------------------------------------------------------------------------

    def results(self, rows: list[Row]) -> None:
        existing = {(r.activity_id, r.name): r for r in
                    ResultIndicator.objects.select_for_update().filter(
                        activity_id__in={self.activity_ids[r["activity"]] for r in rows})}
        for row in rows:
            activity_id = self.activity_ids[row["activity"]]
            wanted = {name: row[name] for name in (
                "kind", "indicator_code", "unit", "direction", "baseline_period",
                "baseline_value", "weight", "order")}
            result = existing.get((activity_id, row["name"]))
            if result is None:
                result = ResultIndicator.objects.create(activity_id=activity_id,
                                                        name=row["name"], **wanted)
                self._audit("programmes.result.create", result)
                self.summary.count("result_indicators", "created")
                continue
            changes = differences(result, wanted)
            if not changes:
                self.summary.count("result_indicators", "unchanged")
                continue
            before = snapshot(result)
            for name, value in changes.items():
                setattr(result, name, value)
            result.save(update_fields=list(changes))
            self._audit("programmes.result.update", result, before=before)
            self.summary.count("result_indicators", "updated")

    def periods(self, period_rows: list[Row], update_rows: list[Row]) -> None:
        """Targets, unlocking, approved updates, then locking: in that order, so that a
        workbook may unlock a period, change it and lock it again."""
        result_ids = {(code, name): pk for code, name, pk in ResultIndicator.objects
                      .values_list("activity__code", "name", "pk")}
        wanted_results = {result_ids[r.key[:2]] for r in [*period_rows, *update_rows]}
        existing = {(p.result_id, p.period): p for p in ResultPeriod.objects
                    .select_for_update().filter(result_id__in=wanted_results)}
        to_lock: list[ResultPeriod] = []
        for row in period_rows:
            result_id = result_ids[row.key[:2]]
            period = existing.get((result_id, row["period"]))
            if period is None:
                period = ResultPeriod.objects.create(result_id=result_id, period=row["period"],
                                                     target=row["target"])
                existing[(result_id, row["period"])] = period
                self._audit("programmes.result_period.create", period)
                self.summary.count("result_periods", "created")
            else:
                unlock = period.locked and not row["locked"]
                retarget = period.target != row["target"]
                if not (unlock or retarget or (row["locked"] and not period.locked)):
                    self.summary.count("result_periods", "unchanged")
                    continue
                self.summary.count("result_periods", "updated")
                if unlock or retarget:
                    before = snapshot(period)
                    period.target = row["target"]
                    if unlock:
                        period.locked, period.locked_at, period.locked_by = False, None, None
                    period.save()
                    self._audit("programmes.result_period.unlock" if unlock and not retarget
                                else "programmes.result_period.update", period, before=before)
            if row["locked"] and not period.locked:
                to_lock.append(period)
        self._approved_updates(update_rows, result_ids, existing)
        for period in to_lock:
            before = snapshot(period)
            period.locked, period.locked_at = True, self.now
            period.locked_by = user_or_none(self.user)
            period.save()
            self._audit("programmes.result_period.lock", period, before=before)

    def _approved_updates(self, rows: list[Row], result_ids: dict, periods: dict) -> None:
        approved = current_approved([p.pk for p in periods.values()])
        user = user_or_none(self.user)
        for row in rows:
            period = periods[(result_ids[row.key[:2]], row["period"])]
            wanted = (row["organisation"], row["value"], row["narrative"],
                      row["review_comment"])
            if approved_update_key(approved.get(period.pk)) == wanted:
                self.summary.count("result_updates", "unchanged")
                continue
            previous = approved.get(period.pk)
            reviewed_at = self.now
            if previous is not None and previous.reviewed_at is not None:
                # the latest approval is the current one: keep it so, whatever the clocks
                reviewed_at = max(reviewed_at, previous.reviewed_at + dt.timedelta(
                    microseconds=1))
            update = ResultUpdate.objects.create(
                period=period, organisation_id=self.org_ids[row["organisation"]],
                value=row["value"], narrative=row["narrative"],
                review_comment=row["review_comment"], status=ResultUpdate.Status.APPROVED,
                created_by=user, submitted_at=reviewed_at, reviewed_by=user,
                reviewed_at=reviewed_at)
            self._audit("programmes.result_update.import", update)
            self.summary.count("result_updates", "created")
            if previous is not None:  # stays approved, superseded (as services.results)
                old = snapshot(previous)
                self._audit("programmes.result_update.supersede", previous, before=old,
                            after={**old, "superseded_by": update.pk})
            if period.actual != row["value"]:
                before = snapshot(period)
                period.actual = row["value"]
                period.save(update_fields=["actual"])
                self._audit("programmes.result_period.actual", period, before=before)
