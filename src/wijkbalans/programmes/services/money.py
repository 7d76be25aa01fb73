"""Writes of the register's money: funding sources, what they secure per year, and the
budget lines of activities. Each function checks the permission (``permissions``),
validates (``ProgrammeError`` naming the field; nothing is written), writes in one
transaction and records the change in the audit log with before and after.

Amounts are exact: ``Decimal``, ``int`` or text (``"1234.50"``, or ``"1234,50"`` with a
decimal comma), at least 0, whole cents, below 10^12 euros. A float is refused
(:class:`AmountTypeError`): ``0.1 + 0.2`` is not ``0.3`` in binary floating point.

A budget line's year must be one in which its source runs (first year..last year), as
must an allocation's. Committed may exceed planned and spent may exceed committed: both
happen (a contract above the plan, a payment without a prior commitment) and are shown as
flags (``analysis.coverage.line_flags``), not refused. A line with money committed or spent
is not deleted: that would erase financial history; set both to 0 first.

Concurrent edits: an update names the ``expected_version`` it read. The row is locked
(``SELECT ... FOR UPDATE``) for the before-snapshot, and written with
``UPDATE ... WHERE version = expected`` that also moves the version on; a stale version
raises :class:`ConflictError` with the row as it is now, so no edit is silently lost.
Writes that place money on a source lock the source row too, so that a change of the
source's period cannot slip past a new line or allocation outside it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from wijkbalans.accounts.audit import audit_record, snapshot
from wijkbalans.accounts.models import Organisation

from ..errors import ConflictError, PermissionRefused, ProgrammeError
from ..models import Activity, BudgetLine, FundingAllocation, FundingSource
from ..permissions import may_edit_budget, may_edit_sources

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")  # EURO: 14 digits, 2 of them decimals
FIRST_YEAR, LAST_YEAR = 1990, 2100
AMOUNT_TEXT = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
CODE_TEXT = re.compile(r"[-a-zA-Z0-9_]{1,60}")
LINE_FIELDS = ("source", "year", "planned", "committed", "spent", "note")


class AmountTypeError(ProgrammeError, TypeError):
    """An amount was given as a float (or another type that is not exact)."""


def _labels() -> dict[str, str]:
    return {"amount": _("secured amount"), "planned": _("planned amount"),
            "committed": _("committed amount"), "spent": _("amount spent"),
            "code": _("code"), "name": _("name"), "conditions": _("conditions"),
            "note": _("note"), "year": _("year"), "start_year": _("first year"),
            "end_year": _("last year")}


def _label(field: str) -> str:
    return _labels().get(field, field)


def parse_amount(field: str, value) -> Decimal:
    """An exact amount in euros, whole cents; refuses floats, negatives and fractions of
    a cent, naming ``field``."""
    label = _label(field)
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise AmountTypeError(
            _("The %(field)s is an exact amount in euros: give it as text or a Decimal, "
              "not as %(type)s (found %(value)s).")
            % {"field": label, "type": type(value).__name__, "value": repr(value)},
            field=field)
    expected = _("The %(field)s is an amount in euros such as 1234.50; found %(value)s.")
    if isinstance(value, str):
        text = value.strip()
        if not AMOUNT_TEXT.fullmatch(text):
            raise ProgrammeError(expected % {"field": label, "value": repr(value)},
                                 field=field)
        number = Decimal(text.replace(",", "."))
    else:
        number = Decimal(value)
    if not number.is_finite():
        raise ProgrammeError(expected % {"field": label, "value": repr(value)}, field=field)
    if number < 0:
        raise ProgrammeError(_("The %(field)s cannot be negative; found %(value)s.")
                             % {"field": label, "value": value}, field=field)
    if number > MAX_AMOUNT:
        raise ProgrammeError(_("The %(field)s is at most %(most)s euros; found %(value)s.")
                             % {"field": label, "most": MAX_AMOUNT, "value": value},
                             field=field)
    try:
        whole_cents = number == number.quantize(CENT)
    except InvalidOperation:
        whole_cents = False
    if not whole_cents:
        raise ProgrammeError(
            _("The %(field)s is in whole cents, at most 2 decimals; found %(value)s.")
            % {"field": label, "value": value}, field=field)
    return number.quantize(CENT)


def parse_year(field: str, value) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    elif isinstance(value, str) and re.fullmatch(r"[0-9]{4}", value.strip()):
        year = int(value)
    else:
        year = None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ProgrammeError(
            _("The %(field)s is a year from %(first)s to %(last)s, such as 2025; found "
              "%(value)s.") % {"field": _label(field), "first": FIRST_YEAR,
                               "last": LAST_YEAR, "value": repr(value)}, field=field)
    return year


def _version(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ProgrammeError(_("Name the version of the row you changed (a whole number "
                               "from 1); found %(value)s.") % {"value": repr(value)},
                             field="expected_version")
    return value


def _text(field: str, value, most: int | None, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise ProgrammeError(_("The %(field)s is text; found %(value)s.")
                             % {"field": _label(field), "value": repr(value)}, field=field)
    value = value.strip()
    if required and not value:
        raise ProgrammeError(_("The %(field)s is required.") % {"field": _label(field)},
                             field=field)
    if most is not None and len(value) > most:
        raise ProgrammeError(_("The %(field)s is at most %(most)s characters; found "
                               "%(count)s.") % {"field": _label(field), "most": most,
                                                "count": len(value)}, field=field)
    return value


def period_text(source: FundingSource) -> str:
    if source.end_year is None:
        return _("%(first)s onwards (no last year)") % {"first": source.start_year}
    return f"{source.start_year}-{source.end_year}"


def _within_period(source: FundingSource, year: int) -> None:
    if year < source.start_year or (source.end_year is not None and year > source.end_year):
        raise ProgrammeError(
            _("The funding source %(source)s runs %(period)s; the year %(year)s lies "
              "outside it.") % {"source": source.code, "period": period_text(source),
                                "year": year}, field="year")


def _conflict(kind: str, current) -> ConflictError:
    messages = {
        "source": _("Somebody else changed this funding source since you read it; nothing "
                    "was saved. Read it again and redo your change."),
        "allocation": _("Somebody else set this secured amount since you read it; nothing "
                        "was saved. Read it again and redo your change."),
        "line": _("Somebody else changed or removed this budget line since you read it; "
                  "nothing was saved. Read it again and redo your change."),
    }
    return ConflictError(messages[kind],
                         current=snapshot(current) if current is not None else {})


def _locked_source(source) -> FundingSource:
    if not isinstance(source, FundingSource) or source.pk is None:
        raise ProgrammeError(_("Choose a saved funding source; found %(value)s.")
                             % {"value": repr(source)}, field="source")
    locked = FundingSource.objects.select_for_update().filter(pk=source.pk).first()
    if locked is None:
        raise ProgrammeError(_("The funding source %(source)s no longer exists.")
                             % {"source": source.code}, field="source")
    return locked


# -- funding sources and what they secure ------------------------------------------------

def _refuse_sources(acting_user) -> None:
    if not may_edit_sources(acting_user):
        raise PermissionRefused(_("Only a finance officer of a municipality (or an "
                                  "administrator) may change funding sources and the "
                                  "amounts they secure."))


def _source_fields(*, code, name, kind, start_year, end_year, funder, conditions) -> dict:
    code = _text("code", code, 60, required=True)
    if not CODE_TEXT.fullmatch(code):
        raise ProgrammeError(_("The code has letters, digits, - and _ only, such as "
                               "nplv-spuk; found %(value)s.") % {"value": repr(code)},
                             field="code")
    if kind not in FundingSource.Kind.values:
        raise ProgrammeError(_("The kind is one of %(kinds)s; found %(value)s.")
                             % {"kinds": ", ".join(FundingSource.Kind.values),
                                "value": repr(kind)}, field="kind")
    start_year = parse_year("start_year", start_year)
    if end_year is not None and end_year != "":
        end_year = parse_year("end_year", end_year)
        if end_year < start_year:
            raise ProgrammeError(_("The last year (%(last)s) comes before the first year "
                                   "(%(first)s).") % {"last": end_year, "first": start_year},
                                 field="end_year")
    else:
        end_year = None
    if funder is not None and (not isinstance(funder, Organisation) or funder.pk is None):
        raise ProgrammeError(_("The funder is a saved organisation or empty; found "
                               "%(value)s.") % {"value": repr(funder)}, field="funder")
    return {"code": code, "name": _text("name", name, 200, required=True), "kind": kind,
            "start_year": start_year, "end_year": end_year, "funder": funder,
            "conditions": _text("conditions", conditions, None)}


def funding_source_save(*, acting_user, code, name, kind, start_year, end_year=None,
                        funder=None, conditions="", source=None,
                        expected_version=None) -> FundingSource:
    """Create a funding source, or (with ``source`` and its ``expected_version``) change
    one. A new period must still hold every allocation and budget line on the source."""
    _refuse_sources(acting_user)
    fields = _source_fields(code=code, name=name, kind=kind, start_year=start_year,
                            end_year=end_year, funder=funder, conditions=conditions)
    taken = _("The code %(code)s is taken by another funding source.") % {"code": fields["code"]}
    if source is None:
        try:
            with transaction.atomic():
                if FundingSource.objects.filter(code=fields["code"]).exists():
                    raise ProgrammeError(taken, field="code")
                created = FundingSource.objects.create(**fields)
                audit_record(acting_user=acting_user, action="programmes.funding_source.create",
                             obj=created, after=snapshot(created))
                return created
        except IntegrityError:
            raise ProgrammeError(taken, field="code") from None
    version = _version(expected_version)
    with transaction.atomic():
        locked = _locked_source(source)
        if locked.version != version:
            raise _conflict("source", locked)
        if FundingSource.objects.filter(code=fields["code"]).exclude(pk=locked.pk).exists():
            raise ProgrammeError(taken, field="code")
        _refuse_money_outside(locked, fields["start_year"], fields["end_year"])
        changed = {k: v for k, v in fields.items() if getattr(locked, k) != v}
        if not changed:
            return locked
        before = snapshot(locked)
        FundingSource.objects.filter(pk=locked.pk, version=version).update(
            **changed, version=F("version") + 1)
        locked.refresh_from_db()
        audit_record(acting_user=acting_user, action="programmes.funding_source.update",
                     obj=locked, before=before, after=snapshot(locked))
        return locked


def _refuse_money_outside(source: FundingSource, start_year: int, end_year: int | None) -> None:
    outside = Q(year__lt=start_year) | (Q(year__gt=end_year) if end_year is not None
                                        else Q(pk__in=[]))
    years = sorted({*source.allocations.filter(outside).values_list("year", flat=True),
                    *source.budget_lines.filter(outside).values_list("year", flat=True)})
    if years:
        raise ProgrammeError(
            _("Secured amounts or budget lines of %(source)s lie outside the new period, in "
              "%(years)s; move or remove them first.")
            % {"source": source.code, "years": ", ".join(map(str, years))},
            field="start_year" if years[0] < start_year else "end_year")


def funding_allocation_set(*, acting_user, source, year, amount,
                           expected_version=None) -> FundingAllocation:
    """Set what ``source`` secures in ``year``. Changing an amount that exists names its
    ``expected_version``; a first amount for the year names none."""
    _refuse_sources(acting_user)
    year, amount = parse_year("year", year), parse_amount("amount", amount)
    version = None if expected_version is None else _version(expected_version)
    try:
        with transaction.atomic():
            locked_source = _locked_source(source)
            _within_period(locked_source, year)
            current = FundingAllocation.objects.select_for_update().filter(
                source=locked_source, year=year).first()
            if current is None:
                if version is not None:
                    raise _conflict("allocation", None)
                created = FundingAllocation.objects.create(source=locked_source, year=year,
                                                           amount=amount)
                audit_record(acting_user=acting_user,
                             action="programmes.funding_allocation.create",
                             obj=created, after=snapshot(created))
                return created
            if version != current.version:
                raise _conflict("allocation", current)
            if current.amount == amount:
                return current
            before = snapshot(current)
            FundingAllocation.objects.filter(pk=current.pk, version=version).update(
                amount=amount, version=F("version") + 1)
            current.refresh_from_db()
            audit_record(acting_user=acting_user, action="programmes.funding_allocation.update",
                         obj=current, before=before, after=snapshot(current))
            return current
    except IntegrityError:
        # Somebody else set the first amount for this year at the same moment.
        raise _conflict("allocation", FundingAllocation.objects.filter(
            source_id=source.pk, year=year).first()) from None


# -- budget lines ----------------------------------------------------------------------

def _refuse_budget(acting_user, activity) -> None:
    if not may_edit_budget(acting_user, activity):
        raise PermissionRefused(
            _("Only a finance officer of %(owner)s, which owns %(activity)s, may change its "
              "budget lines.") % {"owner": activity.owner, "activity": activity.code})


def _line_values(changes: dict) -> dict:
    parsed = {}
    for key, value in changes.items():
        if key in ("planned", "committed", "spent"):
            parsed[key] = parse_amount(key, value)
        elif key == "year":
            parsed[key] = parse_year("year", value)
        elif key == "note":
            parsed[key] = _text("note", value, 300)
        elif key == "source":
            parsed[key] = value
        else:
            raise ProgrammeError(
                _("A budget line has no field %(field)s to change; expected %(fields)s.")
                % {"field": key, "fields": ", ".join(LINE_FIELDS)}, field=key)
    return parsed


def _duplicate(activity, source, year) -> ProgrammeError:
    return ProgrammeError(
        _("%(activity)s already has a budget line on %(source)s in %(year)s; change that "
          "line instead.") % {"activity": activity.code, "source": source.code, "year": year},
        field="year")


def budget_line_create(*, acting_user, activity, source, year, planned, committed=0,
                       spent=0, note="") -> BudgetLine:
    """Plan ``activity``'s need from ``source`` in ``year`` (one line per activity, source
    and year), with what is committed and spent of it."""
    if not isinstance(activity, Activity) or activity.pk is None:
        raise ProgrammeError(_("Choose a saved activity; found %(value)s.")
                             % {"value": repr(activity)}, field="activity")
    _refuse_budget(acting_user, activity)
    values = _line_values({"year": year, "planned": planned, "committed": committed,
                           "spent": spent, "note": note})
    try:
        with transaction.atomic():
            locked_source = _locked_source(source)
            _within_period(locked_source, values["year"])
            if BudgetLine.objects.filter(activity=activity, source=locked_source,
                                         year=values["year"]).exists():
                raise _duplicate(activity, locked_source, values["year"])
            line = BudgetLine.objects.create(activity=activity, source=locked_source, **values)
            audit_record(acting_user=acting_user, action="programmes.budget_line.create",
                         obj=line, after=snapshot(line))
            return line
    except IntegrityError:
        raise _duplicate(activity, source, values["year"]) from None


def budget_line_update(*, acting_user, line, expected_version, **changes) -> BudgetLine:
    """Change ``line`` (any of source, year, planned, committed, spent, note) if it is
    still at ``expected_version``; otherwise raise ConflictError with the row as it is."""
    _refuse_budget(acting_user, line.activity)
    values = _line_values(changes)
    version = _version(expected_version)
    try:
        with transaction.atomic():
            current = BudgetLine.objects.select_for_update().filter(pk=line.pk).first()
            if current is None or current.version != version:
                raise _conflict("line", current)
            if "source" in values or "year" in values:
                source = _locked_source(values.get("source", current.source))
                year = values.get("year", current.year)
                _within_period(source, year)
                if BudgetLine.objects.filter(activity_id=current.activity_id, source=source,
                                             year=year).exclude(pk=current.pk).exists():
                    raise _duplicate(current.activity, source, year)
            changed = {k: v for k, v in values.items()
                       if (current.source_id != v.pk if k == "source"
                           else getattr(current, k) != v)}
            if not changed:
                return current
            before = snapshot(current)
            written = BudgetLine.objects.filter(pk=current.pk, version=version).update(
                **changed, version=F("version") + 1)
            if written != 1:  # PostgreSQL's row lock prevents this; SQLite relies on it
                raise _conflict("line", BudgetLine.objects.filter(pk=line.pk).first())
            current.refresh_from_db()
            audit_record(acting_user=acting_user, action="programmes.budget_line.update",
                         obj=current, before=before, after=snapshot(current))
            return current
    except IntegrityError:
        raise _duplicate(line.activity, values.get("source", line.source),
                         values.get("year", line.year)) from None


def budget_line_delete(*, acting_user, line) -> None:
    """Remove a line with nothing committed or spent on it."""
    _refuse_budget(acting_user, line.activity)
    with transaction.atomic():
        current = BudgetLine.objects.select_for_update().filter(pk=line.pk).first()
        if current is None:
            raise ProgrammeError(_("This budget line no longer exists."), field="line")
        refusals = {
            "spent": _("This budget line has %(amount)s euros spent; a line with money "
                       "committed or spent stays, as financial history. Set both to 0 first."),
            "committed": _("This budget line has %(amount)s euros committed; a line with "
                           "money committed or spent stays, as financial history. Set both "
                           "to 0 first."),
        }
        for field, message in refusals.items():
            if getattr(current, field):
                raise ProgrammeError(message % {"amount": getattr(current, field)},
                                     field=field)
        before, pk, label = snapshot(current), current.pk, str(current)
        current.delete()
        audit_record(acting_user=acting_user, action="programmes.budget_line.delete",
                     object_type="programmes.budgetline", object_id=str(pk),
                     object_repr=label, before=before)
