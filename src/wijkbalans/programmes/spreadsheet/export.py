"""Writing the register, its results and its money as one workbook.

The export is deterministic: rows sorted by their keys (activities in tree order), the
columns in the schema's order, no timestamps in cells, fixed workbook properties and
fixed zip entry times. The same data gives the same bytes, and export → import into an
empty database → export gives the same workbook.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from wijkbalans.accounts.models import Organisation
from wijkbalans.programmes.models import (
    Activity,
    ActivityPartner,
    BudgetLine,
    FundingAllocation,
    FundingSource,
    ResultIndicator,
    ResultPeriod,
)

from . import cells
from . import schema as s
from .checks import current_approved

FIXED_TIME = dt.datetime(2000, 1, 1)
MAX_ROWS = 1048576  # the last row of a sheet
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
WIDTHS = {s.TEXT: 30, s.LINKS: 40, s.LIST: 24, s.URL: 30, s.DATE: 12, s.BOOL: 9,
          s.YEAR: 8, s.INT: 8, s.PERIOD: 10, s.AMOUNT: 16, s.QUANTITY: 12, s.WEIGHT: 9}
_STAMP = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _tree_order(activities: list[Activity]) -> list[Activity]:
    children = defaultdict(list)
    for activity in activities:
        children[activity.parent_id].append(activity)
    ordered: list[Activity] = []
    stack = sorted(children[None], key=lambda a: a.code, reverse=True)
    while stack:
        activity = stack.pop()
        ordered.append(activity)
        stack.extend(sorted(children[activity.pk], key=lambda a: a.code, reverse=True))
    return ordered


def export_rows() -> dict[str, list[dict[str, Any]]]:
    """Every sheet's rows as values (before they become cells), in the workbook's order."""
    activities = _tree_order(list(Activity.objects.select_related("parent", "owner")
                                  .prefetch_related("areas", "area_sets")))
    results = sorted(ResultIndicator.objects.select_related("activity"),
                     key=lambda r: (r.activity.code, r.order, r.name))
    rank = {r.pk: i for i, r in enumerate(results)}
    periods = sorted(ResultPeriod.objects.select_related("result__activity"),
                     key=lambda p: (rank[p.result_id], p.period))
    approved = current_approved([p.pk for p in periods])
    # Sorted in Python, not by the database, whose collation may order "-" and "_" or
    # capitals differently: the same data gives the same workbook on every database.
    sources = sorted(FundingSource.objects.select_related("funder"), key=lambda f: f.code)
    partners = sorted(ActivityPartner.objects.select_related("activity", "organisation"),
                      key=lambda p: (p.activity.code, p.organisation.slug, p.role))
    rows: dict[str, list[dict[str, Any]]] = {
        "activities": [{
            "code": a.code, "parent_code": a.parent.code if a.parent else "", "kind": a.kind,
            "title": a.title, "description": a.description, "owner": a.owner.slug,
            "status": a.status, "start": a.start, "end": a.end,
            "areas": sorted(x.code for x in a.areas.all()),
            "area_sets": sorted(x.slug for x in a.area_sets.all()),
            "themes": list(a.themes or []),
            "links": [(link.get("title", ""), link.get("url", "")) for link in a.links or []],
            "evidence_level": a.evidence_level, "evidence_databank": a.evidence_databank,
            "evidence_url": a.evidence_url, "weight": a.weight, "public": a.public,
        } for a in activities],
        "partners": [{"activity": p.activity.code, "organisation": p.organisation.slug,
                      "role": p.role} for p in partners],
        "result_indicators": [{
            "activity": r.activity.code, "name": r.name, "kind": r.kind,
            "indicator_code": r.indicator_code, "unit": r.unit, "direction": r.direction,
            "baseline_period": r.baseline_period, "baseline_value": r.baseline_value,
            "weight": r.weight, "order": r.order} for r in results],
        "result_periods": [{
            "activity": p.result.activity.code, "result": p.result.name, "period": p.period,
            "target": p.target, "actual": p.actual, "locked": p.locked} for p in periods],
        "result_updates": [{
            "activity": p.result.activity.code, "result": p.result.name, "period": p.period,
            "organisation": u.organisation.slug, "value": u.value, "narrative": u.narrative,
            "review_comment": u.review_comment}
            for p in periods if (u := approved.get(p.pk)) is not None],
        "funding_sources": [{
            "code": f.code, "name": f.name, "kind": f.kind,
            "funder": f.funder.slug if f.funder else "", "conditions": f.conditions,
            "start_year": f.start_year, "end_year": f.end_year} for f in sources],
        "allocations": [{"source": a.source.code, "year": a.year, "amount": a.amount}
                        for a in sorted(FundingAllocation.objects.select_related("source"),
                                        key=lambda a: (a.source.code, a.year))],
        "budget_lines": [{
            "activity": b.activity.code, "source": b.source.code, "year": b.year,
            "planned": b.planned, "committed": b.committed, "spent": b.spent, "note": b.note}
            for b in sorted(BudgetLine.objects.select_related("activity", "source"),
                            key=lambda b: (b.activity.code, b.source.code, b.year))],
    }
    used = ({a["owner"] for a in rows["activities"]}
            | {p["organisation"] for p in rows["partners"]}
            | {u["organisation"] for u in rows["result_updates"]}
            | {f["funder"] for f in rows["funding_sources"] if f["funder"]})
    rows["organisations"] = [{"slug": o.slug, "name": o.name, "kind": o.kind} for o in
                             sorted(Organisation.objects.filter(slug__in=used),
                                    key=lambda o: o.slug)]
    return {sheet.name: rows[sheet.name] for sheet in s.SHEETS}


def _header(ws, headers: list[str]) -> None:
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"


def _choice_list(ws, column: s.Column, letter: str) -> None:
    """A drop-down of the column's choices, so that a spreadsheet program offers them."""
    choices = ",".join(c for c in column.choices if c)
    rule = DataValidation(type="list", formula1=f'"{choices}"',
                          allow_blank=not column.required, showErrorMessage=True,
                          errorTitle=column.name, error=f"{column.en}: {choices}")
    rule.add(f"{letter}2:{letter}{MAX_ROWS}")
    ws.add_data_validation(rule)


def workbook_bytes(rows: dict[str, list[dict[str, Any]]]) -> bytes:
    """The workbook of ``rows`` (as :func:`export_rows` gives them), byte for byte the same
    for the same rows."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    book.properties.creator = "wijkbalans"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    readme = book.create_sheet(s.README)
    readme_rows = s.readme_rows()
    _header(readme, readme_rows[0])
    for line in readme_rows[1:]:
        readme.append(line)
    for letter, width in zip("ABCDEFG", (18, 18, 9, 30, 30, 60, 60), strict=True):
        readme.column_dimensions[letter].width = width
    for sheet in s.SHEETS:
        ws = book.create_sheet(sheet.name)
        _header(ws, sheet.headers)
        for record in rows[sheet.name]:
            ws.append([cells.to_cell(c, record[c.name]) for c in sheet.columns])
        for index, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            if column.type == s.CHOICE:
                _choice_list(ws, column, letter)
            ws.column_dimensions[letter].width = max(WIDTHS.get(column.type, 14),
                                                     len(column.name) + 2)
            number_format = cells.NUMBER_FORMATS.get(column.type)
            if number_format or column.type == s.LINKS:
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    if number_format and not isinstance(cell.value, str):
                        cell.number_format = number_format
                    if column.type == s.LINKS:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times and a fixed 'modified' property, so that
    the same workbook gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + _STAMP + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, content)
    return out.getvalue()


def workbook_export(*, path: Path | str | None = None) -> bytes:
    """The programmes workbook; written to ``path`` too when given."""
    data = workbook_bytes(export_rows())
    if path is not None:
        Path(path).write_bytes(data)
    return data
