"""Targets of an area set: for one indicator or one domain (theme), a baseline period, a
target period and what is to be reached there (a value, a share of the gap to a reference,
or the reference itself). The status rule is in :mod:`wijkbalans.analysis.targets`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Target(models.Model):
    class Kind(models.TextChoices):
        VALUE = "value", _("reach a value")
        CLOSURE = "closure", _("close a share of the gap to the reference")
        REFERENCE = "reference", _("reach the reference")

    class ReferenceChoice(models.TextChoices):
        CITY = "city", _("the municipality")
        REST_OF_CITY = "rest_of_city", _("the rest of the municipality")
        COUNTRY = "country", _("the Netherlands")

    area_set = models.ForeignKey("areas.AreaSet", on_delete=models.CASCADE,
                                 related_name="targets", verbose_name=_("area set"))
    indicator = models.CharField(_("indicator code"), max_length=120, blank=True,
                                 help_text=_("Either an indicator or a theme, not both."))
    theme = models.CharField(_("theme (domain)"), max_length=40, blank=True,
                             help_text=_("A domain of the index; the target is on the "
                                         "set's index-100 domain score."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    baseline_period = models.CharField(_("baseline period"), max_length=7)
    target_period = models.CharField(_("target period"), max_length=7)
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    closure_share = models.FloatField(
        _("share of the gap to close"), null=True, blank=True,
        help_text=_("0.5 is half the gap in the baseline period; 1 closes it."))
    reference = models.CharField(_("reference"), max_length=12,
                                 choices=ReferenceChoice.choices,
                                 default=ReferenceChoice.CITY)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area_set__name", "indicator", "theme", "target_period", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=(Q(indicator="") & ~Q(theme="")) | (~Q(indicator="") & Q(theme="")),
                name="target_indicator_xor_theme"),
        ]

    def __str__(self) -> str:
        key = self.indicator or f"theme {self.theme}"
        return f"{self.area_set_id}: {key} {self.baseline_period}-{self.target_period}"
