"""Small read-only summaries across apps, for the start page."""

from __future__ import annotations

from wijkbalans.areas.models import Area, AreaSet
from wijkbalans.core.models import DataVersion
from wijkbalans.indicators.models import ImportBatch, Indicator, Observation


def store_summary() -> dict[str, int]:
    return {
        "areas": Area.objects.count(),
        "area_sets": AreaSet.objects.count(),
        "indicators": Indicator.objects.count(),
        "observations": Observation.objects.count(),
        "batches": ImportBatch.objects.count(),
    }


def recent_batches(limit: int = 50):
    """The latest import batches (provenance), newest first."""
    return list(ImportBatch.objects.order_by("-started_at")
                .values("kind", "file_name", "file_sha256", "started_at", "created", "updated",
                        "unchanged", "rejected")[:limit])


def data_version() -> int:
    """The current data version (0 before the first write)."""
    return DataVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0
