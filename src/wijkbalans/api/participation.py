"""``/api/v1/participation/``: every resident action over JSON, and the moderators' queue.

Residents register (``register/``), confirm the link in their e-mail (``verify/``) and get
an API token (``login/``); session log-in works as well (with the CSRF token). Then they
comment, submit, support and flag proposals, and cast a ballot. Reading consultations,
proposals, rounds and outcomes is open. Views are thin: check the body, call one service
of :mod:`wijkbalans.participation.services` or one selector, render.

Errors: a refused value is a 400 naming the field; a rule about who may act (not a
resident, not of this area, not a moderator) a 403; something done already (a second
ballot, support given before) a 409; too many writes in a short time a 429 with
``Retry-After``. Messages follow ``Accept-Language`` (Dutch by default).
"""

from __future__ import annotations

from django.http import Http404
from django.urls import NoReverseMatch, path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from wijkbalans.accounts.services import api_token_issue
from wijkbalans.participation import permissions as rules
from wijkbalans.participation import ratelimit, selectors
from wijkbalans.participation.errors import (
    AlreadyDone,
    ParticipationError,
    PermissionRefused,
    RateLimited,
)
from wijkbalans.participation.ratelimit import client_ip
from wijkbalans.participation.services import (
    ballots,
    comments,
    identity,
    moderation,
    proposals,
)

from . import filters
from .base import ApiView
from .participation_serializers import (
    BallotSerializer,
    BallotWriteSerializer,
    CommentSerializer,
    ConsultationDetailSerializer,
    ConsultationSerializer,
    EmailSerializer,
    LoginSerializer,
    ModerationSerializer,
    OutcomeSerializer,
    PostcodeSerializer,
    ProfileSerializer,
    ProposalDetailSerializer,
    ProposalSerializer,
    ProposalWriteSerializer,
    QueueItemSerializer,
    ReasonSerializer,
    RegisterSerializer,
    ResultsSerializer,
    RoundDetailSerializer,
    RoundSerializer,
    TextSerializer,
    TokenSerializer,
    ballot_row,
    consultation_row,
    outcome_row,
    profile_row,
    project_row,
    proposal_row,
    queue_row,
    round_row,
)

# -- errors and shared helpers ------------------------------------------------------------


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Done already."


def call(service, **kwargs):
    """Run one service; its refusals become the API's 400, 403, 409 and 429."""
    try:
        return service(**kwargs)
    except RateLimited as error:
        raise exceptions.Throttled(wait=error.retry_after, detail=error.message) from error
    except PermissionRefused as error:
        raise exceptions.PermissionDenied(error.message) from error
    except AlreadyDone as error:
        raise Conflict({error.field or "detail": [error.message]}) from error
    except ParticipationError as error:
        raise exceptions.ValidationError({error.field or "detail": [error.message]}) from error


def body(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def found(item, what: str, pk):
    if item is None:
        raise Http404(f"no {what} {pk}")
    return item


AREA_PARAMETER = OpenApiParameter(
    "area", OpenApiTypes.STR, description="A buurt, wijk or gemeente code: what concerns "
    "that area (the area itself, areas around or inside it, area sets with it).")
ERRORS = {400: OpenApiResponse(description="A value is wrong; the field is named."),
          401: OpenApiResponse(description="Log in first (token or session)."),
          403: OpenApiResponse(description="Not allowed: not a verified resident, not of "
                                           "this area, or not a moderator."),
          429: OpenApiResponse(description="Too many in a short time; see Retry-After.")}

def _verify_link(request) -> str:
    try:
        page = reverse("participation:verify", kwargs={"token": "TOKEN"})
    except NoReverseMatch:
        page = "/meedoen/bevestigen/TOKEN/"
    return request.build_absolute_uri(page).replace("TOKEN", "{token}")


# -- residents --------------------------------------------------------------------------

class RegisterView(ApiView):
    """Register as a resident; the confirmation link goes to the e-mail address."""

    permission_classes = [AllowAny]
    serializer_class = RegisterSerializer

    @extend_schema(operation_id="participation_register", summary="Register as a resident",
                   request=RegisterSerializer,
                   responses={201: OpenApiResponse(description="Registered; confirm the "
                                                   "e-mail address next."), **ERRORS})
    def post(self, request):
        data = body(RegisterSerializer, request)
        call(identity.resident_register, email=data["email"], postcode=data["postcode"],
             password=data["password"], verify_link=_verify_link(request),
             ip=client_ip(request))
        return Response({"detail": "registered; open the link in the e-mail to confirm"},
                        status=status.HTTP_201_CREATED)


class VerifyView(ApiView):
    """Confirm the e-mail address with the token from the link."""

    permission_classes = [AllowAny]
    serializer_class = TokenSerializer

    @extend_schema(operation_id="participation_verify", summary="Confirm the e-mail address",
                   request=TokenSerializer, responses={200: ProfileSerializer, **ERRORS})
    def post(self, request):
        user = call(identity.resident_verify, token=body(TokenSerializer, request)["token"])
        return Response(ProfileSerializer(profile_row(user.resident_profile)).data)


class ResendView(ApiView):
    """Send the confirmation e-mail again (the answer is the same for any address)."""

    permission_classes = [AllowAny]
    serializer_class = EmailSerializer

    @extend_schema(operation_id="participation_resend", summary="Send the confirmation again",
                   request=EmailSerializer,
                   responses={202: OpenApiResponse(description="Sent, if the address "
                                                   "waits for confirmation."), **ERRORS})
    def post(self, request):
        call(identity.resident_verification_resend, email=body(EmailSerializer,
                                                               request)["email"],
             verify_link=_verify_link(request), ip=client_ip(request))
        return Response({"detail": "sent if the address waits for confirmation"},
                        status=status.HTTP_202_ACCEPTED)


class LoginView(ApiView):
    """Exchange a resident's e-mail address and password for an API token."""

    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = LoginSerializer

    @extend_schema(operation_id="participation_login", summary="API token of a resident",
                   request=LoginSerializer, responses={200: TokenSerializer, **ERRORS})
    def post(self, request):
        # Failed attempts are limited per e-mail address and per IP address, shared with
        # the log-in page (``ratelimit``, kind ``login``): too many is a 429 with
        # Retry-After, before the password is checked.
        data = body(LoginSerializer, request)
        email, ip = data["email"], client_ip(request)
        call(ratelimit.check, kind="login", email=email, ip=ip)
        user = identity.resident_authenticate(email=email, password=data["password"])
        if user is None:
            call(ratelimit.hit, kind="login", email=email, ip=ip)
            raise exceptions.ValidationError({"email": [
                "no confirmed resident with this e-mail address and password"]})
        ratelimit.reset("login", email=email)
        return Response({"token": api_token_issue(user=user).key})



class MeView(ApiView):
    """The signed-in resident's own data; PUT declares a new postcode."""

    permission_classes = [IsAuthenticated]
    serializer_class = PostcodeSerializer

    def _own(self, request):
        profile = rules.resident_profile_of(request.user)
        return found(profile, "resident profile for this user", "")

    @extend_schema(operation_id="participation_me", summary="Your resident profile",
                   responses={200: ProfileSerializer, **ERRORS})
    def get(self, request):
        return Response(ProfileSerializer(profile_row(self._own(request))).data)

    @extend_schema(operation_id="participation_me_postcode", summary="Declare a new postcode",
                   request=PostcodeSerializer, responses={200: ProfileSerializer, **ERRORS})
    def put(self, request):
        self._own(request)
        profile = call(identity.resident_postcode_change, acting_user=request.user,
                       postcode=body(PostcodeSerializer, request)["postcode"])
        return Response(ProfileSerializer(profile_row(profile)).data)


# -- consultations and comments ---------------------------------------------------------

class ConsultationListView(ApiView):
    """Published consultations, newest first."""

    @extend_schema(operation_id="participation_consultations_list",
                   summary="List consultations", parameters=[AREA_PARAMETER],
                   responses={200: ConsultationSerializer(many=True)})
    def get(self, request):
        f = filters.Filters(request.query_params, ("area",))
        f.check()
        qs = selectors.consultation_list(viewer=request.user, area_code=f.raw("area"))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response([consultation_row(c) for c in page])


class ConsultationDetailView(ApiView):
    """One consultation with its comments."""

    pagination_class = None

    @extend_schema(operation_id="participation_consultations_retrieve",
                   summary="One consultation with its comments",
                   responses={200: ConsultationDetailSerializer,
                              404: OpenApiResponse(description="No such consultation.")})
    def get(self, request, pk: int):
        filters.only_common(request.query_params)
        c = found(selectors.consultation_get(pk=pk, viewer=request.user), "consultation", pk)
        views = selectors.comment_views(viewer=request.user, consultation=c)
        data = {**consultation_row(c), "comments": views}
        return Response(ConsultationDetailSerializer(data).data)


class CommentCreateView(ApiView):
    """Comment on (or ask a question about) a consultation or a proposal."""

    permission_classes = [IsAuthenticated]
    serializer_class = TextSerializer
    subject = "consultation"

    @extend_schema(summary="Comment (verified residents; moderators answer officially)",
                   request=TextSerializer, responses={201: CommentSerializer, **ERRORS})
    def post(self, request, pk: int):
        if self.subject == "consultation":
            item = selectors.consultation_get(pk=pk, viewer=request.user)
        else:
            item = selectors.proposal_get(pk=pk, viewer=request.user)
        item = found(item, self.subject, pk)
        comment = call(comments.comment_create, acting_user=request.user,
                       text=body(TextSerializer, request)["text"], ip=client_ip(request),
                       **{self.subject: item})
        view = next(v for v in selectors.comment_views(viewer=request.user,
                                                       **{self.subject: item})
                    if v.id == comment.pk)
        return Response(CommentSerializer(view).data, status=status.HTTP_201_CREATED)


class ProposalCommentCreateView(CommentCreateView):
    subject = "proposal"


class FlagView(ApiView):
    """Report a comment or proposal to the moderators."""

    permission_classes = [IsAuthenticated]
    serializer_class = ReasonSerializer
    kind = "comment"

    @extend_schema(summary="Report to the moderators (verified residents)",
                   request=ReasonSerializer,
                   responses={201: OpenApiResponse(description="Reported."), **ERRORS,
                              409: OpenApiResponse(description="Reported by you before.")})
    def post(self, request, pk: int):
        item = (selectors.comment_get(pk=pk) if self.kind == "comment"
                else selectors.proposal_get(pk=pk, viewer=request.user))
        call(moderation.flag_create, acting_user=request.user, item=found(item, self.kind, pk),
             reason=body(ReasonSerializer, request)["reason"], ip=client_ip(request))
        return Response({"detail": "reported"}, status=status.HTTP_201_CREATED)


class ProposalFlagView(FlagView):
    kind = "proposal"


# -- proposals --------------------------------------------------------------------------

class ProposalListView(ApiView):
    """Proposals with their support, newest first; POST submits one."""

    serializer_class = ProposalWriteSerializer

    @extend_schema(operation_id="participation_proposals_list", summary="List proposals",
                   parameters=[AREA_PARAMETER, OpenApiParameter(
                       "status", OpenApiTypes.STR, enum=list(selectors.PROPOSAL_STATUSES),
                       description="Only proposals with this status.")],
                   responses={200: ProposalSerializer(many=True)})
    def get(self, request):
        f = filters.Filters(request.query_params, ("area", "status"))
        state = f.choice("status", selectors.PROPOSAL_STATUSES)
        f.check()
        qs = selectors.proposal_list(viewer=request.user, area_code=f.raw("area"),
                                     status=state)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response([proposal_row(p, request.user) for p in page])

    @extend_schema(operation_id="participation_proposals_create",
                   summary="Submit a proposal (verified residents of the area)",
                   request=ProposalWriteSerializer,
                   responses={201: ProposalSerializer, **ERRORS})
    def post(self, request):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        data = body(ProposalWriteSerializer, request)
        proposal = call(proposals.proposal_submit, acting_user=request.user,
                        title=data["title"], text=data["text"], area_code=data["area"],
                        area_set_slug=data["area_set"], ip=client_ip(request))
        proposal = selectors.proposal_get(pk=proposal.pk, viewer=request.user)
        return Response(ProposalSerializer(proposal_row(proposal, request.user)).data,
                        status=status.HTTP_201_CREATED)


class ProposalDetailView(ApiView):
    """One proposal with its support and comments."""

    pagination_class = None

    @extend_schema(operation_id="participation_proposals_retrieve",
                   summary="One proposal with its comments",
                   responses={200: ProposalDetailSerializer,
                              404: OpenApiResponse(description="No such proposal.")})
    def get(self, request, pk: int):
        filters.only_common(request.query_params)
        p = found(selectors.proposal_get(pk=pk, viewer=request.user), "proposal", pk)
        views = selectors.comment_views(viewer=request.user, proposal=p)
        data = {**proposal_row(p, request.user), "supported": p.supported,
                "comments": views}
        return Response(ProposalDetailSerializer(data).data)


class SupportView(ApiView):
    """Support a proposal (POST) or withdraw your support (DELETE)."""

    permission_classes = [IsAuthenticated]
    serializer_class = None

    def _proposal(self, request, pk):
        return found(selectors.proposal_get(pk=pk, viewer=request.user), "proposal", pk)

    @extend_schema(operation_id="participation_proposals_support",
                   summary="Support a proposal (verified residents of the area)",
                   request=None,
                   responses={201: ProposalSerializer, **ERRORS,
                              409: OpenApiResponse(description="You support it already.")})
    def post(self, request, pk: int):
        call(proposals.proposal_support, acting_user=request.user,
             proposal=self._proposal(request, pk), ip=client_ip(request))
        proposal = self._proposal(request, pk)
        return Response(ProposalSerializer(proposal_row(proposal, request.user)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="participation_proposals_support_withdraw",
                   summary="Withdraw your support", request=None,
                   responses={204: None, **ERRORS})
    def delete(self, request, pk: int):
        call(proposals.proposal_support_withdraw, acting_user=request.user,
             proposal=self._proposal(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


# -- budget rounds ----------------------------------------------------------------------

def _round(request, pk):
    return found(selectors.budget_round_get(pk=pk, viewer=request.user), "budget round", pk)


class RoundListView(ApiView):
    """Neighbourhood budget rounds, newest first."""

    @extend_schema(operation_id="participation_rounds_list", summary="List budget rounds",
                   parameters=[AREA_PARAMETER], responses={200: RoundSerializer(many=True)})
    def get(self, request):
        f = filters.Filters(request.query_params, ("area",))
        f.check()
        qs = selectors.budget_round_list(viewer=request.user, area_code=f.raw("area"))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response([round_row(r) for r in page])


class RoundDetailView(ApiView):
    """One round with its projects; signed in, whether you may vote and have voted."""

    pagination_class = None

    @extend_schema(operation_id="participation_rounds_retrieve",
                   summary="One budget round with its projects",
                   responses={200: RoundDetailSerializer,
                              404: OpenApiResponse(description="No such round.")})
    def get(self, request, pk: int):
        filters.only_common(request.query_params)
        r = _round(request, pk)
        data = {**round_row(r), "projects": [project_row(p) for p in
                                             selectors.budget_projects(budget_round=r)],
                "may_vote": selectors.resident_may_vote(user=request.user, budget_round=r),
                "voted": selectors.ballot_of(budget_round=r, user=request.user) is not None}
        return Response(RoundDetailSerializer(data).data)



class BallotView(ApiView):
    """Cast your ballot (POST, once per round) or read it back (GET)."""

    permission_classes = [IsAuthenticated]
    serializer_class = BallotWriteSerializer
    pagination_class = None

    @extend_schema(operation_id="participation_ballot_retrieve", summary="Your ballot",
                   responses={200: BallotSerializer,
                              404: OpenApiResponse(description="You have not voted.")})
    def get(self, request, pk: int):
        ballot = found(selectors.ballot_of(budget_round=_round(request, pk), user=request.user),
                       "ballot of yours in round", pk)
        chosen = [c.project for c in ballot.choices.all()]
        return Response(BallotSerializer(ballot_row(
            ballot, [p.pk for p in chosen], sum(p.cost for p in chosen))).data)

    @extend_schema(operation_id="participation_ballot_cast",
                   summary="Cast your ballot (verified residents of the area, once)",
                   request=BallotWriteSerializer,
                   responses={201: BallotSerializer, **ERRORS,
                              409: OpenApiResponse(description="You voted in this round "
                                                               "already.")})
    def post(self, request, pk: int):
        data = body(BallotWriteSerializer, request)
        budget_round = found(selectors.budget_round_for_ballot(pk=pk), "budget round", pk)
        ballot = call(ballots.ballot_cast, acting_user=request.user, budget_round=budget_round,
                      project_ids=data["projects"], ip=client_ip(request))
        return Response(BallotSerializer(ballot_row(ballot, ballot.project_ids,
                                                    ballot.total)).data,
                        status=status.HTTP_201_CREATED)


class ResultsView(ApiView):
    """Votes per project and the winners; public once the round is closed."""

    pagination_class = None

    @extend_schema(operation_id="participation_rounds_results", summary="Results of a round",
                   responses={200: ResultsSerializer,
                              404: OpenApiResponse(description="No such round, or results "
                                                               "not published yet.")})
    def get(self, request, pk: int):
        filters.only_common(request.query_params)
        r = _round(request, pk)
        if not selectors.results_visible(budget_round=r, viewer=request.user):
            raise Http404("the results are published when the round closes")
        tally = selectors.budget_round_tally(budget_round=r)
        rows = [{**project_row(row.project), "votes": row.votes, "selected": row.selected,
                 "activity": row.project.activity.code if row.project.activity_id else None}
                for row in tally.rows]
        return Response(ResultsSerializer({
            "round": r.pk, "closed": r.status == "closed", "ballots": tally.ballots,
            "budget": tally.budget, "allocated": tally.allocated,
            "rule": "greedy by votes within the budget; ties: lower cost, then lower id",
            "projects": rows}).data)


# -- outcomes and moderation ------------------------------------------------------------

class OutcomeListView(ApiView):
    """"You said, we did": outcomes newest first, with the activity they became."""

    @extend_schema(operation_id="participation_outcomes_list",
                   summary="Outcomes (you said, we did)", parameters=[AREA_PARAMETER],
                   responses={200: OutcomeSerializer(many=True)})
    def get(self, request):
        f = filters.Filters(request.query_params, ("area",))
        f.check()
        page = self.paginate_queryset(selectors.outcome_timeline(area_code=f.raw("area")))
        return self.get_paginated_response([outcome_row(o) for o in page])



class ModerationQueueView(ApiView):
    """New and flagged comments and proposals (moderators)."""

    permission_classes = [IsAuthenticated]
    pagination_class = None

    @extend_schema(operation_id="participation_moderation_queue",
                   summary="The moderation queue (programme staff of the municipality)",
                   responses={200: QueueItemSerializer(many=True), **ERRORS})
    def get(self, request):
        filters.only_common(request.query_params)
        if not rules.is_moderator(request.user):
            raise exceptions.PermissionDenied("only programme staff of the municipality")
        return Response(QueueItemSerializer([queue_row(i) for i in
                                             selectors.moderation_queue()], many=True).data)


class ModerateView(ApiView):
    """Hide (with a reason), show again, or mark as reviewed (moderators)."""

    permission_classes = [IsAuthenticated]
    serializer_class = ModerationSerializer
    kind = "comment"

    @extend_schema(summary="Moderate a comment or proposal (programme staff of the "
                           "municipality)", request=ModerationSerializer,
                   responses={200: QueueItemSerializer, **ERRORS})
    def post(self, request, pk: int):
        data = body(ModerationSerializer, request)
        item = (selectors.comment_get(pk=pk) if self.kind == "comment"
                else selectors.proposal_get(pk=pk, viewer=request.user))
        item = found(item, self.kind, pk)
        if data["action"] == "hide":
            item = call(moderation.moderation_hide, acting_user=request.user, item=item,
                        reason=data["reason"])
        elif data["action"] == "show":
            item = call(moderation.moderation_show, acting_user=request.user, item=item)
        else:
            item = call(moderation.moderation_mark_reviewed, acting_user=request.user,
                        item=item)
        return Response(QueueItemSerializer(queue_row(item)).data)


class ProposalModerateView(ModerateView):
    kind = "proposal"


P = "participation/"
urlpatterns = [
    path(f"{P}register/", RegisterView.as_view(), name="participation-register"),
    path(f"{P}verify/", VerifyView.as_view(), name="participation-verify"),
    path(f"{P}resend/", ResendView.as_view(), name="participation-resend"),
    path(f"{P}login/", LoginView.as_view(), name="participation-login"),
    path(f"{P}me/", MeView.as_view(), name="participation-me"),
    path(f"{P}consultations/", ConsultationListView.as_view(),
         name="participation-consultation-list"),
    path(f"{P}consultations/<int:pk>/", ConsultationDetailView.as_view(),
         name="participation-consultation-detail"),
    path(f"{P}consultations/<int:pk>/comments/", CommentCreateView.as_view(),
         name="participation-consultation-comment"),
    path(f"{P}proposals/", ProposalListView.as_view(), name="participation-proposal-list"),
    path(f"{P}proposals/<int:pk>/", ProposalDetailView.as_view(),
         name="participation-proposal-detail"),
    path(f"{P}proposals/<int:pk>/comments/", ProposalCommentCreateView.as_view(),
         name="participation-proposal-comment"),
    path(f"{P}proposals/<int:pk>/support/", SupportView.as_view(),
         name="participation-proposal-support"),
    path(f"{P}proposals/<int:pk>/flag/", ProposalFlagView.as_view(),
         name="participation-proposal-flag"),
    path(f"{P}proposals/<int:pk>/moderate/", ProposalModerateView.as_view(),
         name="participation-proposal-moderate"),
    path(f"{P}comments/<int:pk>/flag/", FlagView.as_view(), name="participation-comment-flag"),
    path(f"{P}comments/<int:pk>/moderate/", ModerateView.as_view(),
         name="participation-comment-moderate"),
    path(f"{P}rounds/", RoundListView.as_view(), name="participation-round-list"),
    path(f"{P}rounds/<int:pk>/", RoundDetailView.as_view(), name="participation-round-detail"),
    path(f"{P}rounds/<int:pk>/ballot/", BallotView.as_view(), name="participation-ballot"),
    path(f"{P}rounds/<int:pk>/results/", ResultsView.as_view(),
         name="participation-round-results"),
    path(f"{P}outcomes/", OutcomeListView.as_view(), name="participation-outcome-list"),
    path(f"{P}moderation/", ModerationQueueView.as_view(),
         name="participation-moderation-queue"),
]
