"""Serializers of ``/api/v1/participation/`` (:mod:`.participation`): the bodies it
accepts, the shapes it answers (for the OpenAPI schema), and the functions that build an
answer's row from a model instance."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from wijkbalans.participation import permissions as rules
from wijkbalans.participation import selectors
from wijkbalans.participation.formatting import format_eur
from wijkbalans.participation.services import ballots, consultations


def _place(item) -> dict:
    if item.area_id:
        return {"area": item.area.code, "area_name": item.area.name, "area_set": None}
    return {"area": None, "area_name": item.area_set.name, "area_set": item.area_set.slug}


class RegisterSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    postcode = serializers.CharField(max_length=10, help_text="PC6, e.g. 9712 CP.")
    password = serializers.CharField(max_length=128, write_only=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=500)


class EmailSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)


class LoginSerializer(EmailSerializer):
    password = serializers.CharField(max_length=128, write_only=True)


class PostcodeSerializer(serializers.Serializer):
    postcode = serializers.CharField(max_length=10)


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, help_text="The comment or question.")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True,
                                   default="")


class ProposalWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(max_length=5000)
    area = serializers.CharField(max_length=12, required=False, allow_blank=True, default="",
                                 help_text="Buurt, wijk or gemeente code; or area_set.")
    area_set = serializers.SlugField(max_length=80, required=False, allow_blank=True,
                                     default="")


class BallotWriteSerializer(serializers.Serializer):
    projects = serializers.ListField(child=serializers.IntegerField(min_value=1),
                                     max_length=ballots.MAX_CHOICES,
                                     help_text="Ids of the chosen projects of this round.")


class ModerationSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["hide", "show", "reviewed"])
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True,
                                   default="", help_text="Required to hide; the author "
                                   "reads it.")


class ProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    postcode = serializers.CharField()
    buurt = serializers.CharField(allow_null=True, help_text="Buurt code of the postcode.")
    verified = serializers.BooleanField()


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField(help_text="'Hidden by the moderator' for others when "
                                 "hidden.")
    hidden = serializers.BooleanField()
    reason = serializers.CharField(help_text="Why it was hidden: for its author only.")
    author = serializers.CharField(source="author_label")
    official = serializers.BooleanField()
    own = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class PlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    area = serializers.CharField(allow_null=True)
    area_name = serializers.CharField()
    area_set = serializers.CharField(allow_null=True)
    title = serializers.CharField()


class ConsultationSerializer(PlaceSerializer):
    text = serializers.CharField()
    opens = serializers.DateTimeField()
    closes = serializers.DateTimeField()
    phase = serializers.CharField(help_text="draft, upcoming, open or closed.")
    activity = serializers.CharField(allow_null=True, help_text="Code of the activity.")
    comment_count = serializers.IntegerField()


class ConsultationDetailSerializer(ConsultationSerializer):
    comments = CommentSerializer(many=True)


class ProposalSerializer(PlaceSerializer):
    text = serializers.CharField()
    status = serializers.CharField(help_text="open, threshold_reached, under_review, "
                                   "adopted or rejected.")
    hidden = serializers.BooleanField()
    reason = serializers.CharField(help_text="Why it was hidden: for its author only.")
    support_count = serializers.IntegerField()
    support_threshold = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class ProposalDetailSerializer(ProposalSerializer):
    supported = serializers.BooleanField(help_text="Whether you support it.")
    comments = CommentSerializer(many=True)


class ProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    cost_display = serializers.CharField(help_text="Dutch format, e.g. € 12.345,00.")


class RoundSerializer(PlaceSerializer):
    description = serializers.CharField()
    total_budget = serializers.DecimalField(max_digits=14, decimal_places=2)
    total_budget_display = serializers.CharField()
    max_projects = serializers.IntegerField(allow_null=True)
    opens = serializers.DateTimeField()
    closes = serializers.DateTimeField()
    phase = serializers.CharField(help_text="draft, upcoming, open or closed.")
    project_count = serializers.IntegerField()


class RoundDetailSerializer(RoundSerializer):
    projects = ProjectSerializer(many=True)
    may_vote = serializers.BooleanField(help_text="Whether you may vote (the voting rule).")
    voted = serializers.BooleanField()


class BallotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField()
    projects = serializers.ListField(child=serializers.IntegerField())
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    total_display = serializers.CharField()
    created_at = serializers.DateTimeField()


class ResultRowSerializer(ProjectSerializer):
    votes = serializers.IntegerField()
    selected = serializers.BooleanField()
    activity = serializers.CharField(allow_null=True)


class ResultsSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    closed = serializers.BooleanField()
    ballots = serializers.IntegerField()
    budget = serializers.DecimalField(max_digits=14, decimal_places=2)
    allocated = serializers.DecimalField(max_digits=14, decimal_places=2)
    rule = serializers.CharField()
    projects = ResultRowSerializer(many=True)


class OutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField(help_text="consultation, proposal or project.")
    subject_id = serializers.IntegerField()
    subject_title = serializers.CharField()
    status = serializers.CharField(help_text="adopted, partly, not_adopted, in_progress.")
    text = serializers.CharField()
    reason = serializers.CharField()
    activity = serializers.CharField(allow_null=True, help_text="Code of the activity.")
    activity_title = serializers.CharField(allow_null=True)
    published_at = serializers.DateTimeField()


class QueueItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    text = serializers.CharField()
    hidden = serializers.BooleanField()
    flags = serializers.IntegerField()
    reviewed = serializers.BooleanField()
    created_at = serializers.DateTimeField()


# -- row builders -----------------------------------------------------------------------

def consultation_row(c) -> dict:
    return {"id": c.pk, **_place(c), "title": c.title, "text": c.text, "opens": c.opens,
            "closes": c.closes, "phase": consultations.phase(c),
            "activity": c.activity.code if c.activity_id else None,
            "comment_count": getattr(c, "comment_count", 0)}


def proposal_row(p, viewer) -> dict:
    hidden = p.visibility == "hidden"
    readable = not hidden or rules.may_see_hidden(viewer, p)
    hidden_text = selectors.hidden_text()
    return {"id": p.pk, **_place(p), "title": p.title if readable else hidden_text,
            "text": p.text if readable else hidden_text, "status": p.status,
            "hidden": hidden, "reason": p.moderation_reason if hidden and readable else "",
            "support_count": p.support_count, "support_threshold": p.support_threshold,
            "created_at": p.created_at}


def project_row(p) -> dict:
    return {"id": p.pk, "title": p.title, "description": p.description, "cost": p.cost,
            "cost_display": format_eur(p.cost)}


def round_row(r) -> dict:
    return {"id": r.pk, **_place(r), "title": r.title, "description": r.description,
            "total_budget": r.total_budget, "total_budget_display": format_eur(r.total_budget),
            "max_projects": r.max_projects, "opens": r.opens, "closes": r.closes,
            "phase": selectors.round_phase(r), "project_count": getattr(r, "project_count", 0)}


def outcome_row(o) -> dict:
    kind = "consultation" if o.consultation_id else "proposal" if o.proposal_id else "project"
    subject = getattr(o, kind)
    return {"id": o.pk, "subject": kind, "subject_id": subject.pk,
            "subject_title": subject.title, "status": o.status, "text": o.text,
            "reason": o.reason, "activity": o.activity.code if o.activity_id else None,
            "activity_title": o.activity.title if o.activity_id else None,
            "published_at": o.published_at}


def profile_row(profile) -> dict:
    return {"id": profile.user_id, "postcode": profile.postcode,
            "buurt": profile.buurt.code if profile.buurt_id else None,
            "verified": profile.verified}


def ballot_row(ballot, project_ids, total) -> dict:
    return {"id": ballot.pk, "round": ballot.round_id, "projects": project_ids,
            "total": total, "total_display": format_eur(total),
            "created_at": ballot.created_at}


def queue_row(item) -> dict:
    return {"kind": type(item).__name__.lower(), "id": item.pk, "text": item.text,
            "hidden": item.visibility == "hidden", "flags": item.flag_count,
            "reviewed": item.reviewed_at is not None, "created_at": item.created_at}


# Components in the OpenAPI schema are named by class; prefix ours so that they never
# clash with another app's (``Token``, ``Comment``, ``Result`` ...).
for _name, _class in list(globals().items()):
    if (isinstance(_class, type) and issubclass(_class, serializers.Serializer)
            and _class.__module__ == __name__):
        extend_schema_serializer(
            component_name="Participation" + _name.removesuffix("Serializer"))(_class)
