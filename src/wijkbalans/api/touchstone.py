"""``/api/v1/touchstone/``: the touchstone before the fact (docs/touchstone.md).

- ``touchstone/<code>/``: ``GET`` computes the plan's scorecard now, nothing stored
  (``?target_group=&reach_result=&format=json|csv``); ``POST`` stores it as an assessment
  (the programme bureau, the owner's programme staff, administrators);
- ``touchstone/<code>/decision/``: ``POST`` records go, adjust or stop on an assessment
  (the newest of the plan unless one is named), with the reason;
- ``touchstone/<code>/assessments/``: the stored assessments of the plan with their
  decisions; ``touchstone/<code>/afterwards/``: what the newest assessment expected next to
  what happened (results, progress, effect evaluations);
- ``touchstone-comparison/?assessments=1,2``: alternative plans side by side.

Members of the Local Alliance read every plan's scorecards; everyone reads those of a
public plan, without the money's amounts. Views check the parameters, call one selector
or service of :mod:`wijkbalans.touchstone` and render; a refusal is a 403, bad input a
400 naming the field (``notes.money``), a plan the reader may not see a 404.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from wijkbalans.touchstone import selectors
from wijkbalans.touchstone.errors import TouchstoneError, TouchstoneRefused
from wijkbalans.touchstone.models import Decision
from wijkbalans.touchstone.scorecard import scorecard_csv, scorecard_dict
from wijkbalans.touchstone.services import assessment_create, decision_record

from . import filters
from .base import ApiView
from .renderers import CSVRenderer
from .serializers import CSV_TEXT

ERRORS = {400: OpenApiResponse(description="The body or a parameter is wrong; the field "
                                           "is named."),
          403: OpenApiResponse(description="Not allowed (see docs/touchstone.md)."),
          404: OpenApiResponse(description="No activity with this code that you may read.")}
RATINGS = ["strong", "adequate", "weak", "unknown"]


# -- shapes -----------------------------------------------------------------------------

class CriterionSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=["need", "evidence", "reach", "residents",
                                           "coherence", "money", "measurability"])
    label = serializers.CharField()
    question = serializers.CharField()
    rating = serializers.ChoiceField(choices=RATINGS)
    rating_label = serializers.CharField()
    reason = serializers.CharField(help_text="In the reader's language, with the figures.")
    reason_id = serializers.CharField(help_text="The message id (English) of the reason.")
    basis = serializers.ChoiceField(choices=["data", "argued"])
    computed_rating = serializers.CharField(allow_null=True)
    note = serializers.CharField(help_text="The assessor's argument.")
    data = serializers.JSONField(help_text="The figures behind the rating.")


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    decision = serializers.ChoiceField(choices=Decision.Choice.values)
    decision_label = serializers.CharField()
    reason = serializers.CharField()
    decided_by = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField()


class ScorecardSerializer(serializers.Serializer):
    activity = serializers.CharField()
    title = serializers.CharField()
    activity_version = serializers.IntegerField()
    assessment = serializers.IntegerField(allow_null=True,
                                          help_text="Null for a scorecard not stored.")
    label = serializers.CharField()
    computed_at = serializers.DateTimeField()
    inputs = serializers.JSONField()
    counts = serializers.DictField(child=serializers.IntegerField(),
                                   help_text="Criteria per rating; no total score.")
    criteria = CriterionSerializer(many=True)
    decision = DecisionSerializer(required=False, allow_null=True)
    decisions = DecisionSerializer(many=True, required=False)
    outdated = serializers.BooleanField(required=False,
                                        help_text="The plan changed after the assessment.")


class InputsSerializer(serializers.Serializer):
    target_group_indicator = serializers.CharField(required=False, allow_blank=True)
    reach_result = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.DictField(child=serializers.CharField(allow_blank=True),
                                  required=False)
    argued_ratings = serializers.DictField(child=serializers.CharField(), required=False)


class AssessmentCreateSerializer(serializers.Serializer):
    label = serializers.CharField(required=False, allow_blank=True, default="")
    expected_version = serializers.IntegerField(required=False, allow_null=True,
                                                default=None)
    inputs = InputsSerializer(required=False)


class DecisionCreateSerializer(serializers.Serializer):
    assessment = serializers.IntegerField(required=False, allow_null=True, default=None,
                                          help_text="Default: the plan's newest assessment.")
    decision = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)


# -- helpers ----------------------------------------------------------------------------

def _activity_or_404(user, code: str):
    activity = selectors.activity_for(user=user, code=code)
    if activity is None:
        raise Http404(f"no activity {code}")
    return activity


def call(function, **kwargs):
    try:
        return function(**kwargs)
    except TouchstoneRefused as error:
        raise PermissionDenied(error.message) from error
    except TouchstoneError as error:
        raise ValidationError({error.field or "non_field_errors": [error.message]}) from error


def _csv(card) -> HttpResponse:
    response = HttpResponse(scorecard_csv(card), content_type="text/csv; charset=utf-8")
    suffix = f"-{card.assessment_id}" if card.assessment_id else ""
    response["Content-Disposition"] = (
        f'attachment; filename="touchstone-{card.activity_code}{suffix}.csv"')
    return response


# -- views ------------------------------------------------------------------------------

class ScorecardView(ApiView):
    permission_classes = [AllowAny]
    pagination_class = None
    renderer_classes = [JSONRenderer, CSVRenderer]
    serializer_class = AssessmentCreateSerializer

    @extend_schema(
        operation_id="touchstone_compute", summary="The plan's scorecard now (not stored)",
        parameters=[
            OpenApiParameter("target_group", OpenApiTypes.STR,
                             description="Population indicator of the target group "
                                         "(default inwoners)."),
            OpenApiParameter("reach_result", OpenApiTypes.STR,
                             description="Name of the output indicator that counts reach."),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"],
                             description="Output format (default json).")],
        responses={(200, "application/json"): ScorecardSerializer,
                   (200, "text/csv"): CSV_TEXT, **ERRORS})
    def get(self, request, code: str):
        f = filters.Filters(request.query_params, ("target_group", "reach_result"))
        inputs = {"target_group_indicator": f.text("target_group") or "",
                  "reach_result": f.text("reach_result") or ""}
        f.check()
        activity = _activity_or_404(request.user, code)
        card = call(selectors.scorecard_compute, user=request.user, activity=activity,
                    inputs=inputs)
        return _csv(card) if self.wants("csv") else Response(scorecard_dict(card))

    @extend_schema(operation_id="touchstone_assess", summary="Store the plan's assessment",
                   request=AssessmentCreateSerializer,
                   responses={201: ScorecardSerializer, **ERRORS})
    def post(self, request, code: str):
        filters.only_common(request.query_params)
        if not request.user.is_authenticated:
            raise PermissionDenied("Sign in to assess a plan.")
        activity = _activity_or_404(request.user, code)
        body = AssessmentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        assessment = call(assessment_create, acting_user=request.user, activity=activity,
                          inputs=dict(data.get("inputs") or {}), label=data["label"],
                          expected_version=data["expected_version"])
        stored = selectors.assessment_get(user=request.user, pk=assessment.pk)
        card = selectors.assessment_scorecard(user=request.user, assessment=stored)
        return Response(scorecard_dict(card), status=status.HTTP_201_CREATED)


class AssessmentListView(ApiView):
    permission_classes = [AllowAny]
    pagination_class = None

    @extend_schema(operation_id="touchstone_assessments",
                   summary="The plan's stored assessments with their decisions",
                   responses={200: ScorecardSerializer(many=True), 404: ERRORS[404]})
    def get(self, request, code: str):
        filters.only_common(request.query_params)
        activity = _activity_or_404(request.user, code)
        return Response([scorecard_dict(selectors.assessment_scorecard(
            user=request.user, assessment=a))
            for a in selectors.assessment_list(user=request.user, activity=activity)])


class DecisionView(ApiView):
    permission_classes = [IsAuthenticated]
    pagination_class = None
    serializer_class = DecisionCreateSerializer

    @extend_schema(operation_id="touchstone_decide",
                   summary="Record go, adjust or stop on an assessment, with the reason",
                   request=DecisionCreateSerializer,
                   responses={201: DecisionSerializer, **ERRORS})
    def post(self, request, code: str):
        filters.only_common(request.query_params)
        activity = _activity_or_404(request.user, code)
        body = DecisionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        found = selectors.assessment_list(user=request.user, activity=activity)
        if data["assessment"] is not None:
            found = [a for a in found if a.pk == data["assessment"]]
        if not found:
            raise ValidationError({"assessment": [
                f"expected the number of an assessment of {activity.code}; found "
                f"{data['assessment']}" if data["assessment"] is not None
                else f"{activity.code} has no assessment yet: assess it first"]})
        decision = call(decision_record, acting_user=request.user, assessment=found[0],
                        decision=data["decision"], reason=data["reason"])
        return Response(selectors.decision_dict(decision), status=status.HTTP_201_CREATED)


class AfterwardsView(ApiView):
    permission_classes = [AllowAny]
    pagination_class = None

    @extend_schema(operation_id="touchstone_afterwards",
                   summary="What the assessment expected next to what happened",
                   responses={200: OpenApiTypes.OBJECT, 404: ERRORS[404]})
    def get(self, request, code: str):
        filters.only_common(request.query_params)
        activity = _activity_or_404(request.user, code)
        return Response(call(selectors.expected_vs_actual, activity=activity,
                             user=request.user))


class ComparisonView(ApiView):
    permission_classes = [AllowAny]
    pagination_class = None

    @extend_schema(
        operation_id="touchstone_compare", summary="Alternative plans side by side",
        parameters=[OpenApiParameter("assessments", OpenApiTypes.STR, required=True,
                                     description="Assessment numbers, comma-separated, in "
                                                 "the order of the columns.")],
        responses={200: OpenApiTypes.OBJECT, 400: ERRORS[400]})
    def get(self, request):
        f = filters.Filters(request.query_params, ("assessments",))
        wanted = f.items("assessments")
        if not wanted:
            f.fail("assessments", "expected assessment numbers, comma-separated")
        found = []
        for item in wanted:
            assessment = selectors.assessment_get(user=request.user, pk=item)
            if assessment is None:
                f.fail("assessments", f"expected the number of an assessment you may read; "
                                      f"found {item!r}")
            else:
                found.append(assessment)
        f.check()
        return Response(selectors.compare(found, user=request.user).as_dict())


urlpatterns = [
    path("touchstone-comparison/", ComparisonView.as_view(), name="touchstone-comparison"),
    path("touchstone/<str:code>/", ScorecardView.as_view(), name="touchstone-scorecard"),
    path("touchstone/<str:code>/assessments/", AssessmentListView.as_view(),
         name="touchstone-assessments"),
    path("touchstone/<str:code>/decision/", DecisionView.as_view(),
         name="touchstone-decision"),
    path("touchstone/<str:code>/afterwards/", AfterwardsView.as_view(),
         name="touchstone-afterwards"),
]
