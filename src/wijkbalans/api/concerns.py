"""``/api/v1/concerns/``: record an early concern, list one's own, and the suppressed
early-warning table.

``POST /concerns/`` records a concern for the signed-in professional (token or session);
free text with personal data is refused with a 400 whose ``findings`` say what to remove,
and nothing is stored. ``GET /concerns/`` lists the caller's own concerns (never their
free text). ``GET /concerns/summary/`` gives the counts per theme and buurt of a gemeente
for complete periods of the published kind, with every count below k, and every count
that would give one back, suppressed (``null``); programme staff, analysts and
administrators only. See docs/concerns.md.
"""

from __future__ import annotations

from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from wijkbalans.accounts.models import Organisation
from wijkbalans.concerns import periods, selectors
from wijkbalans.concerns.models import Severity, Sign, Theme
from wijkbalans.concerns.services import (
    MAX_TEXT,
    ConcernError,
    ConcernNotAllowed,
    ScreenRefused,
    concern_submit,
    finding_as_dict,
)

from . import filters
from .base import ApiView

DEFAULT_PERIODS = 4


class ConcernCreateSerializer(serializers.Serializer):
    """The body of ``POST /concerns/``; the service checks what the values mean."""

    organisation = serializers.CharField(
        max_length=80, required=False, allow_blank=True, default="",
        help_text="Slug of the organisation you report for; may be left out when you "
                  "report for one organisation only.")
    theme = serializers.ChoiceField(choices=Theme.values)
    sign = serializers.ChoiceField(choices=Sign.values, required=False, allow_blank=True,
                                   default="", help_text="Only for undermining crime.")
    buurt = serializers.CharField(max_length=12, required=False, allow_blank=True,
                                  default="", help_text="Buurtcode; or give lon and lat.")
    lon = serializers.FloatField(required=False, allow_null=True, default=None,
                                 help_text="Longitude (WGS84) of a point in the buurt; the "
                                           "point selects the buurt and is not stored.")
    lat = serializers.FloatField(required=False, allow_null=True, default=None)
    week = serializers.CharField(max_length=8, help_text="ISO week, YYYY-Www, of the last "
                                                         "12 weeks.")
    severity = serializers.ChoiceField(choices=Severity.values,
                                       help_text="1 low, 2 medium, 3 high.")
    text = serializers.CharField(required=False, allow_blank=True, default="",
                                 max_length=MAX_TEXT, trim_whitespace=True,
                                 help_text="Optional; no personal data (it is screened).")


class ConcernSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    theme = serializers.CharField()
    sign = serializers.CharField()
    buurt = serializers.CharField(source="buurt.code")
    buurt_name = serializers.CharField(source="buurt.name")
    week = serializers.CharField()
    severity = serializers.IntegerField()
    organisation = serializers.CharField(source="organisation.slug")
    reporter_role = serializers.CharField()
    has_text = serializers.BooleanField(help_text="Whether free text was stored (it is "
                                                  "not shown here).")
    routed_to = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_routed_to(self, concern) -> list[str]:
        return sorted(a.organisation.slug for a in concern.assignments.all())


class RefusedSerializer(serializers.Serializer):
    text = serializers.ListField(child=serializers.CharField())
    findings = serializers.ListField(child=serializers.DictField(),
                                     help_text="What the screen found: what to remove.")


class PeriodRowSerializer(serializers.Serializer):
    theme = serializers.CharField(help_text="A theme, or 'total' for the buurt totals.")
    counts = serializers.ListField(child=serializers.IntegerField(allow_null=True),
                                   help_text="One per buurt, in the order of 'buurten'; "
                                             "null when suppressed.")
    total = serializers.IntegerField(allow_null=True)


class PeriodSerializer(serializers.Serializer):
    period = serializers.CharField()
    rows = PeriodRowSerializer(many=True)
    suppressed_primary = serializers.IntegerField(help_text="Cells below k.")
    suppressed_secondary = serializers.IntegerField(
        help_text="Cells hidden so that the cells below k cannot be derived.")


class BuurtSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SummarySerializer(serializers.Serializer):
    gemeente = serializers.CharField()
    period_kind = serializers.CharField()
    k = serializers.IntegerField(help_text="The smallest count published.")
    themes = serializers.ListField(child=serializers.CharField())
    buurten = BuurtSerializer(many=True)
    periods = PeriodSerializer(many=True)


def _finding(finding) -> dict:
    """A finding for the writer: its kind, where it is, and what to remove (translated)."""
    out = finding_as_dict(finding)
    if hasattr(finding, "hint"):
        out["hint"] = gettext(finding.hint)
    return out


def _organisation(user, slug: str) -> Organisation:
    mine = selectors.submit_organisations(user=user)
    if slug:
        found = Organisation.objects.filter(slug=slug).first()
        if found is None:
            raise ValidationError({"organisation": [f"no organisation {slug!r}"]})
        return found
    if len(mine) == 1:
        return mine[0]
    if not mine:
        raise PermissionDenied("Recording concerns needs the role professional or partner "
                               "in an organisation.")
    raise ValidationError({"organisation": ["you report for several organisations; name "
                                            "one: " + ", ".join(o.slug for o in mine)]})


@method_decorator(sensitive_post_parameters("text"), name="dispatch")
class ConcernListView(ApiView):
    """Your own concerns, newest first; POST records one."""

    permission_classes = [IsAuthenticated]
    serializer_class = ConcernCreateSerializer

    @extend_schema(operation_id="concerns_list", summary="List the concerns you recorded",
                   responses={200: ConcernSerializer(many=True)})
    def get(self, request):
        filters.only_common(request.query_params)
        page = self.paginate_queryset(selectors.concerns_of_reporter(user=request.user))
        return self.get_paginated_response(ConcernSerializer(page, many=True).data)

    @extend_schema(
        operation_id="concerns_create", summary="Record an early concern (professionals)",
        request=ConcernCreateSerializer,
        responses={201: ConcernSerializer,
                   400: OpenApiResponse(RefusedSerializer, description=(
                       "Invalid body (the field named says what is wrong), or free text "
                       "with personal data: 'findings' says what to remove. Nothing was "
                       "stored.")),
                   403: OpenApiResponse(description="Not a professional or partner of "
                                                    "the organisation.")},
    )
    def post(self, request):
        filters.only_common(request.query_params)
        body = ConcernCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        organisation = _organisation(request.user, data["organisation"])
        try:
            concern = concern_submit(
                acting_user=request.user, organisation=organisation, theme=data["theme"],
                sign=data["sign"], buurt_code=data["buurt"] or None, lon=data["lon"],
                lat=data["lat"], week=data["week"], severity=int(data["severity"]),
                text=data["text"])
        except ScreenRefused as refused:
            return Response({"text": [refused.message],
                             "findings": [_finding(f) for f in refused.findings]},
                            status=status.HTTP_400_BAD_REQUEST)
        except ConcernNotAllowed as error:
            raise PermissionDenied(error.message) from None
        except ConcernError as error:
            raise ValidationError({error.field: [error.message]}) from None
        concern = selectors.concerns_of_reporter(user=request.user).get(pk=concern.pk)
        return Response(ConcernSerializer(concern).data, status=status.HTTP_201_CREATED)


class ConcernSummaryView(ApiView):
    """The suppressed early-warning table of a gemeente."""

    permission_classes = [IsAuthenticated]
    pagination_class = None

    @extend_schema(
        operation_id="concerns_summary", summary="Suppressed counts per theme and buurt",
        parameters=[
            OpenApiParameter("gemeente", OpenApiTypes.STR, required=True,
                             description="Gemeentecode, e.g. GM0014."),
            OpenApiParameter("from", OpenApiTypes.STR, description=(
                "First period of the published kind (e.g. 2025-Q1); default: four "
                "periods before 'to'.")),
            OpenApiParameter("to", OpenApiTypes.STR, description=(
                "Last period; default and latest: the last complete one.")),
        ],
        responses={200: SummarySerializer,
                   400: OpenApiResponse(description="A parameter is wrong; it is named."),
                   403: OpenApiResponse(description="Needs the role programme_staff, "
                                                    "analyst or admin.")},
    )
    def get(self, request):
        if not selectors.user_may_see_aggregates(user=request.user):
            raise PermissionDenied("The early-warning table needs the role programme_staff, "
                                   "analyst or admin.")
        f = filters.Filters(request.query_params, ("gemeente", "from", "to"))
        gemeente = (f.raw("gemeente") or "").upper()
        if not filters._GEMEENTECODE.match(gemeente):
            f.fail("gemeente", f"expected a gemeentecode such as GM0014; found "
                               f"{f.raw('gemeente')!r}")
        kind = selectors.published_period_kind()
        latest = selectors.last_complete_period(kind=kind)
        labels = {}
        for name in ("from", "to"):
            raw = f.raw(name)
            if raw:
                try:
                    labels[name] = periods.check_period(raw, kind)
                except periods.PeriodError as error:
                    f.fail(name, str(error))
        last = labels.get("to", latest)
        if last > latest:
            f.fail("to", f"expected a complete period, {latest} or earlier; found {last!r}")
        f.check()
        first = labels.get("from") or periods.previous(last, kind, DEFAULT_PERIODS - 1)
        try:
            table = selectors.early_warning_table(gemeente=gemeente, period_kind=kind,
                                                  first=first, last=last)
        except periods.PeriodError as error:
            raise ValidationError({"from": [str(error)]}) from None
        return Response(SummarySerializer(_summary(table)).data)


def _summary(table: selectors.EarlyWarning) -> dict:
    themes = [*table.themes, "total"]
    return {
        "gemeente": table.gemeente, "period_kind": table.period_kind, "k": table.k,
        "themes": table.themes,
        "buurten": [{"code": code, "name": name} for code, name in table.buurten],
        "periods": [{
            "period": p.period, "suppressed_primary": p.primary,
            "suppressed_secondary": p.secondary,
            "rows": [{"theme": theme, "counts": line[:-1], "total": line[-1]}
                     for theme, line in zip(themes, p.counts, strict=True)],
        } for p in table.periods],
    }


urlpatterns = [
    path("concerns/", ConcernListView.as_view(), name="concern-list"),
    path("concerns/summary/", ConcernSummaryView.as_view(), name="concern-summary"),
]
