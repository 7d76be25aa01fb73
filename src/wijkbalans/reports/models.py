"""The bureau's text per section, and the generated versions of the report.

A :class:`ReportVersion` is written once when it is requested (queued), then filled by a
worker (:mod:`.worker`): ``figures`` (every number, label and sentence the templates need,
as JSON), ``narrative`` (the bureau's texts as used), ``software`` (versions), the PDF
and its SHA-256. From ``figures``, ``narrative`` and ``settings`` alone the HTML and the
PDF are rendered again byte for byte (:func:`~.services.report_regenerate_check`).

The PDF is stored in the database (a few hundred kilobytes), not as a file under the var
folder: it then commits with its row on SQLite and PostgreSQL alike, is in every backup
of the database, and cannot be orphaned or go missing apart from its version.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

LANGUAGES = (("nl", _("Dutch")), ("en", _("English")))


class Section(models.TextChoices):
    """The sections of the report, in their order."""

    SUMMARY = "summary", _("Summary")
    HEADLINE = "headline", _("Targets and headline indicators")
    STACKING = "stacking", _("Stacking of problems")
    PROGRAMMES = "programmes", _("Programmes: activities, results and money")
    TOUCHSTONE = "touchstone", _("Plans tested against the touchstone")
    EVALUATIONS = "evaluations", _("Effect evaluations")
    CONCERNS = "concerns", _("Early concerns")
    PARTICIPATION = "participation", _("Resident participation")
    APPENDIX = "appendix", _("Appendix: sources and method")


class ReportNarrative(models.Model):
    """The bureau's text for one section of an area set's report, in one language."""

    area_set = models.ForeignKey("areas.AreaSet", on_delete=models.CASCADE,
                                 related_name="report_narratives", verbose_name=_("area set"))
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    lang = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    text = models.TextField(_("text"), blank=True)
    updated_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("last edited by"))
    updated_at = models.DateTimeField(_("last edited at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["area_set__name", "section", "lang"]
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")
        constraints = [
            models.UniqueConstraint(fields=["area_set", "section", "lang"],
                                    name="reportnarrative_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.area_set_id} {self.section} ({self.lang})"


class ReportVersion(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    area_set = models.ForeignKey("areas.AreaSet", null=True, on_delete=models.SET_NULL,
                                 related_name="report_versions", verbose_name=_("area set"))
    area_set_name = models.CharField(_("area set name"), max_length=200)
    period = models.CharField(_("period"), max_length=7)
    lang = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="nl")
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    figures = models.JSONField(_("frozen figures"), null=True, blank=True)
    narrative = models.JSONField(_("texts as used"), null=True, blank=True)
    software = models.JSONField(_("software versions"), null=True, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    html_sha256 = models.CharField(_("SHA-256 of the HTML"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=20, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(django_settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        indexes = [models.Index(fields=["status", "created_at"], name="reportversion_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="reportversion_status_known"),
            models.CheckConstraint(condition=Q(progress__lte=100),
                                   name="reportversion_progress_at_most_100"),
            models.CheckConstraint(condition=Q(lang__in=["nl", "en"]),
                                   name="reportversion_lang_known"),
        ]

    def __str__(self) -> str:
        return f"{self.area_set_name} {self.period} ({self.lang}) #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
