"""Writing the money sheets of a checked workbook: funding sources, what they secure,
budget lines. Runs inside the import's transaction (``load.workbook_import``)."""

from __future__ import annotations

from wijkbalans.accounts.audit import snapshot
from wijkbalans.accounts.models import Organisation
from wijkbalans.programmes.models import Activity, BudgetLine, FundingAllocation, FundingSource

from .read import Row
from .writing import audit, differences, versioned_update


class MoneyWriter:
    def __init__(self, *, acting_user, summary):
        self.user = acting_user
        self.summary = summary
        self.source_ids: dict[str, int] = {}

    def _upsert(self, *, sheet: str, action: str, existing, key, create, wanted) -> None:
        """Create the row, or update it when it differs; count and audit either."""
        obj = existing.get(key)
        if obj is None:
            obj = create()
            audit(acting_user=self.user, action=f"{action}.create", obj=obj)
            self.summary.count(sheet, "created")
            return
        changes = differences(obj, wanted)
        if not changes:
            self.summary.count(sheet, "unchanged")
            return
        before = snapshot(obj)
        obj = versioned_update(obj, changes)
        audit(acting_user=self.user, action=f"{action}.update", obj=obj, before=before)
        self.summary.count(sheet, "updated")

    def sources(self, rows: list[Row]) -> None:
        org_ids = dict(Organisation.objects.values_list("slug", "pk"))
        existing = {s.code: s for s in FundingSource.objects.select_for_update().filter(
            code__in=[r["code"] for r in rows])}
        for row in rows:
            wanted = {"name": row["name"], "kind": row["kind"],
                      "funder_id": org_ids[row["funder"]] if row["funder"] else None,
                      "conditions": row["conditions"], "start_year": row["start_year"],
                      "end_year": row["end_year"]}
            self._upsert(sheet="funding_sources", action="programmes.funding_source",
                         existing=existing, key=row["code"], wanted=wanted,
                         create=lambda w=wanted, c=row["code"]: FundingSource.objects.create(
                             code=c, **w))
        self.source_ids = dict(FundingSource.objects.values_list("code", "pk"))

    def allocations(self, rows: list[Row]) -> None:
        existing = {(a.source_id, a.year): a for a in FundingAllocation.objects
                    .select_for_update().filter(source_id__in={self.source_ids[r["source"]]
                                                               for r in rows})}
        for row in rows:
            key = (self.source_ids[row["source"]], row["year"])
            wanted = {"amount": row["amount"]}
            self._upsert(sheet="allocations", action="programmes.funding_allocation",
                         existing=existing, key=key, wanted=wanted,
                         create=lambda k=key, w=wanted: FundingAllocation.objects.create(
                             source_id=k[0], year=k[1], **w))

    def budget_lines(self, rows: list[Row]) -> None:
        activity_ids = dict(Activity.objects.values_list("code", "pk"))
        existing = {(b.activity_id, b.source_id, b.year): b for b in BudgetLine.objects
                    .select_for_update().filter(activity_id__in={activity_ids[r["activity"]]
                                                                 for r in rows})}
        for row in rows:
            key = (activity_ids[row["activity"]], self.source_ids[row["source"]], row["year"])
            wanted = {name: row[name] for name in ("planned", "committed", "spent", "note")}
            self._upsert(sheet="budget_lines", action="programmes.budget_line",
                         existing=existing, key=key, wanted=wanted,
                         create=lambda k=key, w=wanted: BudgetLine.objects.create(
                             activity_id=k[0], source_id=k[1], year=k[2], **w))
