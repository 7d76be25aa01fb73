"""``/api/v1/areas/`` and ``/api/v1/area-sets/``: the area registry, read and (for area
sets) written, as JSON, CSV or GeoJSON.

Views parse parameters (:mod:`.filters`), call one selector or service and render. Lists
read a fixed number of queries per page: the page, its count, and for GeoJSON the page's
geometries.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from wijkbalans.areas import codes
from wijkbalans.areas import selectors as area_selectors
from wijkbalans.areas.services import AreaSetError, area_set_delete, area_set_save

from . import filters
from .base import ApiView
from .pagination import PAGINATION_PARAMETERS
from .permissions import AreaSetEditorOrReadOnly
from .renderers import (
    CSVRenderer,
    GeoJSONRenderer,
    csv_response,
    feature,
    feature_collection,
)
from .serializers import (
    CSV_TEXT,
    GEOJSON_FEATURE,
    GEOJSON_FEATURE_COLLECTION,
    AreaDetailSerializer,
    AreaSerializer,
    AreaSetCreateSerializer,
    AreaSetSerializer,
    AreaSetWriteSerializer,
)

AREA_CSV_FIELDS = ("code", "name", "level", "parent_code", "gemeentecode", "latest_year")
AREA_CSV_HEADER = ("code", "name", "level", "parent", "gemeentecode", "latest_year")
YEAR_PARAMETER = OpenApiParameter(
    "year", OpenApiTypes.INT,
    description="Classification year; in GeoJSON also the year whose geometry is shown "
                "(default: the newest year with a geometry).")


def _format_parameter(*formats: str) -> OpenApiParameter:
    return OpenApiParameter("format", OpenApiTypes.STR, enum=list(formats),
                            description="Output format (default json).")


def _area_features(areas, *, year: int | None) -> list[dict]:
    """GeoJSON features of ``areas`` (objects with the AreaSerializer fields)."""
    areas = list(areas)
    geometries = area_selectors.area_geometries(area_ids=[a.pk for a in areas], year=year)
    features = []
    for area, props in zip(areas, AreaSerializer(areas, many=True).data, strict=True):
        geometry_year, geometry = geometries.get(area.pk, (None, None))
        features.append(feature(code=area.code, geometry=geometry,
                                properties={**props, "geometry_year": geometry_year}))
    return features


def _year_only(request) -> int | None:
    f = filters.Filters(request.query_params, ("year",))
    year = f.year()
    f.check()
    return year


def area_set_or_404(slug: str):
    area_set = area_selectors.area_set_get(slug=slug)
    if area_set is None:
        raise Http404(f"no area set {slug!r}")
    return area_set


def _save(slug: str, data: dict, user):
    try:
        return area_set_save(slug=slug, name=data["name"], description=data["description"],
                             member_codes=data["members"], acting_user=user)
    except AreaSetError as error:
        raise ValidationError({"members": [str(error)]}) from error


class AreaListView(ApiView):
    """Gemeenten, wijken and buurten by CBS code; as GeoJSON with their geometry."""

    renderer_classes = [JSONRenderer, CSVRenderer, GeoJSONRenderer]

    @extend_schema(
        operation_id="areas_list", summary="List areas",
        parameters=[
            OpenApiParameter("level", OpenApiTypes.STR, enum=list(codes.LEVELS)),
            OpenApiParameter("within", OpenApiTypes.STR,
                             description="Gemeentecode: areas in this municipality."),
            OpenApiParameter("parent", OpenApiTypes.STR, description="Code of the parent."),
            YEAR_PARAMETER,
            OpenApiParameter("q", OpenApiTypes.STR, description="Part of name or code."),
            *PAGINATION_PARAMETERS, _format_parameter("json", "csv", "geojson"),
        ],
        responses={
            (200, "application/json"): AreaSerializer(many=True),
            (200, "text/csv"): CSV_TEXT,
            (200, "application/geo+json"): GEOJSON_FEATURE_COLLECTION,
        },
    )
    def get(self, request):
        params = filters.area_filters(request.query_params)
        areas = area_selectors.area_search(**params)
        if self.wants("csv"):
            return csv_response(filename="areas.csv", header=AREA_CSV_HEADER,
                                rows=areas.values_list(*AREA_CSV_FIELDS).iterator(2000))
        page = self.paginate_queryset(areas)
        if self.wants("geojson"):
            features = _area_features(page, year=params["year"])
            return Response(feature_collection(features, **self.paging()))
        return self.get_paginated_response(AreaSerializer(page, many=True).data)


class AreaDetailView(ApiView):
    """One area: its versions per classification year, its children and area sets."""

    renderer_classes = [JSONRenderer, GeoJSONRenderer]

    @extend_schema(
        operation_id="areas_retrieve",
        summary="One area, with its versions, children and area sets",
        parameters=[YEAR_PARAMETER, _format_parameter("json", "geojson")],
        responses={
            (200, "application/json"): AreaDetailSerializer,
            (200, "application/geo+json"): GEOJSON_FEATURE,
            404: OpenApiResponse(description="No area with this code."),
        },
    )
    def get(self, request, code: str):
        year = _year_only(request)
        detail = area_selectors.area_detail(code=codes.normalise(code))
        if detail is None:
            raise Http404(f"no area with code {code!r}")
        data = AreaDetailSerializer(detail).data
        if self.wants("geojson"):
            found = area_selectors.area_geometries(area_ids=[detail["pk"]], year=year)
            geometry_year, geometry = found.get(detail["pk"], (None, None))
            return Response(feature(code=detail["code"], geometry=geometry,
                                    properties={**data, "geometry_year": geometry_year}))
        return Response(data)


class AreaSetListView(ApiView):
    """User-defined sets of buurten, such as a programme area."""

    permission_classes = [AreaSetEditorOrReadOnly]
    serializer_class = AreaSetCreateSerializer  # what OPTIONS describes for POST

    @extend_schema(operation_id="area_sets_list",
                   summary="List area sets", parameters=PAGINATION_PARAMETERS,
                   responses={200: AreaSetSerializer(many=True)})
    def get(self, request):
        filters.only_common(request.query_params)
        page = self.paginate_queryset(area_selectors.area_set_list())
        return self.get_paginated_response(AreaSetSerializer(page, many=True).data)

    @extend_schema(
        operation_id="area_sets_create",
        summary="Create an area set (admin, programme_staff, analyst)",
        request=AreaSetCreateSerializer,
        responses={201: AreaSetSerializer,
                   400: OpenApiResponse(description="Invalid body, unknown or non-buurt "
                                                    "codes, or the slug exists.")},
    )
    def post(self, request):
        filters.only_common(request.query_params)
        body = AreaSetCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        slug = body.validated_data["slug"]
        if area_selectors.area_set_get(slug=slug) is not None:
            raise ValidationError({"slug": [f"an area set {slug!r} exists; change it with "
                                             f"PUT /api/v1/area-sets/{slug}/"]})
        _save(slug, body.validated_data, request.user)
        return Response(AreaSetSerializer(area_set_or_404(slug)).data,
                        status=status.HTTP_201_CREATED)


class AreaSetDetailView(ApiView):
    """One area set; writing needs the role admin, programme_staff or analyst."""

    permission_classes = [AreaSetEditorOrReadOnly]
    renderer_classes = [JSONRenderer, GeoJSONRenderer]
    serializer_class = AreaSetWriteSerializer  # what OPTIONS describes for PUT

    def get_object(self):
        return area_set_or_404(self.kwargs["slug"])

    @extend_schema(
        operation_id="area_sets_retrieve",
        summary="One area set; as GeoJSON the geometries of its members",
        parameters=[YEAR_PARAMETER, _format_parameter("json", "geojson")],
        responses={(200, "application/json"): AreaSetSerializer,
                   (200, "application/geo+json"): GEOJSON_FEATURE_COLLECTION,
                   404: OpenApiResponse(description="No area set with this slug.")},
    )
    def get(self, request, slug: str):
        year = _year_only(request)
        area_set = self.get_object()
        if self.wants("geojson"):
            members = area_selectors.area_set_members(area_set=area_set)
            features = _area_features(members, year=year)
            return Response(feature_collection(features, slug=area_set.slug,
                                               name=area_set.name))
        return Response(AreaSetSerializer(area_set).data)

    @extend_schema(
        operation_id="area_sets_update",
        summary="Replace an area set's name, description and members",
        request=AreaSetWriteSerializer,
        responses={(200, "application/json"): AreaSetSerializer,
                   404: OpenApiResponse(description="No area set with this slug."),
                   400: OpenApiResponse(description="Invalid body or member codes.")},
    )
    def put(self, request, slug: str):
        filters.only_common(request.query_params)
        self.get_object()
        body = AreaSetWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _save(slug, body.validated_data, request.user)
        return Response(AreaSetSerializer(area_set_or_404(slug)).data)

    @extend_schema(operation_id="area_sets_destroy",
                   summary="Delete an area set", responses={204: None})
    def delete(self, request, slug: str):
        filters.only_common(request.query_params)
        area_set_delete(area_set=self.get_object(), acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
