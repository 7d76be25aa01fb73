"""``/api/v1/indicators/``, ``/api/v1/observations/`` and ``/api/v1/import-batches/``.

Observations are read as plain rows joined to their indicator and area in one query per
page (plus the count); the CSV export streams every matching row in chunks, up to
:data:`MAX_CSV_ROWS`.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from wijkbalans.areas import codes
from wijkbalans.indicators import selectors as indicator_selectors
from wijkbalans.indicators.models import ObservationStatus

from . import filters
from .base import ApiView
from .pagination import PAGINATION_PARAMETERS
from .renderers import CSVRenderer, csv_response
from .serializers import (
    CSV_TEXT,
    ImportBatchDetailSerializer,
    ImportBatchSerializer,
    IndicatorDetailSerializer,
    IndicatorSerializer,
    ObservationSerializer,
)

# A hard cap on one CSV export: a national file of every indicator would be millions of
# rows; above this the client narrows the selection (or pages through the JSON).
MAX_CSV_ROWS = 500_000
OBSERVATION_CSV_HEADER = ("indicator", "area", "area_name", "level", "period", "value",
                          "status", "batch")


class IndicatorListView(ApiView):
    """Indicator definitions: name, theme, unit, polarity, source, aggregation."""

    @extend_schema(
        operation_id="indicators_list", summary="List indicator definitions",
        parameters=[
            OpenApiParameter("theme", OpenApiTypes.STR,
                             description="Theme code, e.g. population, health, safety."),
            OpenApiParameter("q", OpenApiTypes.STR, description="Part of code or name."),
        ],
        responses={200: IndicatorSerializer(many=True)},
    )
    def get(self, request):
        params = filters.indicator_filters(request.query_params)
        page = self.paginate_queryset(indicator_selectors.indicator_list(**params))
        return self.get_paginated_response(IndicatorSerializer(page, many=True).data)


class IndicatorDetailView(ApiView):
    """One definition with the periods and areas the store holds for it."""

    @extend_schema(
        operation_id="indicators_retrieve", summary="One indicator definition with its coverage",
        responses={200: IndicatorDetailSerializer,
                   404: OpenApiResponse(description="No indicator with this code.")},
    )
    def get(self, request, code: str):
        filters.only_common(request.query_params)
        indicator = indicator_selectors.indicator_get(code=code)
        if indicator is None:
            raise Http404(f"no indicator {code!r}")
        indicator.coverage = indicator_selectors.indicator_coverage(indicator=indicator)
        return Response(IndicatorDetailSerializer(indicator).data)


class ObservationListView(ApiView):
    """Values per indicator, area and period, with status and import batch."""

    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        operation_id="observations_list",
        summary="List observations (values per indicator, area and period)",
        description="Rows are ordered by indicator, area and period. `indicator` is "
                    "required unless `area` or `area_set` is given. As CSV every matching "
                    f"row is returned, unpaginated, up to {MAX_CSV_ROWS:,} rows.",
        parameters=[
            OpenApiParameter("indicator", OpenApiTypes.STR,
                             description="Indicator code(s), comma-separated."),
            OpenApiParameter("area", OpenApiTypes.STR,
                             description="Area code(s), comma-separated."),
            OpenApiParameter("area_set", OpenApiTypes.STR,
                             description="Slug of an area set: its member buurten."),
            OpenApiParameter("level", OpenApiTypes.STR, enum=list(codes.LEVELS)),
            OpenApiParameter("within", OpenApiTypes.STR,
                             description="Gemeentecode: areas in this municipality."),
            OpenApiParameter("period", OpenApiTypes.STR,
                             description="YYYY, YYYY-Qn or YYYY-MM, comma-separated; or "
                                         "'latest': per indicator the newest period among "
                                         "the selected rows."),
            OpenApiParameter("status", OpenApiTypes.STR,
                             description="Comma-separated: " + ", ".join(
                                 ObservationStatus.values)),
            *PAGINATION_PARAMETERS,
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"],
                             description="Output format (default json)."),
        ],
        responses={
            (200, "application/json"): ObservationSerializer(many=True),
            (200, "text/csv"): CSV_TEXT,
            400: OpenApiResponse(description="A filter value is invalid, or the CSV "
                                             "export would exceed its row cap."),
        },
    )
    def get(self, request):
        rows = indicator_selectors.observation_list(
            **filters.observation_filters(request.query_params))
        if self.wants("csv"):
            total = rows.count()
            if total > MAX_CSV_ROWS:
                raise ValidationError({"format": [
                    f"a CSV export holds at most {MAX_CSV_ROWS} rows; this selection has "
                    f"{total}: narrow it with indicator, area, level, within or period, or "
                    "page through the JSON"]})
            return csv_response(
                filename="observations.csv", header=OBSERVATION_CSV_HEADER,
                rows=rows.values_list(*indicator_selectors.OBSERVATION_FIELDS).iterator(5000))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ObservationSerializer(page, many=True).data)


class ImportBatchListView(ApiView):
    """The provenance of every value: which file, when, by whom, with what result."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="import_batches_list",
                   summary="List import batches (provenance); signed-in users only",
                   parameters=PAGINATION_PARAMETERS,
                   responses={200: ImportBatchSerializer(many=True)})
    def get(self, request):
        filters.only_common(request.query_params)
        page = self.paginate_queryset(indicator_selectors.import_batch_list())
        return self.get_paginated_response(ImportBatchSerializer(page, many=True).data)


class ImportBatchDetailView(ApiView):
    """One import batch with its report (notes and rejected rows)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="import_batches_retrieve",
                   summary="One import batch with its report; signed-in users only",
                   responses={200: ImportBatchDetailSerializer,
                              404: OpenApiResponse(description="No such batch.")})
    def get(self, request, batch_id: int):
        filters.only_common(request.query_params)
        batch = indicator_selectors.import_batch_get(pk=batch_id)
        if batch is None:
            raise Http404(f"no import batch {batch_id}")
        return Response(ImportBatchDetailSerializer(batch).data)
