"""``/api/v1/index/``, drivers, gaps and targets: the stacking app over the API.

Views check the parameters (:class:`.filters.Filters`), call one selector or service of
:mod:`wijkbalans.stacking` and render. A parameter the selector refuses
(:class:`~wijkbalans.stacking.errors.ParameterError`) or a target the service refuses
(:class:`~wijkbalans.stacking.services.TargetError`) is a 400 naming it. Reading is open;
writing targets needs the role admin, programme_staff or analyst.
"""

from __future__ import annotations

import math

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from wijkbalans.analysis.standardise import DEFAULT_THEMES
from wijkbalans.stacking import selectors as stacking
from wijkbalans.stacking.errors import ParameterError
from wijkbalans.stacking.models import Target
from wijkbalans.stacking.progress import target_as_dict
from wijkbalans.stacking.services import TargetError, target_delete, target_save

from . import filters
from .areas import area_set_or_404
from .base import ApiView
from .pagination import PAGINATION_PARAMETERS
from .permissions import AreaSetEditorOrReadOnly
from .renderers import CSVRenderer, csv_response
from .serializers import CSV_TEXT

INDEX_HEAD = ["code", "name", "score", "rank", "decile", "stack_count"]
GAP_COLUMNS = ["kind", "key", "period", "value", "reference", "gap", "gap_base", "closure",
               "reason", "gap_problem", "polarity"]
_OBJECT = {"type": "object"}
INDEX_SCHEMA = {
    "type": "object",
    "description": "The index of one level and period. Each row: code, name, score, rank, "
                   "decile, stack_count and one number per domain (see `domains`).",
    "properties": {
        "level": {"type": "string"}, "within": {"type": "string", "nullable": True},
        "period": {"type": "string"}, "reference": {"type": "string"},
        "reference_label": {"type": "string"}, "method": {"type": "string"},
        "domains": {"type": "array", "items": {"type": "string"}},
        "vintages": {"type": "object", "additionalProperties": {"type": "string"}},
        "notes": {"type": "array", "items": {"type": "string"}},
        "count": {"type": "integer"}, "next": {"type": "string", "nullable": True},
        "previous": {"type": "string", "nullable": True},
        "results": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
    },
}
DRIVERS_SCHEMA = {"type": "object", "description": "Score, rank and the contributions, "
                  "worst first.", "properties": {"drivers": {"type": "array", "items": _OBJECT}}}
PROGRESS_SCHEMA = {"type": "object", "description": "Baseline, references, straight path, "
                   "status per period and the rule; see docs/methods/stacking.md.",
                   "properties": {"periods": {"type": "array", "items": _OBJECT},
                                  "path": {"type": "array", "items": _OBJECT},
                                  "rule": {"type": "string"}}}
GAPS_SCHEMA = {"type": "object", "properties": {
    "place": _OBJECT, "reference": {"type": "string"}, "base": {"type": "string"},
    "notes": {"type": "array", "items": {"type": "string"}},
    "results": {"type": "array", "items": _OBJECT}}}


class TargetEditorOrReadOnly(AreaSetEditorOrReadOnly):
    message = "Changing targets needs the role admin, programme_staff or analyst."


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    area_set = serializers.CharField(help_text="Slug of the area set.")
    indicator = serializers.CharField(allow_null=True)
    theme = serializers.CharField(allow_null=True)
    kind = serializers.CharField(help_text="value, closure or reference.")
    baseline_period = serializers.CharField()
    target_period = serializers.CharField()
    target_value = serializers.FloatField(allow_null=True)
    closure_share = serializers.FloatField(allow_null=True)
    reference = serializers.CharField(help_text="city, rest_of_city or country.")
    note = serializers.CharField(allow_blank=True)
    created_at = serializers.CharField()
    updated_at = serializers.CharField()


class TargetWriteSerializer(serializers.Serializer):
    """The body of ``POST /area-sets/<slug>/targets/`` and ``PUT /targets/<id>/``; the
    rules (one of indicator or theme, kinds, periods) are checked by the service."""

    indicator = serializers.CharField(required=False, allow_null=True, allow_blank=True,
                                      max_length=120)
    theme = serializers.CharField(required=False, allow_null=True, allow_blank=True,
                                  max_length=40)
    kind = serializers.ChoiceField(choices=Target.Kind.values)
    baseline_period = serializers.CharField(max_length=7)
    target_period = serializers.CharField(max_length=7)
    target_value = serializers.FloatField(required=False, allow_null=True)
    closure_share = serializers.FloatField(required=False, allow_null=True)
    reference = serializers.ChoiceField(choices=Target.ReferenceChoice.values,
                                        required=False, default="city")
    note = serializers.CharField(required=False, allow_blank=True, default="")


def _bad(error: ParameterError) -> ValidationError:
    return ValidationError({error.parameter: [str(error)]})


def _json_ready(rows: list[dict]) -> list[dict]:
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
            for r in rows]


def _save(data: dict, area_set, user, target=None) -> Target:
    try:
        return target_save(target=target, area_set=area_set, indicator=data.get("indicator"),
                           theme=data.get("theme"), kind=data["kind"],
                           baseline_period=data["baseline_period"],
                           target_period=data["target_period"],
                           target_value=data.get("target_value"),
                           closure_share=data.get("closure_share"),
                           reference=data.get("reference") or "city",
                           note=data.get("note") or "", acting_user=user)
    except TargetError as error:
        raise ValidationError({error.field: [str(error)]}) from error


def _p(name, description, enum=None):
    return OpenApiParameter(name, OpenApiTypes.STR, description=description, enum=enum)


REFERENCE_PARAMETER = _p("reference", "country (every area of the level, default), city (the "
                         "areas of `within`) or base:YYYY (reference fixed at year YYYY).")
PERIOD_PARAMETER = _p("period", "A period with values (YYYY) or 'latest' (default). Each "
                      "indicator enters with its newest figures up to this period.")
SHRINK_VALUES = ("0", "1", "false", "true")
SHRINK_PARAMETER = _p("shrink", "1 (or true): shrink the rates (% and per 1.000) towards "
                      "their gemeente (empirical Bayes, Marshall 1991) before standardising; "
                      "`notes` says which were shrunk. Default 0.", list(SHRINK_VALUES))


class IndexView(ApiView):
    """The stacking index of every buurt or wijk; rank 1 and decile 1: problems stack most."""

    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        operation_id="index_list", summary="The stacking index of a level",
        parameters=[
            _p("level", "buurt or wijk (required).", ["buurt", "wijk"]),
            PERIOD_PARAMETER,
            _p("within", "Gemeentecode: list the areas of this municipality."),
            REFERENCE_PARAMETER,
            _p("method", "deprivation (default), index100 or count.",
               list(stacking.METHODS)),
            _p("themes", "Domains, comma-separated (default all eight)."),
            SHRINK_PARAMETER,
            *PAGINATION_PARAMETERS,
            _p("format", "Output format (default json).", ["json", "csv"]),
        ],
        responses={(200, "application/json"): INDEX_SCHEMA, (200, "text/csv"): CSV_TEXT,
                   400: OpenApiResponse(description="A parameter is wrong; it is named.")},
    )
    def get(self, request):
        f = filters.Filters(request.query_params, ("level", "period", "within", "reference",
                                                   "method", "themes", "shrink"))
        level = f.choice("level", stacking.LEVELS)
        if f.raw("level") is None:
            f.fail("level", "required: buurt or wijk")
        params = {"level": level, "within": f.gemeentecode(),
                  "period": f.raw("period") or stacking.LATEST,
                  "reference": f.raw("reference") or "country",
                  "method": f.choice("method", stacking.METHODS) or "deprivation",
                  "themes": f.choices("themes", DEFAULT_THEMES) or None,
                  "shrink": f.choice("shrink", SHRINK_VALUES) in ("1", "true")}
        f.check()
        try:
            result = stacking.index_panel(**params)
        except ParameterError as error:
            raise _bad(error) from error
        rows = stacking.index_rows(result)
        header = [*INDEX_HEAD, *result.domains]
        if self.wants("csv"):
            return csv_response(filename=f"index-{result.level}-{result.period}.csv",
                                header=header, rows=([r[k] for k in header] for r in rows))
        page = self.paginate_queryset(rows)
        return Response({
            "level": result.level, "within": result.within, "period": result.period,
            "reference": result.reference, "reference_label": result.reference_label,
            "method": result.method, "domains": list(result.domains),
            "vintages": result.vintages, "notes": list(result.notes), **self.paging(),
            "results": page})


class AreaDriversView(ApiView):
    """Which domains (or indicators) drive one area's score, worst first."""

    @extend_schema(
        operation_id="areas_drivers", summary="The drivers of one area's index score",
        parameters=[PERIOD_PARAMETER, REFERENCE_PARAMETER,
                    _p("method", "index100 (default), deprivation or count.",
                       list(stacking.METHODS)),
                    _p("by", "domain (default) or indicator (index100 only).",
                       ["domain", "indicator"])],
        responses={200: DRIVERS_SCHEMA,
                   400: OpenApiResponse(description="A parameter is wrong; it is named."),
                   404: OpenApiResponse(description="No area with this code.")},
    )
    def get(self, request, code: str):
        f = filters.Filters(request.query_params, ("period", "reference", "method", "by"))
        params = {"period": f.raw("period") or stacking.LATEST,
                  "reference": f.raw("reference") or "country",
                  "method": f.choice("method", stacking.METHODS) or "index100",
                  "by": f.choice("by", ("domain", "indicator")) or "domain"}
        f.check()
        try:
            return Response(stacking.area_drivers(code_or_slug=code, **params))
        except ParameterError as error:
            if error.parameter == "code":
                raise Http404(str(error)) from error
            raise _bad(error) from error


class AreaSetTargetsView(ApiView):
    """The targets of one area set; creating one needs an editor role."""

    permission_classes = [TargetEditorOrReadOnly]
    serializer_class = TargetWriteSerializer

    @extend_schema(operation_id="area_sets_targets_list", summary="The targets of an area set",
                   responses={200: TargetSerializer(many=True),
                              404: OpenApiResponse(description="No area set with this slug.")})
    def get(self, request, slug: str):
        filters.only_common(request.query_params)
        targets = stacking.target_list(area_set=area_set_or_404(slug))
        return Response([target_as_dict(t) for t in targets])

    @extend_schema(operation_id="area_sets_targets_create",
                   summary="Create a target (admin, programme_staff, analyst)",
                   request=TargetWriteSerializer,
                   responses={201: TargetSerializer,
                              400: OpenApiResponse(description="The field at fault is named.")})
    def post(self, request, slug: str):
        filters.only_common(request.query_params)
        area_set = area_set_or_404(slug)
        body = TargetWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        target = _save(body.validated_data, area_set, request.user)
        return Response(target_as_dict(stacking.target_get(pk=target.pk)),
                        status=status.HTTP_201_CREATED)


class TargetDetailView(ApiView):
    """One target; changing or deleting it needs an editor role."""

    permission_classes = [TargetEditorOrReadOnly]
    serializer_class = TargetWriteSerializer

    def get_object(self):
        target = stacking.target_get(pk=self.kwargs["pk"])
        if target is None:
            raise Http404(f"no target {self.kwargs['pk']}")
        return target

    @extend_schema(operation_id="targets_retrieve", summary="One target",
                   responses={200: TargetSerializer,
                              404: OpenApiResponse(description="No such target.")})
    def get(self, request, pk: int):
        filters.only_common(request.query_params)
        return Response(target_as_dict(self.get_object()))

    @extend_schema(operation_id="targets_update", summary="Replace a target's fields",
                   request=TargetWriteSerializer,
                   responses={200: TargetSerializer,
                              400: OpenApiResponse(description="The field at fault is named."),
                              404: OpenApiResponse(description="No such target.")})
    def put(self, request, pk: int):
        filters.only_common(request.query_params)
        target = self.get_object()
        body = TargetWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        saved = _save(body.validated_data, target.area_set, request.user, target=target)
        return Response(target_as_dict(stacking.target_get(pk=saved.pk)))

    @extend_schema(operation_id="targets_destroy", summary="Delete a target",
                   responses={204: None, 404: OpenApiResponse(description="No such target.")})
    def delete(self, request, pk: int):
        filters.only_common(request.query_params)
        target_delete(target=self.get_object(), acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TargetProgressView(ApiView):
    """The straight path of a target and its status per period (ahead, on track, behind,
    no data), with the rule."""

    @extend_schema(operation_id="targets_progress", summary="Path and status of a target",
                   responses={200: PROGRESS_SCHEMA,
                              404: OpenApiResponse(description="No such target.")})
    def get(self, request, pk: int):
        filters.only_common(request.query_params)
        target = stacking.target_get(pk=pk)
        if target is None:
            raise Http404(f"no target {pk}")
        return Response(stacking.target_progress(target=target))


class AreaSetGapsView(ApiView):
    """Gaps of an area set to a reference per indicator and domain, and closure since a
    base period (gap = value - reference; gap_problem > 0: the set is worse off)."""

    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        operation_id="area_sets_gaps", summary="Gaps and closure of an area set",
        parameters=[
            _p("reference", "city (default), rest_of_city or country.",
               ["city", "rest_of_city", "country"]),
            _p("base", "The base period of the closure (required), e.g. 2019."),
            _p("indicator", "Indicator codes, comma-separated (default: those of the index "
                            "and lbm_afw)."),
            _p("format", "Output format (default json).", ["json", "csv"]),
        ],
        responses={(200, "application/json"): GAPS_SCHEMA, (200, "text/csv"): CSV_TEXT,
                   400: OpenApiResponse(description="A parameter is wrong; it is named."),
                   404: OpenApiResponse(description="No area set with this slug.")},
    )
    def get(self, request, slug: str):
        f = filters.Filters(request.query_params, ("reference", "base", "indicator"))
        reference = f.choice("reference", ("city", "rest_of_city", "country")) or "city"
        base = f.raw("base")
        if base is None:
            f.fail("base", "required: the base period of the closure, e.g. 2019")
        indicators = f.indicator_codes() or None
        f.check()
        area_set = area_set_or_404(slug)
        try:
            frame = stacking.place_gaps(area_set_or_code=area_set, reference=reference,
                                        base_period=base, indicators=indicators)
        except ParameterError as error:
            raise _bad(error) from error
        rows = _json_ready(frame.to_dict("records"))
        if self.wants("csv"):
            return csv_response(filename=f"gaps-{slug}.csv", header=GAP_COLUMNS,
                                rows=([r[k] for k in GAP_COLUMNS] for r in rows))
        return Response({"place": frame.attrs["place"], "reference": reference, "base": base,
                         "notes": frame.attrs["notes"], "results": rows})
