"""Small read-only summaries across apps, for the start page."""

from __future__ import annotations

from wijkbalans.areas.models import Area, AreaSet
from wijkbalans.indicators.models import ImportBatch, Indicator, Observation


def store_summary() -> dict[str, int]:
    return {
        "areas": Area.objects.count(),
        "area_sets": AreaSet.objects.count(),
        "indicators": Indicator.objects.count(),
        "observations": Observation.objects.count(),
        "batches": ImportBatch.objects.count(),
    }
