"""``/api/v1/programmes/``: the programme register, its results and (in
:mod:`.programmes_money`) its money.

- ``activities/``: the register as a tree (``depth``), with filters; anyone reads the
  activities marked public, members of the Local Alliance read them all;
- ``activities/<code>/``: one activity with its partners, areas, result indicators (target
  and actual per period, the updates the reader may see) and its progress rolled up;
- ``result-updates/``: a partner reports a result (``POST``, draft or submitted); one
  update is read, edited with the ``version`` it was read at (``PATCH``, 409 with the
  current row when someone saved first), submitted, approved or returned.

Views check the parameters, call one selector or service of
:mod:`wijkbalans.programmes` and render. A service's refusal is a 403 (permission) or a
400 naming the field (``ProgrammeError``). Amounts and values are strings with a dot
(``"1234.50"``), never floats.
"""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from wijkbalans.accounts.models import Organisation
from wijkbalans.indicators.catalogue import THEMES
from wijkbalans.programmes import permissions, selectors
from wijkbalans.programmes.errors import ConflictError
from wijkbalans.programmes.models import Activity, ResultPeriod, ResultUpdate
from wijkbalans.programmes.services import results as result_services
from wijkbalans.programmes.web.common import activity_matches

from . import filters
from . import programmes_money as money
from .base import ApiView
from .pagination import PAGINATION_PARAMETERS
from .programmes_money import call
from .programmes_shapes import (
    ActivityDetailSerializer,
    ActivitySerializer,
    ConflictSerializer,
    ResultUpdateCreateSerializer,
    ResultUpdateEditSerializer,
    ResultUpdateReviewSerializer,
    ResultUpdateSerializer,
    activity_as_dict,
    activity_detail,
    tree_parents,
    update_as_dict,
)

ERRORS = {400: OpenApiResponse(description="The body or a parameter is wrong; the field "
                                           "is named."),
          403: OpenApiResponse(description="Not allowed (see docs/programmes.md).")}
_BOOL = ("0", "1", "false", "true")


def conflict(error: ConflictError, current) -> Response:
    return Response({"detail": error.message, "current": current},
                    status=status.HTTP_409_CONFLICT)


def organisation_or_400(slug: str, field: str = "organisation") -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise ValidationError({field: [f"expected the slug of an organisation; found {slug!r}"]})
    return organisation


# -- activities -------------------------------------------------------------------------

def _activity_filters(query_params) -> dict:
    f = filters.Filters(query_params, ("status", "theme", "owner", "area", "public"))
    result = {"status": f.choice("status", Activity.Status.values),
              "theme": f.choice("theme", list(THEMES)),
              "owner": f.text("owner"), "area": f.text("area"),
              "public": f.choice("public", _BOOL)}
    f.check()
    return result


class ActivityListView(ApiView):
    """The register in tree order; anonymous readers get the public activities only."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="programmes_activities_list", summary="The register as a tree",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=Activity.Status.values),
            OpenApiParameter("theme", OpenApiTypes.STR, description="A theme key."),
            OpenApiParameter("owner", OpenApiTypes.STR, description="Organisation slug."),
            OpenApiParameter("area", OpenApiTypes.STR,
                             description="A CBS code (in or containing the activity's "
                                         "areas) or an area-set slug."),
            OpenApiParameter("public", OpenApiTypes.STR, enum=list(_BOOL),
                             description="1: only activities marked public."),
            *PAGINATION_PARAMETERS],
        responses={200: ActivitySerializer(many=True), 400: ERRORS[400]})
    def get(self, request):
        f = _activity_filters(request.query_params)
        tree = selectors.activity_tree(user=request.user)
        prefetch_related_objects([a for a, _ in tree], "areas", "area_sets__members")
        parents = tree_parents(tree)
        rows = [activity_as_dict(a, d, parents[a.pk]) for a, d in tree
                if activity_matches(a, f)
                and (f["public"] is None or a.public == (f["public"] in ("1", "true")))]
        return self.get_paginated_response(
            ActivitySerializer(self.paginate_queryset(rows), many=True).data)


class ActivityDetailView(ApiView):
    """One activity: partners, areas, results per period, progress; money for members."""

    permission_classes = [AllowAny]
    pagination_class = None

    @extend_schema(operation_id="programmes_activities_retrieve", summary="One activity",
                   responses={200: ActivityDetailSerializer,
                              404: OpenApiResponse(description="No activity with this code "
                                                               "that you may read.")})
    def get(self, request, code: str):
        filters.only_common(request.query_params)
        activity = selectors.activity_get(user=request.user, code=code)
        if activity is None:
            raise Http404(f"no activity {code}")
        return Response(activity_detail(activity, request.user))


# -- result updates ---------------------------------------------------------------------

def _update_or_404(user, pk: int) -> ResultUpdate:
    update = ResultUpdate.objects.select_related("period__result__activity__owner",
                                                 "organisation").filter(pk=pk).first()
    if update is None or not permissions.may_read(user, update.period.result.activity) or (
            not permissions.is_alliance_member(user)) or (
            update.status == ResultUpdate.Status.DRAFT
            and not permissions.may_edit_update(user, update)):
        raise Http404(f"no result update {pk} that you may read")
    return update


class ResultUpdateListView(ApiView):
    """A partner reports a result: a draft, or (``submit``) sent to the bureau."""

    permission_classes = [IsAuthenticated]
    serializer_class = ResultUpdateCreateSerializer

    @extend_schema(operation_id="programmes_result_updates_create",
                   summary="Report a result (partner)", request=ResultUpdateCreateSerializer,
                   responses={201: ResultUpdateSerializer, **ERRORS})
    def post(self, request):
        filters.only_common(request.query_params)
        body = ResultUpdateCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        period = ResultPeriod.objects.select_related("result__activity").filter(
            pk=data["period"]).first()
        if period is None or not permissions.may_read(request.user, period.result.activity):
            raise ValidationError({"period": [f"expected the id of a result period; found "
                                              f"{data['period']}"]})
        update = call(result_services.result_update_create, acting_user=request.user,
                      period=period, organisation=organisation_or_400(data["organisation"]),
                      value=data["value"], narrative=data["narrative"], submit=data["submit"])
        return Response(update_as_dict(update), status=status.HTTP_201_CREATED)


class ResultUpdateDetailView(ApiView):
    """One update; ``PATCH`` changes value and explanation, naming the version read."""

    permission_classes = [IsAuthenticated]
    pagination_class = None
    serializer_class = ResultUpdateEditSerializer

    @extend_schema(operation_id="programmes_result_updates_retrieve",
                   summary="One result update",
                   responses={200: ResultUpdateSerializer, 404: OpenApiResponse(
                       description="No update you may read.")})
    def get(self, request, pk: int):
        filters.only_common(request.query_params)
        return Response(update_as_dict(_update_or_404(request.user, pk)))

    @extend_schema(operation_id="programmes_result_updates_partial_update",
                   summary="Change a draft or returned update (its organisation)",
                   request=ResultUpdateEditSerializer,
                   responses={200: ResultUpdateSerializer, 409: ConflictSerializer, **ERRORS})
    def patch(self, request, pk: int):
        filters.only_common(request.query_params)
        update = _update_or_404(request.user, pk)
        body = ResultUpdateEditSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            update = call(result_services.result_update_edit, acting_user=request.user,
                          update=update, expected_version=data["version"],
                          value=data.get("value", update.value),
                          narrative=data.get("narrative", update.narrative))
        except ConflictError as error:
            return conflict(error, update_as_dict(ResultUpdate.objects.get(pk=pk)))
        return Response(update_as_dict(update))


def _step(service_name: str, operation: str, summary: str, with_comment: bool):
    class StepView(ApiView):
        permission_classes = [IsAuthenticated]
        pagination_class = None
        serializer_class = ResultUpdateReviewSerializer

        @extend_schema(operation_id=operation, summary=summary,
                       request=ResultUpdateReviewSerializer if with_comment else None,
                       responses={200: ResultUpdateSerializer, **ERRORS})
        def post(self, request, pk: int):
            filters.only_common(request.query_params)
            update = _update_or_404(request.user, pk)
            kwargs = {}
            if with_comment:
                body = ResultUpdateReviewSerializer(data=request.data)
                body.is_valid(raise_exception=True)
                kwargs["comment"] = body.validated_data["comment"]
            service = getattr(result_services, service_name)
            try:
                update = call(service, acting_user=request.user, update=update, **kwargs)
            except ConflictError as error:
                return conflict(error, update_as_dict(ResultUpdate.objects.get(pk=pk)))
            return Response(update_as_dict(update))

    StepView.__name__ = StepView.__qualname__ = f"ResultUpdate{operation.title()}View"
    return StepView


SubmitView = _step("result_update_submit", "programmes_result_updates_submit",
                   "Send a draft or returned update to the bureau", with_comment=False)
ApproveView = _step("result_update_approve", "programmes_result_updates_approve",
                    "Approve a submitted update (the programme bureau)", with_comment=True)
ReturnView = _step("result_update_return", "programmes_result_updates_return",
                   "Return a submitted update with a comment (the programme bureau)",
                   with_comment=True)

urlpatterns = [
    path("programmes/activities/", ActivityListView.as_view(),
         name="programmes-activity-list"),
    path("programmes/activities/<str:code>/", ActivityDetailView.as_view(),
         name="programmes-activity-detail"),
    path("programmes/result-updates/", ResultUpdateListView.as_view(),
         name="programmes-result-update-list"),
    path("programmes/result-updates/<int:pk>/", ResultUpdateDetailView.as_view(),
         name="programmes-result-update-detail"),
    path("programmes/result-updates/<int:pk>/submit/", SubmitView.as_view(),
         name="programmes-result-update-submit"),
    path("programmes/result-updates/<int:pk>/approve/", ApproveView.as_view(),
         name="programmes-result-update-approve"),
    path("programmes/result-updates/<int:pk>/return/", ReturnView.as_view(),
         name="programmes-result-update-return"),
    *money.urlpatterns,
]
