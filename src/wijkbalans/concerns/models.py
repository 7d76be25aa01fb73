"""Early concerns of professionals: area-level observations with no personal data.

A :class:`Concern` says that a professional of an organisation noticed something of a
theme in a buurt in an ISO week, with a severity and an optional free text (screened for
personal data before it is stored, erased after the retention period). It names no
resident. A clicked point is snapped to its buurt and never stored.

:class:`Route` rows are the routing as data (theme × area → partner organisation; the most
specific area wins). At submission every matching partner gets an :class:`Assignment`,
whose follow-up the partner records; each step is kept in :class:`FollowUp`, which is
only ever appended to. See docs/concerns.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkbalans.accounts.models import Role


class Theme(models.TextChoices):
    UNDERMINING = "undermining", _("undermining crime")
    POVERTY_DEBTS = "poverty_debts", _("poverty and debts")
    PSYCHOLOGICAL = "psychological", _("psychological vulnerability")
    LONELINESS = "loneliness", _("loneliness")
    HOUSING = "housing", _("housing quality")
    YOUTH = "youth_at_risk", _("youth at risk")
    OTHER = "other", _("other")


class Sign(models.TextChoices):
    """What kind of undermining, when the theme is undermining crime (optional)."""

    RECRUITMENT = "youth_recruitment", _("recruitment of young people")
    DRUG_DEALING = "drug_dealing", _("drug dealing")
    MONEY_MULES = "money_mules", _("money mules")
    SUSPICIOUS_BUSINESS = "suspicious_business", _("suspicious business")
    OTHER = "other_undermining", _("other sign of undermining")


class Severity(models.IntegerChoices):
    LOW = 1, _("low")
    MEDIUM = 2, _("medium")
    HIGH = 3, _("high")


class Concern(models.Model):
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    sign = models.CharField(_("sign"), max_length=30, choices=Sign.choices, blank=True,
                            help_text=_("Only for undermining crime."))
    buurt = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("neighbourhood"))
    week = models.CharField(_("week"), max_length=8, help_text=_("ISO week, YYYY-Www."))
    week_start = models.DateField(_("first day of the week"), db_index=True)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organisation"))
    reporter_role = models.CharField(_("role of the reporter"), max_length=30,
                                     choices=Role.choices)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("reported by"),
        help_text=_("The professional who recorded it, so that they can see their own."))
    text = models.TextField(_("free text"), blank=True)
    text_erased_at = models.DateTimeField(_("free text erased at"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        indexes = [models.Index(fields=["buurt", "theme", "week_start"],
                                name="concern_area_theme_week"),
                   models.Index(fields=["reporter", "created_at"], name="concern_reporter")]
        constraints = [
            models.CheckConstraint(condition=Q(severity__gte=1, severity__lte=3),
                                   name="concern_severity_1_3"),
            models.CheckConstraint(condition=Q(theme__in=Theme.values),
                                   name="concern_theme_known"),
            models.CheckConstraint(condition=Q(sign="") | Q(theme=Theme.UNDERMINING),
                                   name="concern_sign_only_undermining"),
        ]

    def __str__(self) -> str:
        return f"{self.get_theme_display()}, {self.week} (#{self.pk})"


class Route(models.Model):
    """Concerns of ``theme`` in ``area`` (a buurt, wijk or gemeente) go to
    ``organisation``. For a concern, the routes of its buurt win over those of its wijk,
    which win over those of its gemeente; every route at the winning level applies."""

    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("area"))
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("partner"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme", "area__code", "organisation__name"]
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        constraints = [models.UniqueConstraint(fields=["theme", "area", "organisation"],
                                               name="route_unique")]

    def __str__(self) -> str:
        return f"{self.theme} @ {self.area_id} → {self.organisation_id}"


class Status(models.TextChoices):
    ROUTED = "routed", _("routed")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    ACTED = "acted", _("acted on")
    CLOSED = "closed", _("closed")


class Outcome(models.TextChoices):
    """Why a partner closed its follow-up (no free text: nothing personal can creep in)."""

    SUPPORT = "support_offered", _("support or care offered")
    REFERRED = "referred", _("referred to another organisation")
    ENFORCEMENT = "enforcement", _("enforcement or investigation")
    NEIGHBOURHOOD = "neighbourhood_action", _("action in the neighbourhood")
    KNOWN = "already_known", _("already known and in hand")
    NO_ACTION = "no_action", _("no action needed")
    NOT_OURS = "not_ours", _("not for our organisation")


STATUS_ORDER = {Status.ROUTED: 0, Status.ACKNOWLEDGED: 1, Status.ACTED: 2, Status.CLOSED: 3}


class Assignment(models.Model):
    """One concern routed to one partner organisation, with its current state."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE,
                                related_name="assignments")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("partner"))
    status = models.CharField(_("status"), max_length=15, choices=Status.choices,
                              default=Status.ROUTED)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices,
                               blank=True)
    routed_at = models.DateTimeField(_("routed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-routed_at", "-id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [models.Index(fields=["organisation", "status"], name="assignment_inbox")]
        constraints = [
            models.UniqueConstraint(fields=["concern", "organisation"],
                                    name="assignment_unique"),
            models.CheckConstraint(condition=Q(status__in=Status.values),
                                   name="assignment_status_known"),
            models.CheckConstraint(
                condition=(Q(status=Status.CLOSED) & ~Q(outcome=""))
                | (~Q(status=Status.CLOSED) & Q(outcome="")),
                name="assignment_outcome_when_closed"),
        ]

    def __str__(self) -> str:
        return f"#{self.concern_id} → {self.organisation_id}: {self.status}"


class FollowUp(models.Model):
    """One step of a partner's follow-up, as it happened. Never changed or deleted."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE,
                                   related_name="history")
    status = models.CharField(_("status"), max_length=15, choices=Status.choices)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices,
                               blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("follow-up step")
        verbose_name_plural = _("follow-up steps")

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.status} {self.outcome}".strip()
