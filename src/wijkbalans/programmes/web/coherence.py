"""The coherence page (``/programma/samenhang/``) and its CSV: per buurt and theme, how
severe the problems are against the activities and money aimed there, with the cells of
high need and low effort and those where programmes overlap.

Thin: the form parses municipality and year, :func:`~..coherence.coherence_matrix` does
the work, this module only turns numbers into text. Anyone may read the page; what the
matrix counts depends on the reader (public activities and no money for the public).
"""

from __future__ import annotations

import csv
import io
from datetime import date

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from wijkbalans.charts.numbers import format_number
from wijkbalans.indicators.catalogue import THEMES

from ..coherence import (
    CSV_HEADER,
    SOURCE_INDEX,
    SOURCE_INDICATORS,
    YEARS,
    Cell,
    Coherence,
    coherence_csv_rows,
    coherence_default_gemeente,
    coherence_gemeenten,
    coherence_matrix,
)
from ..errors import ProgrammeError


class CoherenceForm(forms.Form):
    gemeente = forms.ChoiceField(
        label=_lazy("Municipality"), required=False,
        error_messages={"invalid_choice": _lazy(
            "Expected one of the municipalities in the list; found %(value)s.")})
    jaar = forms.IntegerField(
        label=_lazy("Year"), required=False, min_value=YEARS[0], max_value=YEARS[1],
        help_text=_lazy("Activities that run in this year, and their budget for it."),
        error_messages={
            "invalid": _lazy("Expected a year of four digits, such as 2026."),
            "min_value": _lazy("Expected a year from %(limit_value)s on."),
            "max_value": _lazy("Expected a year up to %(limit_value)s.")})

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].choices = list(choices)


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def theme_label(theme: str) -> str:
    nl, en = THEMES.get(theme, (theme, theme))
    return en if _lang() == "en" else nl


def activity_url(code: str) -> str | None:
    """The activity's page, or None while the register pages are not there."""
    try:
        return reverse("programmes:activity", args=[code])
    except NoReverseMatch:
        return None


def euro_text(value, decimals: int = 0) -> str:
    return "–" if value is None else "€ " + format_number(float(value), decimals, _lang())


def severity_text(value: float | None) -> str:
    """``score +1,6`` (Dutch notation), or that there are no figures."""
    if value is None:
        return _("no figures")
    number = ("+" if value > 0 else "") + format_number(value, 1, _lang())
    return _("score %(score)s") % {"score": number}


def _parse(request) -> tuple[CoherenceForm, str | None, int | None]:
    """The form (bound to the query), and municipality and year with defaults filled in;
    (form, None, None) when the form has errors."""
    choices = coherence_gemeenten()
    form = CoherenceForm(request.GET, choices=choices)
    if not form.is_valid():
        return form, None, None
    gemeente = form.cleaned_data["gemeente"] or coherence_default_gemeente(choices)
    year = form.cleaned_data["jaar"] or date.today().year
    return form, gemeente, year


def _matrix(request) -> tuple[CoherenceForm, Coherence | None]:
    form, gemeente, year = _parse(request)
    if gemeente is None:
        return form, None
    try:
        matrix = coherence_matrix(gemeente=gemeente, year=year, user=request.user)
    except ProgrammeError as error:
        form.add_error("jaar" if error.field == "year" else "gemeente", error.message)
        return form, None
    return form, matrix


def _activity_items(cell: Cell) -> list[dict]:
    return [{"code": a.code, "title": a.title, "url": activity_url(a.code)}
            for a in cell.activities]


def _programme_names(cell: Cell) -> list[str]:
    return [p.title or _("a programme that is not public (%(code)s)") % {"code": p.code}
            for p in cell.programmes]


def _cell_view(cell: Cell, matrix: Coherence) -> dict:
    classes = [c for c, on in (("coh-worst", cell.worst), ("coh-gap", cell.high_need_low_effort),
                               ("coh-overlap", cell.overlap)) if on]
    effort = (ngettext("%(n)s activity", "%(n)s activities", cell.count) % {"n": cell.count}
              if cell.count else _("no activity"))
    if cell.programmes:
        effort += ", " + ngettext("%(n)s programme", "%(n)s programmes",
                                  len(cell.programmes)) % {"n": len(cell.programmes)}
    money = None
    if matrix.money_visible and (cell.count or cell.money):
        money = euro_text(cell.money)
        if cell.per_inhabitant is not None:
            money += " " + _("(%(amount)s per inhabitant)") % {
                "amount": euro_text(cell.per_inhabitant, 2)}
    return {"theme": theme_label(cell.theme), "severity": severity_text(cell.severity),
            "worst": cell.worst, "effort": effort, "money": money,
            "gap": cell.high_need_low_effort, "overlap": cell.overlap,
            "classes": " ".join(classes)}


def _listed(cell: Cell, row_name: str, matrix: Coherence) -> dict:
    return {"buurt": row_name, "code": cell.buurt, "theme": theme_label(cell.theme),
            "severity": severity_text(cell.severity), "activities": _activity_items(cell),
            "programmes": _programme_names(cell),
            "per_inhabitant": euro_text(cell.per_inhabitant, 2)
            if matrix.money_visible else None,
            "median": euro_text(matrix.medians.get(cell.theme), 2)
            if matrix.money_visible else None}


def _context(matrix: Coherence) -> dict:
    rows, gaps, overlaps = [], [], []
    for row in matrix.rows:
        people = None if row.inhabitants is None else format_number(row.inhabitants, 0,
                                                                    _lang())
        rows.append({"code": row.code, "name": row.name, "inhabitants": people or "–",
                     "cells": [_cell_view(c, matrix) for c in row.cells]})
        gaps += [_listed(c, row.name, matrix) for c in row.cells if c.high_need_low_effort]
        overlaps += [_listed(c, row.name, matrix) for c in row.cells if c.overlap]
    source = {SOURCE_INDEX: _("the domain scores of the stacking index"),
              SOURCE_INDICATORS: _("the plain indicators (no stacking index could be "
                                   "computed for this municipality)")}.get(
        matrix.source, _("nothing: there are no figures for this municipality"))
    return {"matrix": matrix, "rows": rows, "gaps": gaps, "overlaps": overlaps,
            "themes": [theme_label(t) for t in matrix.themes], "source": source,
            "query": f"gemeente={matrix.gemeente}&jaar={matrix.year}"}


def coherence_page(request):
    form, matrix = _matrix(request)
    if matrix is None:
        return render(request, "programmes/coherence.html", {"form": form},
                      status=400 if form.errors else 200)
    shown = CoherenceForm(initial={"gemeente": matrix.gemeente, "jaar": matrix.year},
                          choices=form.fields["gemeente"].choices)
    return render(request, "programmes/coherence.html", {"form": shown, **_context(matrix)})


def coherence_csv(request):
    form, matrix = _matrix(request)
    if matrix is None:
        problems = [f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()]
        return HttpResponse("\n".join(problems or [_("No municipality with neighbourhoods "
                                                     "(buurten) yet.")]),
                            status=400, content_type="text/plain; charset=utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(coherence_csv_rows(matrix))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="samenhang-{matrix.gemeente}-{matrix.year}.csv"')
    return response
