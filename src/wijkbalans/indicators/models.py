"""Indicator definitions, observations and their provenance (import batches)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.Model):
    class Polarity(models.TextChoices):
        HIGHER_BETTER = "higher_better", _("higher is better")
        HIGHER_WORSE = "higher_worse", _("higher is worse")
        NEUTRAL = "neutral", _("neither")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("sum")
        WEIGHTED_MEAN = "weighted_mean", _("mean weighted by a denominator")
        NONE = "none", _("not aggregable")

    code = models.CharField(_("code"), max_length=120, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    theme = models.CharField(_("theme"), max_length=40, blank=True, db_index=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    polarity = models.CharField(_("polarity"), max_length=20, choices=Polarity.choices,
                                default=Polarity.NEUTRAL)
    source = models.CharField(_("source"), max_length=200, blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    aggregation = models.CharField(_("aggregation"), max_length=20,
                                   choices=Aggregation.choices, default=Aggregation.NONE)
    denominator = models.CharField(
        _("denominator indicator"), max_length=120, blank=True,
        help_text=_("Code of the indicator that weighs this one when areas are combined."),
    )
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=0)
    perception = models.BooleanField(
        _("perception"), default=False,
        help_text=_("What residents say (survey), as against registered figures."))

    class Meta:
        ordering = ["theme", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name_nl


class ImportBatch(models.Model):
    """One import of one file: the provenance of every value it loaded."""

    kind = models.CharField(_("importer"), max_length=40)
    file_name = models.CharField(_("file name"), max_length=300)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    areas_created = models.PositiveIntegerField(default=0)
    indicators_created = models.PositiveIntegerField(default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


class ObservationStatus(models.TextChoices):
    VALUE = "value", _("value")
    MISSING = "missing", _("missing")
    SUPPRESSED = "suppressed", _("suppressed by the source")


class Observation(models.Model):
    """The current value of one indicator for one area and period.

    ``period`` is ``YYYY``, ``YYYY-Qn`` or ``YYYY-MM``; strings of one granularity sort in
    time order. Rows are written by the bulk loader in one statement per import, never
    one by one (see :mod:`wijkbalans.indicators.loader`).
    """

    # No database foreign keys on the store's tens of millions of rows (see ADR 0006):
    # the loader resolves every id inside the import's own transaction, and PROTECT keeps
    # the ORM from deleting what observations point at.
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+",
                                  db_constraint=False)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+",
                             db_constraint=False)
    period = models.CharField(_("period"), max_length=10)
    value = models.FloatField(_("value"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ObservationStatus.choices,
                              default=ObservationStatus.VALUE)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+",
                              db_constraint=False)

    class Meta:
        # Two indexes in all: (indicator, period, area) serves uniqueness and the maps and
        # rankings (one indicator, one period); (area, ...) serves the profiles (every
        # indicator of a few areas). Fewer indexes keep national imports fast.
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period", "area"],
                                    name="observation_unique")
        ]
        indexes = [models.Index(fields=["area", "indicator", "period"], name="obs_area")]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.area_id}/{self.period}: {self.value} ({self.status})"


class ObservationRevision(models.Model):
    """A value that a later import replaced, kept with the batch it came from."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+",
                                  db_constraint=False)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+",
                             db_constraint=False)
    period = models.CharField(max_length=10)
    value = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=ObservationStatus.choices)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+",
                              db_constraint=False)
    replaced_by = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+",
                                    db_constraint=False)

    class Meta:
        indexes = [models.Index(fields=["indicator", "area", "period"], name="obsrev_key")]

    def __str__(self) -> str:
        return (f"{self.indicator_id}/{self.area_id}/{self.period}: {self.value} "
                f"(replaced by batch {self.replaced_by_id})")
