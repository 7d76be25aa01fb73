"""Residents taking part: consultations, proposals, neighbourhood budget rounds, and what
became of their input ("you said, we did").

A resident is a user with a :class:`ResidentProfile`: a verified e-mail address and a
declared postcode (PC6), nothing else. :class:`AreaPostcode` maps each PC6 to the buurten
it spans (from the CBS file "buurt, wijk en gemeente voor postcode-huisnummer"); a resident
may support proposals and vote in budget rounds of an area that holds one of the buurten
of their postcode (docs/participation.md, "Who may vote").

Everything a resident writes passes moderation (:class:`Moderated`): it is shown until a
moderator hides it, with a reason the author sees. Writes go through ``services``; reads
through ``selectors``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

EURO = {"max_digits": 14, "decimal_places": 2}
ONE_PLACE = Q(area__isnull=False, area_set__isnull=True) | Q(area__isnull=True,
                                                              area_set__isnull=False)


class AreaPostcode(models.Model):
    """A PC6 postcode lies (partly) in a buurt; ``addresses`` counts its addresses there."""

    postcode = models.CharField(_("postcode"), max_length=6, db_index=True)
    buurtcode = models.CharField(_("buurt code"), max_length=10, db_index=True)
    wijkcode = models.CharField(_("wijk code"), max_length=8, db_index=True)
    gemeentecode = models.CharField(_("municipality code"), max_length=6, db_index=True)
    year = models.PositiveSmallIntegerField(_("classification year"))
    addresses = models.PositiveIntegerField(_("addresses"), default=0)

    class Meta:
        ordering = ["postcode", "buurtcode"]
        constraints = [models.UniqueConstraint(fields=["postcode", "buurtcode"],
                                               name="areapostcode_unique")]
        verbose_name = _("postcode in a buurt")
        verbose_name_plural = _("postcodes in buurten")

    def __str__(self) -> str:
        return f"{self.postcode} → {self.buurtcode}"


class ResidentProfile(models.Model):
    """What wijkbalans knows of a resident besides the log-in: the declared postcode, the
    buurt it lies in (most addresses) and when the e-mail address was verified."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="resident_profile")
    postcode = models.CharField(_("postcode"), max_length=6)
    buurt = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("buurt"))
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")

    def __str__(self) -> str:
        return f"resident {self.user_id}"

    @property
    def verified(self) -> bool:
        return self.email_verified_at is not None


class Moderated(models.Model):
    """What residents write: shown, or hidden by a moderator with a reason. An item is in
    the moderation queue until a moderator reviewed it, and again when flagged after."""

    class Visibility(models.TextChoices):
        VISIBLE = "visible", _("visible")
        HIDDEN = "hidden", _("hidden")

    visibility = models.CharField(_("visibility"), max_length=8, choices=Visibility.choices,
                                  default=Visibility.VISIBLE)
    moderation_reason = models.TextField(_("reason for hiding"), blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    flag_count = models.PositiveIntegerField(_("flags"), default=0)
    flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Consultation(models.Model):
    """A question or plan put to the residents of an area for a period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("area"))
    area_set = models.ForeignKey("areas.AreaSet", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("area set"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("question or plan"))
    opens = models.DateTimeField(_("opens"))
    closes = models.DateTimeField(_("closes"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    activity = models.ForeignKey("programmes.Activity", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="consultations",
                                 verbose_name=_("activity"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens", "-id"]
        constraints = [
            models.CheckConstraint(condition=ONE_PLACE, name="consultation_one_place"),
            models.CheckConstraint(condition=Q(closes__gt=models.F("opens")),
                                   name="consultation_closes_after_opens"),
        ]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return self.title


class Proposal(Moderated):
    """A resident's idea for an area; with enough support the municipality reviews it."""

    class Status(models.TextChoices):
        OPEN = "open", _("collecting support")
        THRESHOLD_REACHED = "threshold_reached", _("enough support")
        UNDER_REVIEW = "under_review", _("under review")
        ADOPTED = "adopted", _("adopted")
        REJECTED = "rejected", _("not adopted")

    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("area"))
    area_set = models.ForeignKey("areas.AreaSet", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("area set"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("proposal"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="participation_proposals")
    support_threshold = models.PositiveIntegerField(_("support needed"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=ONE_PLACE, name="proposal_one_place"),
            models.CheckConstraint(condition=Q(support_threshold__gte=1),
                                   name="proposal_threshold_positive"),
        ]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title


class Support(models.Model):
    """One resident supports one proposal, once."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "resident"],
                                               name="support_once")]

    def __str__(self) -> str:
        return f"support {self.proposal_id} by {self.resident_id}"


class Comment(Moderated):
    """A comment or question on a consultation or a proposal. ``official`` marks an
    answer written by the municipality's programme staff."""

    consultation = models.ForeignKey(Consultation, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="comments")
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="participation_comments")
    text = models.TextField(_("comment"))
    official = models.BooleanField(_("answer of the municipality"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(
            condition=(Q(consultation__isnull=False, proposal__isnull=True)
                       | Q(consultation__isnull=True, proposal__isnull=False)),
            name="comment_one_subject")]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"comment {self.pk}"


class Flag(models.Model):
    """A user reports a comment or proposal to the moderators, once per item."""

    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="flags")
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="flag_comment_once"),
            models.UniqueConstraint(fields=["proposal", "user"], name="flag_proposal_once"),
            models.CheckConstraint(condition=(Q(comment__isnull=False, proposal__isnull=True)
                                              | Q(comment__isnull=True,
                                                  proposal__isnull=False)),
                                   name="flag_one_subject"),
        ]

    def __str__(self) -> str:
        return f"flag {self.pk}"


class BudgetRound(models.Model):
    """Participatory budgeting: residents of an area choose projects within a budget. The
    winners become interventions under ``programme`` with a budget line from ``source``."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CLOSED = "closed", _("closed")

    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("area"))
    area_set = models.ForeignKey("areas.AreaSet", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("area set"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    total_budget = models.DecimalField(_("budget (EUR)"), **EURO)
    max_projects = models.PositiveSmallIntegerField(
        _("most projects on a ballot"), null=True, blank=True,
        help_text=_("Empty: as many as fit within the budget."))
    opens = models.DateTimeField(_("voting opens"))
    closes = models.DateTimeField(_("voting closes"))
    year = models.PositiveSmallIntegerField(_("budget year"))
    programme = models.ForeignKey("programmes.Activity", on_delete=models.PROTECT,
                                  related_name="budget_rounds",
                                  verbose_name=_("programme of the winning projects"))
    source = models.ForeignKey("programmes.FundingSource", on_delete=models.PROTECT,
                               related_name="budget_rounds",
                               verbose_name=_("funding source"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens", "-id"]
        constraints = [
            models.CheckConstraint(condition=ONE_PLACE, name="budgetround_one_place"),
            models.CheckConstraint(condition=Q(total_budget__gt=0),
                                   name="budgetround_budget_positive"),
            models.CheckConstraint(condition=Q(closes__gt=models.F("opens")),
                                   name="budgetround_closes_after_opens"),
        ]
        verbose_name = _("budget round")
        verbose_name_plural = _("budget rounds")

    def __str__(self) -> str:
        return self.title


class BudgetProject(models.Model):
    """A project on the ballot. ``votes`` and ``selected`` are set when the round closes;
    ``activity`` is the intervention a winning project became."""

    round = models.ForeignKey(BudgetRound, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    cost = models.DecimalField(_("cost (EUR)"), **EURO)
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="budget_projects",
                                 verbose_name=_("from proposal"))
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)
    selected = models.BooleanField(_("selected"), default=False)
    activity = models.ForeignKey("programmes.Activity", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="budget_projects")

    class Meta:
        ordering = ["round_id", "id"]
        constraints = [models.CheckConstraint(condition=Q(cost__gt=0),
                                              name="budgetproject_cost_positive")]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.title


class Ballot(models.Model):
    """One resident's choice in one round. The unique constraint, not a lock, keeps it to
    one: a second ballot fails on insert (``services.budgets.ballot_cast``)."""

    round = models.ForeignKey(BudgetRound, on_delete=models.PROTECT, related_name="ballots")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "resident"],
                                               name="ballot_one_per_resident")]

    def __str__(self) -> str:
        return f"ballot {self.pk}"


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    project = models.ForeignKey(BudgetProject, on_delete=models.PROTECT,
                                related_name="choices")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "project"],
                                               name="ballotchoice_unique")]

    def __str__(self) -> str:
        return f"{self.ballot_id} → {self.project_id}"


class Outcome(models.Model):
    """"You said, we did": what became of a consultation, proposal or project; the
    activity it became, or the reason why not. The area is copied from the subject, so a
    timeline per area is one query."""

    class Status(models.TextChoices):
        ADOPTED = "adopted", _("adopted")
        PARTLY = "partly", _("partly adopted")
        NOT_ADOPTED = "not_adopted", _("not adopted")
        IN_PROGRESS = "in_progress", _("in progress")

    consultation = models.ForeignKey(Consultation, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="outcomes")
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="outcomes")
    project = models.ForeignKey(BudgetProject, null=True, blank=True,
                                on_delete=models.CASCADE, related_name="outcomes")
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    area_set = models.ForeignKey("areas.AreaSet", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    text = models.TextField(_("what we did"))
    activity = models.ForeignKey("programmes.Activity", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="outcomes",
                                 verbose_name=_("activity"))
    reason = models.TextField(_("reason why not"), blank=True)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(consultation__isnull=False, proposal__isnull=True,
                             project__isnull=True)
                           | Q(consultation__isnull=True, proposal__isnull=False,
                               project__isnull=True)
                           | Q(consultation__isnull=True, proposal__isnull=True,
                               project__isnull=False)),
                name="outcome_one_subject"),
            models.CheckConstraint(condition=~Q(status="not_adopted") | ~Q(reason=""),
                                   name="outcome_not_adopted_has_reason"),
        ]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.text[:60]}"
