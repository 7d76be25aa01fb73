"""The data version: a counter that every committed write moves on."""

from django.db import models


class DataVersion(models.Model):
    """One row. Computed views (the monitor's cache) key on it, so a cached result never
    outlives the data it was computed from. It is moved on *after* each commit that wrote
    an audit entry (every write does), which closes the window in which a reader could
    cache data computed before a slow transaction committed."""

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"data version {self.version}"
