"""An assessment of a plan on the touchstone's criteria, and the decision taken on it.

An :class:`Assessment` is written once and never edited: it holds the plan as it was
(``activity_version`` and ``activity_snapshot``: its fields, areas, results and budget
lines), what the assessor put in (``inputs``: the target group, the argued notes and
ratings) and the scorecard computed from them (``results``: one entry per criterion with
its rating, reason and the figures behind it). A plan that changes is assessed again.

A :class:`Decision` (go, adjust, stop) is recorded on an assessment with who took it and
why; a later decision on the same assessment supersedes an earlier one, which stays.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Assessment(models.Model):
    activity = models.ForeignKey(
        "programmes.Activity", on_delete=models.PROTECT, related_name="assessments",
        verbose_name=_("plan"))
    label = models.CharField(
        _("label"), max_length=200, blank=True,
        help_text=_("A short name for this alternative, e.g. 'variant A: two schools'."))
    activity_version = models.PositiveIntegerField(_("version of the plan"))
    activity_snapshot = models.JSONField(
        _("the plan as assessed"),
        help_text=_("The activity's fields, areas, result indicators and budget lines when "
                    "it was assessed."))
    inputs = models.JSONField(_("inputs"), default=dict, blank=True)
    results = models.JSONField(_("scorecard"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("assessed by"))
    created_at = models.DateTimeField(_("assessed at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["activity", "created_at"],
                                name="assessment_activity_time")]

    def __str__(self) -> str:
        return f"{self.activity_id} v{self.activity_version} ({self.created_at:%Y-%m-%d})" \
            if self.created_at else f"{self.activity_id} v{self.activity_version}"


class Decision(models.Model):
    class Choice(models.TextChoices):
        GO = "go", _("go")
        ADJUST = "adjust", _("adjust")
        STOP = "stop", _("stop")

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT,
                                   related_name="decisions", verbose_name=_("assessment"))
    decision = models.CharField(_("decision"), max_length=10, choices=Choice.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(condition=Q(decision__in=["go", "adjust", "stop"]),
                                   name="decision_choice_known"),
            models.CheckConstraint(condition=~Q(reason=""), name="decision_reason_given"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.assessment_id})"
