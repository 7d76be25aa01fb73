"""Recording a concern (/signalen/nieuw/) and the professional's own concerns
(/signalen/mijn/).

The form is screened by :func:`~wijkbalans.concerns.services.concern_submit`. A text
with personal data comes back in the form, untouched, with what to remove marked in it;
nothing of it is stored, logged or put in a message (the view is marked
``sensitive_post_parameters``, so an error report would not show it either). A point
clicked on the map only chooses the buurt: the service snaps it and discards it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from wijkbalans.areas.models import Area
from wijkbalans.areas.selectors import area_geometries

from .. import selectors
from ..models import Concern
from ..services import (
    ConcernError,
    ConcernNotAllowed,
    ScreenRefused,
    concern_submit,
    concern_text_read,
)
from . import common
from .forms import THEME_HINTS, ConcernForm

PAGE_SIZE = 25
NOT_A_REPORTER = _lazy("Recording concerns needs the role professional or partner in an "
                       "organisation of the Local Alliance.")


def marked(text: str, findings) -> list[dict]:
    """``text`` cut into pieces, the personal data the screen found marked, in order.

    >>> from types import SimpleNamespace as F
    >>> [(p["text"], p["mark"]) for p in marked("Bel 06-1 nu", [F(start=4, end=8, label="x")])]
    [('Bel ', False), ('06-1', True), (' nu', False)]
    """
    pieces, at = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < at:
            continue
        if finding.start > at:
            pieces.append({"text": text[at:finding.start], "mark": False})
        pieces.append({"text": text[finding.start:finding.end], "mark": True,
                       "label": _(finding.label)})
        at = finding.end
    if at < len(text):
        pieces.append({"text": text[at:], "mark": False})
    return pieces


def findings_listed(findings) -> list[dict]:
    """What to remove, once per kind and text, in text order."""
    seen, out = set(), []
    for finding in sorted(findings, key=lambda f: f.start):
        key = (finding.kind, finding.text)
        if key not in seen:
            seen.add(key)
            out.append({"label": _(finding.label), "hint": _(finding.hint),
                        "text": finding.text})
    return out


def _reporter_or_refuse(request):
    organisations = selectors.submit_organisations(user=request.user)
    return organisations, common.login_or_refuse(request, bool(organisations), NOT_A_REPORTER)


@never_cache
@sensitive_post_parameters("text", "lon", "lat")
def concern_new(request):
    organisations, denied = _reporter_or_refuse(request)
    if denied:
        return denied
    gemeente, gemeenten = common.gemeente_choice(request)
    if gemeente is None:
        return render(request, "concerns/new.html", {
            "form": None, "gemeenten": gemeenten,
            "gemeente_error": bool(request.GET.get("gemeente"))},
            status=400 if request.GET.get("gemeente") else 200)
    form = ConcernForm(request.POST if request.method == "POST" else None,
                       organisations=organisations, gemeente=gemeente)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            concern = concern_submit(acting_user=request.user, **form.service_arguments())
        except ScreenRefused as error:
            refused = {"findings": findings_listed(error.findings),
                       "pieces": marked(form.cleaned_data["text"], error.findings)}
            form.add_error("text", _("The text seems to hold personal data. Remove what "
                                     "is marked and send the form again."))
        except ConcernNotAllowed:
            common.refuse(NOT_A_REPORTER)
        except ConcernError as error:
            field = "buurt" if error.field in ("lon", "lat") else error.field
            form.add_error(field if field in form.fields else None, error.message)
        else:
            routed = [a.organisation.name for a in concern.assignments.select_related(
                "organisation").order_by("organisation__name")]
            messages.success(request, _(
                "Thank you. Your concern about %(buurt)s in %(week)s is recorded.")
                % {"buurt": concern.buurt.name, "week": concern.week}
                + " " + (_("It was sent to: %(partners)s.") % {"partners": ", ".join(routed)}
                         if routed else _("No partner receives this theme here yet; the "
                                          "programme bureau sees it in the counts.")))
            return redirect("concerns:mine")
    return render(request, "concerns/new.html", {
        "form": form, "refused": refused, "gemeente": gemeente, "gemeenten": gemeenten,
        "theme_options": list(zip(form["theme"], [THEME_HINTS[v] for v, _l in
                                                  form.fields["theme"].choices],
                                  strict=True)),
        "map_buurt": _map_buurt(form), "single": form.single_organisation(),
    }, status=400 if form.errors else 200)


def _map_buurt(form):
    """The buurt of a point chosen on the map, to say which one it was when the form
    comes back (the point itself is not kept)."""
    if not form.is_bound or form.data.get("buurt"):
        return None
    try:
        lon, lat = float(form.data.get("lon")), float(form.data.get("lat"))
    except (TypeError, ValueError):
        return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return selectors.buurt_at(lon=lon, lat=lat)


def buurten_geojson(request):
    """The gemeente's buurten for the map of the form: code and name, newest borders."""
    organisations, denied = _reporter_or_refuse(request)
    if denied:
        return denied
    gemeente, _choices = common.gemeente_choice(request)
    if gemeente is None:
        raise Http404(_("No such municipality"))
    buurten = dict(selectors.gemeente_buurten(gemeente=gemeente))
    ids = dict(Area.objects.filter(code__in=buurten).values_list("pk", "code"))
    shapes = area_geometries(area_ids=list(ids))
    features = [{"type": "Feature", "geometry": geometry,
                 "properties": {"code": ids[pk], "label": buurten[ids[pk]]}}
                for pk, (_year, geometry) in sorted(shapes.items(), key=lambda i: ids[i[0]])]
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Content-Type"] = "application/geo+json"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def concern_rows(concerns) -> list[dict]:
    return [{"concern": c, "theme": common.theme_label(c.theme),
             "sign": common.sign_label(c.sign), "severity": common.severity_label(c.severity),
             "week": common.week_text(c.week_start),
             "routed": [{"organisation": a.organisation.name,
                         "status": common.status_label(a.status),
                         "outcome": common.outcome_label(a.outcome)}
                        for a in c.assignments.all()]}
            for c in concerns]


@never_cache
def mine(request):
    organisations = selectors.submit_organisations(user=request.user)
    if not organisations and not selectors.concerns_of_reporter(user=request.user).exists():
        return common.login_or_refuse(request, False, NOT_A_REPORTER)
    page = Paginator(selectors.concerns_of_reporter(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("pagina"))
    return render(request, "concerns/mine.html", {
        "page": page, "rows": concern_rows(page.object_list),
        "may_record": bool(organisations)})


def _own_or_refuse(request, pk: int):
    concern = selectors.concerns_of_reporter(user=request.user).filter(pk=pk).first()
    if concern is not None:
        return concern
    if not request.user.is_authenticated:
        return None
    if Concern.objects.filter(pk=pk).exists():
        common.refuse(_("Only the professional who recorded a concern sees it here."))
    raise Http404(_("No such concern"))


@never_cache
def mine_detail(request, pk: int, text: str | None = None):
    concern = _own_or_refuse(request, pk)
    if concern is None:
        return common.login_or_refuse(request, False, "")
    return render(request, "concerns/mine_detail.html", {
        "row": concern_rows([concern])[0], "text": text})


@never_cache
@require_POST
def mine_text(request, pk: int):
    """The free text of one's own concern: read through the audited service."""
    concern = _own_or_refuse(request, pk)
    if concern is None:
        return common.login_or_refuse(request, False, "")
    try:
        text = concern_text_read(acting_user=request.user, concern=concern)
    except ConcernNotAllowed:
        common.refuse(_("Only the professional who recorded a concern reads its text."))
    return mine_detail(request, pk, text=text)
