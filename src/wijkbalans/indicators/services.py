"""Writes to the indicator store: definitions, and imports of files."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from wijkbalans.accounts.audit import audit_record
from wijkbalans.areas import codes
from wijkbalans.areas.models import Area
from wijkbalans.areas.services import areas_register

from .importers import get_importer
from .importers.base import (
    ImportFailed,
    IndicatorSpec,
    Parsed,
    Problem,
    Progress,
    file_label,
    no_progress,
)
from .loader import merge_observations
from .models import ImportBatch, Indicator, ObservationStatus


@dataclass
class ImportResult:
    kind: str
    file: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    areas_created: int = 0
    areas_updated: int = 0
    indicators_created: int = 0
    batch_id: int | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    rejected_examples: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.areas_created or self.areas_updated
                    or self.indicators_created)

    def summary_line(self) -> str:
        text = (f"{self.file}: created {self.created}, updated {self.updated}, "
                f"unchanged {self.unchanged}, rejected {self.rejected}")
        if self.areas_created or self.areas_updated:
            text += f"; areas created {self.areas_created}, updated {self.areas_updated}"
        if self.indicators_created:
            text += f"; indicators created {self.indicators_created}"
        text += f" ({self.seconds:.1f} s)"
        if self.batch_id is None:
            text += "; nothing changed, no batch recorded"
        return text

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# The forms a stored period takes; importers normalise what their files write to these.
PERIOD_FORM = r"\d{4}(?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?"


class _NothingChanged(Exception):
    """Raised inside the transaction to roll back a batch that changed nothing."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def folder_sha256(folder: Path) -> str:
    """One digest over a folder's files: their relative names and contents, in order."""
    digest = hashlib.sha256()
    for item in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(item.relative_to(folder)).encode("utf-8") + b"\0")
        digest.update(file_sha256(item).encode("ascii"))
    return digest.hexdigest()


def indicators_ensure(*, specs: list[IndicatorSpec], acting_user=None) -> int:
    """Create the definitions that do not exist yet; leave existing ones untouched."""
    existing = set(Indicator.objects.filter(code__in=[s.code for s in specs])
                   .values_list("code", flat=True))
    new = []
    seen = set()
    for spec in specs:
        if spec.code in existing or spec.code in seen:
            continue
        seen.add(spec.code)
        new.append(Indicator(**asdict(spec)))
    Indicator.objects.bulk_create(new)
    for indicator in new:
        audit_record(acting_user=acting_user, action="indicator.create",
                     object_type="indicators.indicator", object_id=indicator.code,
                     object_repr=indicator.name_nl, after=asdict(
                         next(s for s in specs if s.code == indicator.code)))
    return len(new)


def _check_observations(parsed: Parsed, label: str) -> list[Problem]:
    """Checks every importer shares: duplicates, statuses, known area codes."""
    obs = parsed.observations
    problems: list[Problem] = []
    if obs.empty:
        return problems
    dupes = obs[obs.duplicated(["indicator", "area", "period"], keep="first")]
    for row in dupes.head(500).itertuples(index=False):
        problems.append(Problem(file=label, row=row.row, column=row.column,
                                expected="one value per area, indicator and period "
                                f"(a duplicate of an earlier row for {row.area}, {row.period})",
                                found=row.area))
    bad_period = ~obs["period"].astype(str).str.fullmatch(PERIOD_FORM)
    for row in obs[bad_period].drop_duplicates("period").head(50).itertuples(index=False):
        problems.append(Problem(file=label, row=row.row, column=row.column,
                                expected="a period as YYYY, YYYY-Qn or YYYY-MM",
                                found=str(row.period)))
    bad_status = ~obs["status"].isin(ObservationStatus.values)
    for row in obs[bad_status].head(50).itertuples(index=False):
        problems.append(Problem(file=label, row=row.row, column=row.column,
                                expected="a status value/missing/suppressed", found=row.status))
    if parsed.require_known_areas:
        codes_in_file = set(obs["area"].unique().tolist())
        known = set(Area.objects.filter(code__in=codes_in_file).values_list("code", flat=True))
        known |= {a.code for a in parsed.areas}
        unknown = codes_in_file - known
        if unknown:
            first = obs[obs["area"].isin(unknown)].drop_duplicates("area").head(200)
            for row in first.itertuples(index=False):
                level = codes.level_of(row.area)
                hint = ("a known area code (import the areas first, e.g. with "
                        "'wijkbalans import kwb' or 'boundaries')") if level else \
                    "a CBS area code such as GM0014, WK001404 or BU00140402"
                problems.append(Problem(file=label, row=row.row, column=row.column,
                                        expected=hint, found=row.area))
    return problems


def _load(parsed: Parsed, batch: ImportBatch, acting_user) -> ImportResult:
    result = ImportResult(kind=batch.kind, file=batch.file_name)
    result.indicators_created = indicators_ensure(specs=parsed.indicators,
                                                  acting_user=acting_user)
    counts = areas_register(records=parsed.areas, batch=batch)
    result.areas_created, result.areas_updated = counts.created, counts.updated
    obs = parsed.observations
    if not obs.empty:
        indicator_codes = set(obs["indicator"].unique().tolist())
        indicator_ids = dict(Indicator.objects.filter(code__in=indicator_codes)
                             .values_list("code", "pk"))
        missing = indicator_codes - set(indicator_ids)
        if missing:
            raise ImportFailed([Problem(file=batch.file_name,
                                        expected="a known indicator code",
                                        found=", ".join(sorted(missing)))])
        area_ids = dict(Area.objects.filter(code__in=obs["area"].unique().tolist())
                        .values_list("code", "pk"))
        unknown = sorted(set(obs["area"].unique().tolist()) - set(area_ids))
        if unknown:
            raise ImportFailed([Problem(file=batch.file_name, expected="a known area code",
                                        found=", ".join(unknown[:20]))])
        merged = merge_observations(
            indicator_ids=obs["indicator"].map(indicator_ids).to_numpy(dtype=np.int64),
            area_ids=obs["area"].map(area_ids).to_numpy(dtype=np.int64),
            periods=obs["period"].astype(str).to_numpy(),
            values=obs["value"].to_numpy(dtype=np.float64),
            statuses=obs["status"].astype(str).to_numpy(),
            batch_id=batch.pk,
        )
        result.created, result.updated, result.unchanged = (
            merged.created, merged.updated, merged.unchanged)
    result.rejected = len(parsed.rejected)
    return result


def import_file(
    *, kind: str, path: Path | str, options: dict[str, Any] | None = None,
    acting_user=None, progress: Progress = no_progress,
) -> ImportResult:
    """Validate the whole file, then load it in one transaction or not at all.

    Raises :class:`ImportFailed` with every problem found; the database is then exactly
    as it was. An import that would change nothing writes nothing, not even a batch.
    """
    started = time.perf_counter()
    started_at = timezone.now()
    path = Path(path)
    options = dict(options or {})
    label = file_label(path)
    importer = get_importer(kind)
    if path.is_dir() and getattr(importer, "ACCEPTS_DIRECTORY", False):
        digest = folder_sha256(path)
    elif not path.is_file():
        raise ImportFailed([Problem(file=str(path), expected="an existing file")])
    elif path.stat().st_size == 0:
        raise ImportFailed([Problem(file=label, expected="a file with content; it is empty")])
    else:
        digest = file_sha256(path)
    parsed: Parsed = importer.parse(path, options, progress)
    result = load_parsed(parsed=parsed, kind=kind, file_name=label,
                         file_sha256=digest, options=options,
                         acting_user=acting_user, started_at=started_at)
    result.seconds = time.perf_counter() - started
    return result


def load_parsed(
    *, parsed: Parsed, kind: str, file_name: str, file_sha256: str,
    options: dict[str, Any] | None = None, acting_user=None,
    started_at: dt.datetime | None = None,
) -> ImportResult:
    """Check what an importer (or a generator, such as the demo city) produced, then load
    it in one transaction or not at all.

    ``file_name`` and ``file_sha256`` are recorded on the batch as its provenance;
    ``started_at`` defaults to now (:func:`import_file` passes the moment parsing began).
    Raises :class:`ImportFailed` with every problem found; the database is then exactly
    as it was. A load that would change nothing writes nothing, not even a batch.
    """
    started = time.perf_counter()
    started_at = started_at or timezone.now()
    options = dict(options or {})
    label = file_name
    digest = file_sha256
    if not isinstance(parsed.observations, pd.DataFrame):
        raise TypeError("an importer must return its observations as a DataFrame")
    problems = _check_observations(parsed, label)
    if problems:
        raise ImportFailed(problems)
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                kind=kind, file_name=label, file_sha256=digest,
                options={k: str(v) for k, v in options.items() if v is not None},
                user=acting_user if getattr(acting_user, "pk", None) else None,
                started_at=started_at, finished_at=started_at,
            )
            result = _load(parsed, batch, acting_user)
            if not result.changed:
                raise _NothingChanged(result)
            batch.finished_at = timezone.now()
            for name in ("created", "updated", "unchanged", "rejected", "areas_created",
                         "indicators_created"):
                setattr(batch, name, getattr(result, name))
            batch.report = {
                "notes": parsed.notes,
                "areas_updated": result.areas_updated,
                "rejected": [p.as_dict() for p in parsed.rejected[:200]],
            }
            batch.save()
            audit_record(acting_user=acting_user, action="import.load", obj=batch,
                         after={"kind": kind, "file": label, "sha256": digest,
                                "created": result.created, "updated": result.updated,
                                "unchanged": result.unchanged, "rejected": result.rejected,
                                "areas_created": result.areas_created,
                                "areas_updated": result.areas_updated,
                                "indicators_created": result.indicators_created})
            result.batch_id = batch.pk
    except _NothingChanged as nothing:
        result = nothing.args[0]
        result.batch_id = None
    result.notes = parsed.notes
    result.rejected_examples = [p.as_dict() for p in parsed.rejected[:20]]
    result.seconds = time.perf_counter() - started
    return result
