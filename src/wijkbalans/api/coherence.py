"""``/api/v1/coherence/``: per buurt and theme of one municipality, the problem score against
the activities and money aimed there in a year, with the flags *high need, low effort* and
*overlap* (:mod:`wijkbalans.programmes.coherence`; the rule in docs/programmes-coherence.md).

Reading is open; an anonymous client (or a resident) sees public activities only and no
money, a member of the Local Alliance sees everything.
"""

from __future__ import annotations

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from wijkbalans.programmes import coherence
from wijkbalans.programmes.errors import ProgrammeError

from . import filters
from .base import ApiView
from .renderers import CSVRenderer, csv_response
from .serializers import CSV_TEXT

_OBJECT = {"type": "object"}
_MONEY = {"type": "string", "nullable": True,
          "description": "Euros to the cent as a decimal string; null when not visible."}
CELL_SCHEMA = {"type": "object", "properties": {
    "theme": {"type": "string"},
    "severity": {"type": "number", "nullable": True,
                 "description": "Problem score: 0 = the municipality's average, positive = "
                                "worse, 1 = one standard deviation."},
    "worst_quintile": {"type": "boolean"},
    "activities": {"type": "array", "items": _OBJECT,
                   "description": "code, title, kind and programme (top-level code)."},
    "programmes": {"type": "array", "items": _OBJECT,
                   "description": "code and title (null when the programme is not public)."},
    "money": _MONEY, "money_per_inhabitant": _MONEY,
    "high_need_low_effort": {"type": "boolean"}, "overlap": {"type": "boolean"}}}
COHERENCE_SCHEMA = {
    "type": "object",
    "description": "The buurten of one municipality × the index domains, for one year.",
    "properties": {
        "gemeente": {"type": "string"}, "name": {"type": "string"}, "year": {"type": "integer"},
        "themes": {"type": "array", "items": {"type": "string"}},
        "severity_source": {"type": "string", "enum": [
            coherence.SOURCE_INDEX, coherence.SOURCE_INDICATORS, coherence.SOURCE_NONE]},
        "severity_period": {"type": "string", "nullable": True},
        "notes": {"type": "array", "items": {"type": "string"}},
        "money_visible": {"type": "boolean"},
        "medians_per_inhabitant": {"type": "object", "additionalProperties": _MONEY},
        "rows": {"type": "array", "items": {"type": "object", "properties": {
            "code": {"type": "string"}, "name": {"type": "string"},
            "inhabitants": {"type": "number", "nullable": True},
            "cells": {"type": "array", "items": CELL_SCHEMA}}}},
    },
}


def _cell(c: coherence.Cell) -> dict:
    return {"theme": c.theme, "severity": c.severity, "worst_quintile": c.worst,
            "activities": [{"code": a.code, "title": a.title, "kind": a.kind,
                            "programme": a.programme} for a in c.activities],
            "programmes": [{"code": p.code, "title": p.title} for p in c.programmes],
            "money": coherence.euros(c.money),
            "money_per_inhabitant": coherence.euros(c.per_inhabitant),
            "high_need_low_effort": c.high_need_low_effort, "overlap": c.overlap}


def coherence_as_dict(matrix: coherence.Coherence) -> dict:
    """The matrix as :data:`COHERENCE_SCHEMA`; amounts as decimal strings (to the cent)."""
    return {
        "gemeente": matrix.gemeente, "name": matrix.name, "year": matrix.year,
        "themes": list(matrix.themes), "severity_source": matrix.source,
        "severity_period": matrix.period, "notes": matrix.notes,
        "money_visible": matrix.money_visible,
        "medians_per_inhabitant": {t: coherence.euros(m) for t, m in matrix.medians.items()},
        "rows": [{"code": r.code, "name": r.name, "inhabitants": r.inhabitants,
                  "cells": [_cell(c) for c in r.cells]} for r in matrix.rows],
    }


def _p(name, description, enum=None):
    return OpenApiParameter(name, OpenApiTypes.STR, description=description, enum=enum)


class CoherenceView(ApiView):
    """Problems against effort per buurt and theme of one municipality."""

    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        operation_id="coherence", summary="Problems against activities and money per buurt "
                                          "and theme",
        parameters=[
            _p("gemeente", "Gemeentecode, e.g. GM0014 (default: the municipality with the most "
                           "activities)."),
            _p("year", "The year of the activities and budget lines (default: this year)."),
            _p("format", "Output format (default json); csv has one row per buurt and theme.",
               ["json", "csv"]),
        ],
        responses={(200, "application/json"): COHERENCE_SCHEMA, (200, "text/csv"): CSV_TEXT,
                   400: OpenApiResponse(description="A parameter is wrong; it is named.")},
    )
    def get(self, request):
        f = filters.Filters(request.query_params, ("gemeente", "year"))
        gemeente = f.gemeentecode("gemeente")
        year = f.year()
        if year is not None and not coherence.YEARS[0] <= year <= coherence.YEARS[1]:
            f.fail("year", f"expected a year from {coherence.YEARS[0]} to "
                           f"{coherence.YEARS[1]}; found {year}")
        f.check()
        gemeente = gemeente or coherence.coherence_default_gemeente()
        if gemeente is None:
            raise ValidationError({"gemeente": ["expected a gemeentecode; no municipality "
                                                "with buurten is known yet"]})
        try:
            matrix = coherence.coherence_matrix(gemeente=gemeente,
                                                year=year or date.today().year,
                                                user=request.user)
        except ProgrammeError as error:
            raise ValidationError({error.field or "gemeente": [error.message]}) from error
        if self.wants("csv"):
            return csv_response(filename=f"coherence-{matrix.gemeente}-{matrix.year}.csv",
                                header=coherence.CSV_HEADER,
                                rows=coherence.coherence_csv_rows(matrix))
        return Response(coherence_as_dict(matrix))
