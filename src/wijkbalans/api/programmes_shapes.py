"""The shapes of the programme API's JSON: the bodies it reads (serializers that only map
fields; the services decide what a value means and who may write) and the rows it
writes, built as plain dicts and described by serializers for the OpenAPI schema.

Amounts are strings with two places and a dot (``"1234.50"``); result values are strings
in their shortest exact form (``"12.5"``); never floats.
"""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from wijkbalans.analysis.coverage import line_flags
from wijkbalans.analysis.rollup import period_key
from wijkbalans.programmes import permissions, selectors
from wijkbalans.programmes.coverage import amount_text
from wijkbalans.programmes.models import FundingSource, ResultPeriod, ResultUpdate

EURO = {"max_digits": 14, "decimal_places": 2}
QUANTITY = {"max_digits": 18, "decimal_places": 4}


def number_text(value: Decimal | None) -> str | None:
    """``Decimal("80.0000")`` as ``"80"``, ``Decimal("12.5000")`` as ``"12.5"``."""
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def money_text(value: Decimal | None) -> str | None:
    return None if value is None else amount_text(value)


# -- rows out ---------------------------------------------------------------------------

def tree_parents(tree) -> dict[int, str | None]:
    """For each activity of a tree in tree order, the code of the one it hangs under:
    its nearest ancestor that the reader may read."""
    above: list[str] = []
    parents = {}
    for activity, depth in tree:
        del above[depth:]
        parents[activity.pk] = above[-1] if above else None
        above.append(activity.code)
    return parents


def activity_as_dict(activity, depth: int, parent: str | None) -> dict:
    return {"code": activity.code, "title": activity.title, "kind": activity.kind,
            "status": activity.status, "parent": parent,
            "depth": depth, "owner": activity.owner.slug, "owner_name": activity.owner.name,
            "start": activity.start, "end": activity.end, "themes": list(activity.themes),
            "evidence_level": activity.evidence_level, "public": activity.public}


def progress_as_dict(part) -> dict:
    return {"value": None if part.progress is None else str(part.progress),
            "reason": part.reason or None, "counted": getattr(part, "counted", None),
            "skipped": getattr(part, "skipped", None)}


def update_as_dict(update: ResultUpdate) -> dict:
    period = update.period
    return {"id": update.pk, "activity": period.result.activity.code,
            "result": period.result_id, "result_name": period.result.name,
            "period": period.pk, "period_label": period.period,
            "organisation": update.organisation.slug, "value": number_text(update.value),
            "narrative": update.narrative, "status": update.status,
            "review_comment": update.review_comment, "version": update.version,
            "created_at": update.created_at, "submitted_at": update.submitted_at,
            "reviewed_at": update.reviewed_at}


def budget_line_as_dict(line) -> dict:
    return {"id": line.pk, "activity": line.activity.code, "source": line.source.code,
            "year": line.year, "planned": money_text(line.planned),
            "committed": money_text(line.committed), "spent": money_text(line.spent),
            "note": line.note, "version": line.version,
            "flags": line_flags(line.planned, line.committed, line.spent)}


def _period_as_dict(period: ResultPeriod, user) -> dict:
    member = permissions.is_alliance_member(user)
    updates = []
    for update in period.updates.all() if member else ():
        if (update.status == ResultUpdate.Status.DRAFT
                and not permissions.may_edit_update(user, update)):
            continue
        updates.append({"id": update.pk, "organisation": update.organisation.slug,
                        "value": number_text(update.value), "status": update.status,
                        "version": update.version})
    return {"id": period.pk, "period": period.period, "target": number_text(period.target),
            "actual": number_text(period.actual), "locked": period.locked,
            "updates": updates}


def activity_detail(activity, user) -> dict:
    """The activity as ``GET /programmes/activities/<code>/`` returns it to ``user``."""
    progress = selectors.activity_progress(activity=activity)
    by_name = {r.key: r for r in progress.results}
    results = []
    for result in activity.results.prefetch_related("periods__updates__organisation"):
        part = by_name.get(result.name)
        results.append({
            "id": result.pk, "kind": result.kind, "name": result.name,
            "indicator_code": result.indicator_code, "unit": result.unit,
            "direction": result.direction, "baseline_period": result.baseline_period,
            "baseline_value": number_text(result.baseline_value),
            "weight": number_text(result.weight), "order": result.order,
            "progress": progress_as_dict(part) if part else None,
            "periods": [_period_as_dict(p, user) for p in sorted(
                result.periods.all(), key=lambda p: period_key(p.period))]})
    budget = None
    if permissions.may_read_money(user):
        lines = list(activity.budget_lines.select_related("source", "activity"))
        zero = Decimal("0.00")
        budget = {"lines": [budget_line_as_dict(x) for x in lines],
                  "totals": {k: amount_text(sum((getattr(x, k) for x in lines), zero))
                             for k in ("planned", "committed", "spent")}}
    ancestors = [a for a in selectors.activity_ancestors(activity=activity)
                 if permissions.may_read(user, a)]
    return {
        **activity_as_dict(activity, len(ancestors),
                           ancestors[-1].code if ancestors else None),
        "description": activity.description, "links": activity.links,
        "areas": sorted(activity.areas.values_list("code", flat=True)),
        "area_sets": sorted(activity.area_sets.values_list("slug", flat=True)),
        "evidence_databank": activity.evidence_databank,
        "evidence_url": activity.evidence_url, "weight": number_text(activity.weight),
        "version": activity.version,
        "children": [c.code for c in activity.children.order_by("code")
                     if permissions.may_read(user, c)],
        "partners": [{"organisation": p.organisation.slug, "name": p.organisation.name,
                      "role": p.role} for p in selectors.activity_partners(activity=activity)],
        "progress": progress_as_dict(progress), "results": results, "budget": budget,
    }


# -- schemas of the rows ----------------------------------------------------------------

class ActivitySerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField(help_text="programme, action_line or intervention.")
    status = serializers.CharField()
    parent = serializers.CharField(allow_null=True, help_text=(
        "Code of the activity it hangs under: its parent, or the nearest ancestor you may "
        "read."))
    depth = serializers.IntegerField(help_text="Readable ancestors above it in the tree.")
    owner = serializers.CharField(help_text="Slug of the owner organisation.")
    owner_name = serializers.CharField()
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    themes = serializers.ListField(child=serializers.CharField())
    evidence_level = serializers.CharField()
    public = serializers.BooleanField()


class ProgressSerializer(serializers.Serializer):
    value = serializers.CharField(allow_null=True, help_text="0 to 1, six places; null "
                                                             "when unknown.")
    reason = serializers.CharField(allow_null=True)
    counted = serializers.IntegerField(allow_null=True)
    skipped = serializers.IntegerField(allow_null=True)


class PeriodUpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = serializers.CharField()
    value = serializers.CharField()
    status = serializers.CharField()
    version = serializers.IntegerField()


class ResultPeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField()
    target = serializers.CharField(allow_null=True)
    actual = serializers.CharField(allow_null=True)
    locked = serializers.BooleanField()
    updates = PeriodUpdateSerializer(many=True, help_text="Members of the alliance only; "
                                                          "a draft only for its organisation.")


class ResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    indicator_code = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField()
    baseline_period = serializers.CharField()
    baseline_value = serializers.CharField(allow_null=True)
    weight = serializers.CharField(allow_null=True)
    order = serializers.IntegerField()
    progress = ProgressSerializer(allow_null=True)
    periods = ResultPeriodSerializer(many=True)


class PartnerSerializer(serializers.Serializer):
    organisation = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()


class BudgetLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    activity = serializers.CharField()
    source = serializers.CharField()
    year = serializers.IntegerField()
    planned = serializers.CharField(help_text="Euros, two places: 1234.50.")
    committed = serializers.CharField()
    spent = serializers.CharField()
    note = serializers.CharField()
    version = serializers.IntegerField()
    flags = serializers.ListField(child=serializers.CharField())


class BudgetSerializer(serializers.Serializer):
    lines = BudgetLineSerializer(many=True)
    totals = serializers.DictField(child=serializers.CharField())


class ActivityDetailSerializer(ActivitySerializer):
    description = serializers.CharField()
    links = serializers.ListField(child=serializers.DictField())
    areas = serializers.ListField(child=serializers.CharField())
    area_sets = serializers.ListField(child=serializers.CharField())
    evidence_databank = serializers.CharField()
    evidence_url = serializers.CharField()
    weight = serializers.CharField(allow_null=True)
    version = serializers.IntegerField()
    children = serializers.ListField(child=serializers.CharField())
    partners = PartnerSerializer(many=True)
    progress = ProgressSerializer()
    results = ResultSerializer(many=True)
    budget = BudgetSerializer(allow_null=True, help_text="Members of the alliance only.")


class ResultUpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    activity = serializers.CharField()
    result = serializers.IntegerField()
    result_name = serializers.CharField()
    period = serializers.IntegerField()
    period_label = serializers.CharField()
    organisation = serializers.CharField()
    value = serializers.CharField()
    narrative = serializers.CharField()
    status = serializers.CharField(help_text="draft, submitted, approved or returned.")
    review_comment = serializers.CharField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = serializers.DictField(allow_null=True, help_text="The row as it is now.")


# -- bodies in --------------------------------------------------------------------------

class ResultUpdateCreateSerializer(serializers.Serializer):
    period = serializers.IntegerField(help_text="Id of the result period.")
    organisation = serializers.CharField(help_text="Slug of the reporting organisation.")
    value = serializers.DecimalField(**QUANTITY)
    narrative = serializers.CharField(required=False, allow_blank=True, default="")
    submit = serializers.BooleanField(required=False, default=False,
                                      help_text="true: send it to the bureau at once.")


class ResultUpdateEditSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version you read.")
    value = serializers.DecimalField(required=False, **QUANTITY)
    narrative = serializers.CharField(required=False, allow_blank=True)


class ResultUpdateReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text="Required to return an update.")


# -- money --------------------------------------------------------------------------------

def source_as_dict(source: FundingSource) -> dict:
    return {"code": source.code, "name": source.name, "kind": source.kind,
            "funder": source.funder.slug if source.funder_id else None,
            "conditions": source.conditions, "start_year": source.start_year,
            "end_year": source.end_year, "version": source.version,
            "allocations": [{"year": a.year, "amount": money_text(a.amount),
                             "version": a.version}
                            for a in sorted(source.allocations.all(), key=lambda a: a.year)]}


class AllocationSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    amount = serializers.CharField(help_text="Euros secured, two places: 1234.50.")
    version = serializers.IntegerField()


class FundingSourceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    funder = serializers.CharField(allow_null=True, help_text="Organisation slug.")
    conditions = serializers.CharField()
    start_year = serializers.IntegerField()
    end_year = serializers.IntegerField(allow_null=True, help_text="Null: structural.")
    version = serializers.IntegerField()
    allocations = AllocationSerializer(many=True)


class FundingSourceWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=60)
    name = serializers.CharField(max_length=200)
    kind = serializers.CharField(max_length=20, help_text="One of: " + ", ".join(
        FundingSource.Kind.values) + ".")
    funder = serializers.CharField(required=False, allow_null=True, allow_blank=True,
                                   default=None, help_text="Organisation slug.")
    conditions = serializers.CharField(required=False, allow_blank=True, default="")
    start_year = serializers.IntegerField()
    end_year = serializers.IntegerField(required=False, allow_null=True, default=None)


class FundingSourcePatchSerializer(FundingSourceWriteSerializer):
    version = serializers.IntegerField(help_text="The version you read.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class AllocationWriteSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**EURO)
    version = serializers.IntegerField(required=False, allow_null=True, default=None,
                                       help_text="The version you read; none for a year "
                                                 "without an amount yet.")


class BudgetLineCreateSerializer(serializers.Serializer):
    activity = serializers.CharField(help_text="Code of the activity.")
    source = serializers.CharField(help_text="Code of the funding source.")
    year = serializers.IntegerField()
    planned = serializers.DecimalField(**EURO)
    committed = serializers.DecimalField(required=False, default=0, **EURO)
    spent = serializers.DecimalField(required=False, default=0, **EURO)
    note = serializers.CharField(required=False, allow_blank=True, default="",
                                 max_length=300)


class BudgetLinePatchSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version you read.")
    source = serializers.CharField(required=False)
    year = serializers.IntegerField(required=False)
    planned = serializers.DecimalField(required=False, **EURO)
    committed = serializers.DecimalField(required=False, **EURO)
    spent = serializers.DecimalField(required=False, **EURO)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


_ROWS = {"type": "array", "items": {"type": "object", "additionalProperties": True}}
COVERAGE_SCHEMA = {
    "type": "object",
    "description": "Need, secured and gap per year and source (`rows`), per year "
                   "(`years`, with `shortfall`), and per temporary source what falls "
                   "away after it ends (`ending`). Amounts are strings: 1234.50.",
    "properties": {"currency": {"type": "string"}, "from_year": {"type": "integer"},
                   "to_year": {"type": "integer"},
                   "activity": {"type": "string", "nullable": True},
                   "rows": _ROWS, "years": _ROWS, "ending": _ROWS},
}
