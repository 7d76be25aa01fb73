"""``/api/v1/programmes/``: the register's money, for members of the Local Alliance.

- ``funding-sources/``: the sources with what they secure per year; a finance officer of
  a municipality creates (``POST``) and changes (``PATCH`` with ``version``) them, and sets
  the amount of a year (``PUT funding-sources/<code>/allocations/<year>/``);
- ``budget-lines/``: an activity's need per year and source; its owner's finance officer
  creates, changes (``PATCH`` with ``version``) and deletes them;
- ``coverage/``: need, secured and gap per year and source, year totals and what falls
  away when a temporary source ends (``?from=&to=&activity=&format=json|csv``).

A ``PATCH`` naming an old ``version`` is a 409 Conflict whose body holds the row as it is
now; nothing is written. Amounts are strings with a dot and two places.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from wijkbalans.accounts.models import Organisation
from wijkbalans.programmes import coverage as cov
from wijkbalans.programmes import permissions, selectors
from wijkbalans.programmes.errors import ConflictError, PermissionRefused, ProgrammeError
from wijkbalans.programmes.models import BudgetLine, FundingSource
from wijkbalans.programmes.services import money as services

from . import filters
from .base import ApiView
from .programmes_shapes import (
    COVERAGE_SCHEMA,
    AllocationWriteSerializer,
    BudgetLineCreateSerializer,
    BudgetLinePatchSerializer,
    BudgetLineSerializer,
    ConflictSerializer,
    FundingSourcePatchSerializer,
    FundingSourceSerializer,
    FundingSourceWriteSerializer,
    budget_line_as_dict,
    source_as_dict,
)
from .renderers import CSVRenderer
from .serializers import CSV_TEXT

ERRORS = {400: OpenApiResponse(description="The body or a parameter is wrong; the field "
                                           "is named."),
          403: OpenApiResponse(description="Not a member of the alliance, or not allowed "
                                           "to change this (see docs/programmes.md).")}


class MoneyReader(BasePermission):
    """Members of the Local Alliance read the money; the services decide who writes."""

    message = "The money of the register is for members of the Local Alliance."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated
                    and permissions.may_read_money(request.user))


def call(service, **kwargs):
    try:
        return service(**kwargs)
    except PermissionRefused as error:
        raise PermissionDenied(error.message) from error
    except ConflictError:
        raise
    except ProgrammeError as error:
        raise ValidationError({error.field or "non_field_errors": [error.message]}) from error


def _conflict(error: ConflictError, current: dict | None) -> Response:
    return Response({"detail": error.message, "current": current},
                    status=status.HTTP_409_CONFLICT)


# -- funding sources --------------------------------------------------------------------

def _funder(slug: str | None) -> Organisation | None:
    if not slug:
        return None
    funder = Organisation.objects.filter(slug=slug).first()
    if funder is None:
        raise ValidationError({"funder": [f"expected an organisation slug; found {slug!r}"]})
    return funder


def _sources():
    return FundingSource.objects.select_related("funder").prefetch_related("allocations")


class FundingSourceListView(ApiView):
    """The funding sources with what they secure; POST adds one (finance officer)."""

    permission_classes = [MoneyReader]
    serializer_class = FundingSourceWriteSerializer

    @extend_schema(operation_id="programmes_funding_sources_list", summary="Funding sources",
                   responses={200: FundingSourceSerializer(many=True), 403: ERRORS[403]})
    def get(self, request):
        filters.only_common(request.query_params)
        page = self.paginate_queryset(list(_sources()))
        return self.get_paginated_response([source_as_dict(s) for s in page])

    @extend_schema(operation_id="programmes_funding_sources_create",
                   summary="Add a funding source (finance officer of a municipality)",
                   request=FundingSourceWriteSerializer,
                   responses={201: FundingSourceSerializer, **ERRORS})
    def post(self, request):
        filters.only_common(request.query_params)
        body = FundingSourceWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["funder"] = _funder(data["funder"])
        source = call(services.funding_source_save, acting_user=request.user, **data)
        return Response(source_as_dict(_sources().get(pk=source.pk)),
                        status=status.HTTP_201_CREATED)


def _source_or_404(code: str) -> FundingSource:
    source = _sources().filter(code=code).first()
    if source is None:
        raise Http404(f"no funding source {code}")
    return source


class FundingSourceDetailView(ApiView):
    permission_classes = [MoneyReader]
    pagination_class = None
    serializer_class = FundingSourcePatchSerializer

    @extend_schema(operation_id="programmes_funding_sources_retrieve",
                   summary="One funding source",
                   responses={200: FundingSourceSerializer, 403: ERRORS[403]})
    def get(self, request, code: str):
        filters.only_common(request.query_params)
        return Response(source_as_dict(_source_or_404(code)))

    @extend_schema(operation_id="programmes_funding_sources_partial_update",
                   summary="Change a funding source, naming the version read",
                   request=FundingSourcePatchSerializer,
                   responses={200: FundingSourceSerializer, 409: ConflictSerializer, **ERRORS})
    def patch(self, request, code: str):
        filters.only_common(request.query_params)
        source = _source_or_404(code)
        body = FundingSourcePatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = data.pop("version", None)
        if version is None:
            raise ValidationError({"version": ["required: the version you read"]})
        values = {"code": source.code, "name": source.name, "kind": source.kind,
                  "funder": source.funder, "conditions": source.conditions,
                  "start_year": source.start_year, "end_year": source.end_year}
        if "funder" in data:
            data["funder"] = _funder(data["funder"])
        values.update(data)
        try:
            saved = call(services.funding_source_save, acting_user=request.user,
                         source=source, expected_version=version, **values)
        except ConflictError as error:
            return _conflict(error, source_as_dict(_sources().get(pk=source.pk)))
        return Response(source_as_dict(_sources().get(pk=saved.pk)))


class AllocationView(ApiView):
    """What a source secures in one year."""

    permission_classes = [MoneyReader]
    pagination_class = None
    serializer_class = AllocationWriteSerializer

    @extend_schema(operation_id="programmes_funding_sources_allocation_set",
                   summary="Set what a source secures in a year (finance officer)",
                   request=AllocationWriteSerializer,
                   responses={200: FundingSourceSerializer, 409: ConflictSerializer, **ERRORS})
    def put(self, request, code: str, year: int):
        filters.only_common(request.query_params)
        source = _source_or_404(code)
        body = AllocationWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            call(services.funding_allocation_set, acting_user=request.user, source=source,
                 year=year, amount=body.validated_data["amount"],
                 expected_version=body.validated_data["version"])
        except ConflictError as error:
            return _conflict(error, source_as_dict(_sources().get(pk=source.pk)))
        return Response(source_as_dict(_sources().get(pk=source.pk)))


# -- budget lines -----------------------------------------------------------------------

def _source_or_400(code: str) -> FundingSource:
    source = FundingSource.objects.filter(code=code).first()
    if source is None:
        raise ValidationError({"source": [f"expected the code of a funding source; found "
                                          f"{code!r}"]})
    return source


def _lines():
    return BudgetLine.objects.select_related("activity__owner", "source")


class BudgetLineListView(ApiView):
    """Budget lines by activity, year and source; POST adds one."""

    permission_classes = [MoneyReader]
    serializer_class = BudgetLineCreateSerializer

    @extend_schema(
        operation_id="programmes_budget_lines_list", summary="Budget lines",
        parameters=[OpenApiParameter("activity", OpenApiTypes.STR, description="A code."),
                    OpenApiParameter("source", OpenApiTypes.STR, description="A code."),
                    OpenApiParameter("year", OpenApiTypes.INT)],
        responses={200: BudgetLineSerializer(many=True), **ERRORS})
    def get(self, request):
        f = filters.Filters(request.query_params, ("activity", "source", "year"))
        activity, source, year = f.text("activity"), f.text("source"), f.year()
        f.check()
        lines = _lines()
        if activity:
            lines = lines.filter(activity__code=activity)
        if source:
            lines = lines.filter(source__code=source)
        if year:
            lines = lines.filter(year=year)
        page = self.paginate_queryset(lines)
        return self.get_paginated_response([budget_line_as_dict(x) for x in page])

    @extend_schema(operation_id="programmes_budget_lines_create",
                   summary="Add a budget line (finance officer of the owner)",
                   request=BudgetLineCreateSerializer,
                   responses={201: BudgetLineSerializer, **ERRORS})
    def post(self, request):
        filters.only_common(request.query_params)
        body = BudgetLineCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        activity = selectors.activity_get(user=request.user, code=data.pop("activity"))
        if activity is None:
            raise ValidationError({"activity": ["expected the code of an activity"]})
        data["source"] = _source_or_400(data["source"])
        line = call(services.budget_line_create, acting_user=request.user, activity=activity,
                    **data)
        return Response(budget_line_as_dict(_lines().get(pk=line.pk)),
                        status=status.HTTP_201_CREATED)


class BudgetLineDetailView(ApiView):
    permission_classes = [MoneyReader]
    pagination_class = None
    serializer_class = BudgetLinePatchSerializer

    def _line(self, pk: int) -> BudgetLine:
        line = _lines().filter(pk=pk).first()
        if line is None:
            raise Http404(f"no budget line {pk}")
        return line

    @extend_schema(operation_id="programmes_budget_lines_retrieve", summary="One budget line",
                   responses={200: BudgetLineSerializer, 403: ERRORS[403]})
    def get(self, request, pk: int):
        filters.only_common(request.query_params)
        return Response(budget_line_as_dict(self._line(pk)))

    @extend_schema(
        operation_id="programmes_budget_lines_partial_update",
        summary="Change a budget line, naming the version read",
        request=BudgetLinePatchSerializer,
        responses={200: BudgetLineSerializer, **ERRORS, 409: OpenApiResponse(
            ConflictSerializer, description="Someone changed the line since you read it; "
                                            "`current` is the line as it is now.")})
    def patch(self, request, pk: int):
        filters.only_common(request.query_params)
        line = self._line(pk)
        body = BudgetLinePatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        if "source" in changes:
            changes["source"] = _source_or_400(changes["source"])
        try:
            line = call(services.budget_line_update, acting_user=request.user, line=line,
                        expected_version=version, **changes)
        except ConflictError as error:
            now = _lines().filter(pk=pk).first()
            return _conflict(error, budget_line_as_dict(now) if now else None)
        return Response(budget_line_as_dict(_lines().get(pk=line.pk)))

    @extend_schema(operation_id="programmes_budget_lines_destroy",
                   summary="Delete a budget line with nothing committed or spent",
                   responses={204: None, **ERRORS})
    def delete(self, request, pk: int):
        filters.only_common(request.query_params)
        call(services.budget_line_delete, acting_user=request.user, line=self._line(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


# -- coverage ---------------------------------------------------------------------------

class CoverageView(ApiView):
    """Financial coverage over a range of years, for the register or one activity."""

    permission_classes = [MoneyReader]
    pagination_class = None
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        operation_id="programmes_coverage", summary="Financial coverage per year and source",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.INT, description="First year (default: "
                             "the first year with money, else 2022)."),
            OpenApiParameter("to", OpenApiTypes.INT, description="Last year."),
            OpenApiParameter("activity", OpenApiTypes.STR, description="Code: this activity "
                             "and its parts, with their share of what is secured."),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"],
                             description="Output format (default json).")],
        responses={(200, "application/json"): COVERAGE_SCHEMA, (200, "text/csv"): CSV_TEXT,
                   **ERRORS})
    def get(self, request):
        f = filters.Filters(request.query_params, ("from", "to", "activity"))
        first, last, code = f.year("from"), f.year("to"), f.text("activity")
        activity = None
        if code:
            activity = selectors.activity_get(user=request.user, code=code)
            if activity is None:
                f.fail("activity", f"expected the code of an activity; found {code!r}")
        f.check()
        try:
            coverage = cov.coverage_table(from_year=first, to_year=last, activity=activity)
        except ProgrammeError as error:
            name = {"from_year": "from", "to_year": "to"}.get(error.field, error.field)
            raise ValidationError({name: [error.message]}) from error
        if self.wants("csv"):
            response = HttpResponse(cov.coverage_csv(coverage),
                                    content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="coverage-{coverage.from_year}-{coverage.to_year}.csv"')
            return response
        return Response(cov.coverage_dict(coverage))


urlpatterns = [
    path("programmes/funding-sources/", FundingSourceListView.as_view(),
         name="programmes-funding-source-list"),
    path("programmes/funding-sources/<str:code>/", FundingSourceDetailView.as_view(),
         name="programmes-funding-source-detail"),
    path("programmes/funding-sources/<str:code>/allocations/<int:year>/",
         AllocationView.as_view(), name="programmes-allocation"),
    path("programmes/budget-lines/", BudgetLineListView.as_view(),
         name="programmes-budget-line-list"),
    path("programmes/budget-lines/<int:pk>/", BudgetLineDetailView.as_view(),
         name="programmes-budget-line-detail"),
    path("programmes/coverage/", CoverageView.as_view(), name="programmes-coverage"),
]
