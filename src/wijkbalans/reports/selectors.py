"""Reads of the reports app, each in a fixed number of queries. Lists never load a
version's frozen figures or its PDF."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ReportNarrative, ReportVersion, Section

_HEAVY = ("figures", "narrative", "pdf")


def version_list(*, area_set=None) -> QuerySet[ReportVersion]:
    """Versions, newest first, with the area set and requester joined (one query)."""
    qs = ReportVersion.objects.select_related("area_set", "created_by").defer(*_HEAVY)
    if area_set is not None:
        qs = qs.filter(area_set=area_set)
    return qs.order_by("-created_at", "-id")


def version_get(*, pk: int, full: bool = False) -> ReportVersion | None:
    """One version; ``full`` loads its frozen figures, texts and PDF too."""
    qs = ReportVersion.objects.select_related("area_set", "created_by")
    if not full:
        qs = qs.defer(*_HEAVY)
    return qs.filter(pk=pk).first()


def version_next_queued_id() -> int | None:
    """The oldest queued version, the one a worker takes first."""
    return (ReportVersion.objects.filter(status=ReportVersion.Status.QUEUED)
            .order_by("created_at", "id").values_list("id", flat=True).first())


def narrative_rows(*, area_set, lang: str) -> dict[str, ReportNarrative | None]:
    """Each section's text row in ``lang`` (None where there is no text yet), in the
    sections' order (one query)."""
    rows = {r.section: r for r in ReportNarrative.objects.select_related("updated_by")
            .filter(area_set=area_set, lang=lang)}
    return {key: rows.get(key) for key in Section.values}


def narrative_get(*, area_set, section: str, lang: str) -> ReportNarrative | None:
    return (ReportNarrative.objects.select_related("updated_by")
            .filter(area_set=area_set, section=section, lang=lang).first())


def narrative_texts(*, area_set, lang: str) -> dict[str, str]:
    """Section to text, for the sections that have one (one query)."""
    return {section: text for section, text in ReportNarrative.objects.filter(
        area_set=area_set, lang=lang).exclude(text="").values_list("section", "text")}
