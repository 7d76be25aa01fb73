"""``/api/v1/evaluations/``: effect evaluations, listed, defined (queued) and read.

``POST`` only defines and queues an evaluation (status ``queued``); the background worker
(``wijkbalans evaluations work``) runs it, and ``GET /evaluations/<id>/`` shows its status
and, once ``done``, the result, the verdict in Dutch and English and the SHA-256 of the
panel it used; ``?panel=1`` adds the panel itself, so that anyone can reproduce the result.
Reading is public; defining needs the role admin, programme_staff or analyst.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from wijkbalans.evaluations import selectors
from wijkbalans.evaluations.models import Evaluation
from wijkbalans.evaluations.services import (
    DEFAULT_PLACEBO_REPS,
    PLACEBO_REPS_RANGE,
    EvaluationError,
    evaluation_create,
)

from . import filters
from .base import ApiView


class EvaluationEditorOrReadOnly(BasePermission):
    """Anyone reads; defining needs a signed-in user with an editor role."""

    message = "Defining evaluations needs the role admin, programme_staff or analyst."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return selectors.evaluation_user_may_define(user=request.user)


class EvaluationCreateSerializer(serializers.Serializer):
    """The body of ``POST /evaluations/``; the service checks what the values mean."""

    outcome = serializers.CharField(max_length=120, help_text="Indicator code.")
    start_period = serializers.CharField(
        max_length=7, help_text="First period with the programme: YYYY, YYYY-Qn or YYYY-MM.")
    method = serializers.ChoiceField(choices=Evaluation.Method.values, default="sdid")
    area_set = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="Slug of the treated area set; or give treated_codes.")
    treated_codes = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, default=list,
        max_length=5000, help_text="Buurtcodes of the treated areas; or give area_set.")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                  default="")
    activity_ref = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                         default="")
    donor_exclude = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, default=list,
        max_length=20_000, help_text="Area codes left out of the comparison.")
    donor_exclude_own_municipality = serializers.BooleanField(required=False, default=False)
    donor_exclude_area_sets = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, default=list,
        max_length=200, help_text="Slugs of area sets under a similar programme.")
    donor_municipalities = serializers.ListField(
        child=serializers.CharField(max_length=6), required=False, default=list,
        max_length=400, help_text="Gemeentecodes; the comparison areas lie in these.")
    first_period = serializers.CharField(max_length=7, required=False, allow_blank=True,
                                         allow_null=True, default=None)
    last_period = serializers.CharField(max_length=7, required=False, allow_blank=True,
                                        allow_null=True, default=None)
    placebo_reps = serializers.IntegerField(required=False, default=DEFAULT_PLACEBO_REPS,
                                            min_value=PLACEBO_REPS_RANGE[0],
                                            max_value=PLACEBO_REPS_RANGE[1])
    seed = serializers.IntegerField(required=False, default=0, min_value=0,
                                    max_value=2**32 - 1)


class EvaluationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    title = serializers.CharField()
    activity_ref = serializers.CharField()
    area_set = serializers.CharField(source="area_set.slug", allow_null=True,
                                     help_text="Slug of the treated area set, if any.")
    treated_codes = serializers.ListField(child=serializers.CharField())
    outcome = serializers.CharField()
    start_period = serializers.CharField()
    method = serializers.CharField()
    status = serializers.ChoiceField(choices=Evaluation.Status.values,
                                     help_text="queued, running, done or failed.")
    estimate = serializers.FloatField(allow_null=True)
    conclusion = serializers.CharField(
        help_text="effect, effect_with_caveats, no_evidence or unreliable; empty until done.")
    created_by = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)

    def get_url(self, evaluation) -> str:
        return reverse("api:evaluation-detail", args=[evaluation.pk])

    def get_created_by(self, evaluation) -> str | None:
        return evaluation.created_by.get_username() if evaluation.created_by else None


class VerdictSerializer(serializers.Serializer):
    conclusion = serializers.CharField()
    nl = serializers.CharField()
    en = serializers.CharField()
    issues = serializers.ListField(child=serializers.DictField())


class EvaluationDetailSerializer(EvaluationSerializer):
    donor_level = serializers.CharField()
    donor_exclude = serializers.ListField(child=serializers.CharField())
    donor_exclude_own_municipality = serializers.BooleanField()
    donor_exclude_area_sets = serializers.ListField(child=serializers.CharField())
    settings = serializers.DictField()
    error = serializers.CharField()
    panel_sha256 = serializers.CharField(help_text="SHA-256 of the panel's canonical JSON.")
    software = serializers.DictField(allow_null=True)
    verdict = serializers.SerializerMethodField()
    result = serializers.JSONField(
        allow_null=True, help_text="The estimator's output, the donor pool, the verdict and "
                                   "the run specification (spec); null until done.")
    panel = serializers.SerializerMethodField()

    @extend_schema_field(VerdictSerializer(allow_null=True))
    def get_verdict(self, evaluation) -> dict | None:
        return (evaluation.result or {}).get("verdict")

    def get_panel(self, evaluation) -> dict | None:
        """The panel used (units, times, values), only with ``?panel=1``."""
        return evaluation.panel if self.context.get("panel") else None


def _create(data: dict, user) -> Evaluation:
    try:
        return evaluation_create(**data, acting_user=user)
    except EvaluationError as error:
        raise ValidationError({error.field: [error.message]}) from error


class EvaluationListView(ApiView):
    """Effect evaluations, newest first; POST defines one and queues it."""

    permission_classes = [EvaluationEditorOrReadOnly]
    serializer_class = EvaluationCreateSerializer  # what OPTIONS describes for POST

    @extend_schema(operation_id="evaluations_list", summary="List evaluations",
                   responses={200: EvaluationSerializer(many=True)})
    def get(self, request):
        filters.only_common(request.query_params)
        page = self.paginate_queryset(selectors.evaluation_list())
        return self.get_paginated_response(EvaluationSerializer(page, many=True).data)

    @extend_schema(
        operation_id="evaluations_create",
        summary="Define an evaluation and queue it (admin, programme_staff, analyst)",
        request=EvaluationCreateSerializer,
        responses={201: EvaluationDetailSerializer,
                   400: OpenApiResponse(description="Invalid body: the field named says "
                                                    "what is wrong."),
                   403: OpenApiResponse(description="Not allowed to define evaluations.")},
    )
    def post(self, request):
        filters.only_common(request.query_params)
        body = EvaluationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        evaluation = _create(dict(body.validated_data), request.user)
        evaluation = selectors.evaluation_get(pk=evaluation.pk)
        response = Response(EvaluationDetailSerializer(evaluation).data,
                            status=status.HTTP_201_CREATED)
        response["Location"] = reverse("api:evaluation-detail", args=[evaluation.pk])
        return response


class EvaluationDetailView(ApiView):
    """One evaluation: its definition, status, result, verdict and panel hash."""

    pagination_class = None

    @extend_schema(
        operation_id="evaluations_retrieve", summary="One evaluation with its result",
        parameters=[OpenApiParameter("panel", OpenApiTypes.BOOL,
                                     description="Also return the panel used (default no).")],
        responses={200: EvaluationDetailSerializer,
                   404: OpenApiResponse(description="No evaluation with this id.")},
    )
    def get(self, request, pk: int):
        f = filters.Filters(request.query_params, ("panel",))
        raw = (request.query_params.get("panel") or "0").strip().lower()
        if raw not in ("0", "1", "true", "false", "yes", "no"):
            f.fail("panel", f"expected 1 or 0; found {raw!r}")
        f.check()
        evaluation = selectors.evaluation_get(pk=pk)
        if evaluation is None:
            raise Http404(f"no evaluation {pk}")
        context = {"panel": raw in ("1", "true", "yes")}
        return Response(EvaluationDetailSerializer(evaluation, context=context).data)
