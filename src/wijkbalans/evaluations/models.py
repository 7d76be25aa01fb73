"""One evaluation: its definition, its state in the queue, and its reproducible result.

The definition (treated areas, outcome, start, method, donor rules, settings) is written
once by :func:`~.services.evaluation_create`. A run fills ``panel`` (the exact data used),
``panel_sha256``, ``result`` (the estimator's output, the donor pool and the verdict, with
the resolved run specification under ``result["spec"]``) and ``software``; from ``panel``
and ``result["spec"]`` alone the result can be computed again (``compute.py``).
"""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Evaluation(models.Model):
    class Method(models.TextChoices):
        SDID = "sdid", _("synthetic difference-in-differences")
        SC = "sc", _("synthetic control")
        DID = "did", _("difference-in-differences")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class DonorLevel(models.TextChoices):
        BUURT = "buurt", _("neighbourhood")

    title = models.CharField(_("title"), max_length=200)
    activity_ref = models.CharField(
        _("activity"), max_length=200, blank=True,
        help_text=_("Reference to the activity in the programme register, when there is one."))
    area_set = models.ForeignKey(
        "areas.AreaSet", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="evaluations", verbose_name=_("area set"))
    treated_codes = models.JSONField(
        _("treated areas"), default=list,
        help_text=_("Codes of the treated buurten, fixed when the evaluation is defined."))
    outcome = models.CharField(_("outcome indicator"), max_length=120)
    start_period = models.CharField(_("start period"), max_length=7)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices,
                              default=Method.SDID)
    donor_level = models.CharField(_("level of the comparison areas"), max_length=10,
                                   choices=DonorLevel.choices, default=DonorLevel.BUURT)
    donor_exclude = models.JSONField(_("areas left out of the comparison"), default=list,
                                     blank=True)
    donor_exclude_own_municipality = models.BooleanField(
        _("leave out the treated areas' municipality"), default=False)
    donor_exclude_area_sets = models.JSONField(
        _("area sets left out of the comparison"), default=list, blank=True,
        help_text=_("Slugs of area sets treated by the same or a similar programme."))
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    panel = models.JSONField(_("panel used"), null=True, blank=True)
    panel_sha256 = models.CharField(_("SHA-256 of the panel"), max_length=64, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    software = models.JSONField(_("software versions"), null=True, blank=True)
    # Copies of two result figures, so that lists need not load the (large) result.
    estimate = models.FloatField(_("estimate"), null=True, blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=30, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        indexes = [models.Index(fields=["status", "created_at"], name="evaluation_queue")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["queued", "running", "done",
                                                           "failed"]),
                                   name="evaluation_status_known"),
            models.CheckConstraint(condition=Q(method__in=["sdid", "sc", "did"]),
                                   name="evaluation_method_known"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
