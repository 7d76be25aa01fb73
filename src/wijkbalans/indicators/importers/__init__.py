"""The importers, by kind. Each is a module with ``KIND``, ``HELP``, ``add_arguments`` and
``parse``; see :mod:`.base`. Modules are imported on first use, so a command that needs
one importer does not pay for the others."""

from __future__ import annotations

import importlib
from types import ModuleType

KINDS: dict[str, str] = {
    "kwb": "wijkbalans.indicators.importers.kwb",
    "boundaries": "wijkbalans.indicators.importers.boundaries",
    "leefbaarometer": "wijkbalans.indicators.importers.leefbaarometer",
    "rivm": "wijkbalans.indicators.importers.rivm",
    "events": "wijkbalans.indicators.importers.events",
    "table": "wijkbalans.indicators.importers.table",
    "survey": "wijkbalans.indicators.importers.survey",
}


def get_importer(kind: str) -> ModuleType:
    try:
        return importlib.import_module(KINDS[kind])
    except KeyError:
        raise ValueError(
            f"unknown import kind {kind!r}; expected one of {', '.join(sorted(KINDS))}"
        ) from None
