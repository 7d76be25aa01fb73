"""The area registry: gemeenten, wijken and buurten per classification year, area sets.

``Area`` is the identity of a CBS code; observations point at it, so a series runs over
the years for as long as CBS keeps the code. ``AreaVersion`` holds what belongs to one
classification year (name, parent, geometry). ``AreaLineage`` links codes between years
where CBS changed them. See docs/adr/0002-areas-by-code.md.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import codes


class Area(models.Model):
    class Level(models.TextChoices):
        LAND = codes.LAND, _("country")
        GEMEENTE = codes.GEMEENTE, _("municipality")
        WIJK = codes.WIJK, _("district")
        BUURT = codes.BUURT, _("neighbourhood")

    code = models.CharField(_("CBS code"), max_length=12, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("Name in the latest year"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    gemeentecode = models.CharField(_("municipality code"), max_length=6, blank=True,
                                    db_index=True)
    latest_year = models.PositiveSmallIntegerField(_("latest classification year"), null=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class AreaVersion(models.Model):
    """An area as one classification year draws it."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="versions")
    year = models.PositiveSmallIntegerField(_("classification year"))
    name = models.CharField(_("name"), max_length=200)
    parent_code = models.CharField(_("parent code"), max_length=12, blank=True)
    geometry = models.JSONField(_("geometry (GeoJSON, WGS84)"), null=True, blank=True)
    centroid_lon = models.FloatField(null=True, blank=True)
    centroid_lat = models.FloatField(null=True, blank=True)
    land_area_ha = models.FloatField(
        _("area (ha)"), null=True, blank=True,
        help_text=_("Area of the polygon in RD New; for CBS maps this includes inland water."),
    )
    batch = models.ForeignKey(
        "indicators.ImportBatch", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="areaversion_unique_year")
        ]
        ordering = ["area__code", "-year"]

    def __str__(self) -> str:
        return f"{self.name} ({self.area.code}, {self.year})"


class AreaLineage(models.Model):
    """A code of one year that continues (wholly or partly) in a code of a later year."""

    class Kind(models.TextChoices):
        RECODED = "recoded", _("code changed, same borders")
        SPLIT = "split", _("split")
        MERGED = "merged", _("merged")
        REDRAWN = "redrawn", _("borders changed")

    from_code = models.CharField(max_length=12, db_index=True)
    from_year = models.PositiveSmallIntegerField()
    to_code = models.CharField(max_length=12, db_index=True)
    to_year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    share = models.FloatField(
        _("share"), default=1.0,
        help_text=_("Share of the old area (by land area) that lies in the new one."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_code", "from_year", "to_code", "to_year"], name="lineage_unique"
            )
        ]

    def __str__(self) -> str:
        return (f"{self.from_code} ({self.from_year}) → {self.to_code} ({self.to_year}), "
                f"{self.kind} {self.share:.0%}")


class AreaSet(models.Model):
    """A user-defined set of buurten, such as a programme area (Groningen-Noord)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(Area, related_name="area_sets", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("area set")
        verbose_name_plural = _("area sets")

    def __str__(self) -> str:
        return self.name
