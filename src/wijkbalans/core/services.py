"""Writes of the core app."""

from __future__ import annotations

from django.db.models import F

from .models import DataVersion


def data_version_bump() -> None:
    """Move the data version on by one (called after a write's transaction commits)."""
    if not DataVersion.objects.filter(pk=1).update(version=F("version") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"version": 1})
