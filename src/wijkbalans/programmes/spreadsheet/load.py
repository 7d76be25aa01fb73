"""Importing a workbook: read and check all of it, then write it in one transaction.

The import is an *upsert by key*: a row whose key is not registered is created, a row
that differs from what is registered is updated, an equal row is left alone (and not
counted as written). Nothing is deleted. Each created or changed row gets its own audit
entry with the row before and after, and the import as a whole one more
(``programmes.spreadsheet.import``, with the file's SHA-256 and the counts); importing
the same workbook again writes nothing at all.

Only an administrator (or the system: a command run without ``--user``) imports: a
workbook spans every owner's activities and every source's money.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from wijkbalans.accounts.audit import audit_record
from wijkbalans.programmes.errors import PermissionRefused
from wijkbalans.programmes.permissions import is_admin

from . import write_money, write_register
from .checks import check
from .problems import WorkbookInvalid
from .read import read_workbook
from .schema import SHEETS


@dataclass
class ImportSummary:
    file: str
    sha256: str = ""
    created: dict[str, int] = field(default_factory=lambda: {s.name: 0 for s in SHEETS})
    updated: dict[str, int] = field(default_factory=lambda: {s.name: 0 for s in SHEETS})
    unchanged: dict[str, int] = field(default_factory=lambda: {s.name: 0 for s in SHEETS})
    seconds: float = 0.0

    def count(self, sheet: str, outcome: str) -> None:
        getattr(self, outcome)[sheet] += 1

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def totals(self) -> tuple[int, int, int]:
        return (sum(self.created.values()), sum(self.updated.values()),
                sum(self.unchanged.values()))

    def summary_line(self) -> str:
        created, updated, unchanged = self.totals()
        text = f"{self.file}: created {created}, updated {updated}, unchanged {unchanged}"
        parts = [f"{s.name} {self.created[s.name]}/{self.updated[s.name]}/"
                 f"{self.unchanged[s.name]}" for s in SHEETS
                 if self.created[s.name] or self.updated[s.name] or self.unchanged[s.name]]
        if parts:
            text += " (created/updated/unchanged: " + ", ".join(parts) + ")"
        text += f" ({self.seconds:.1f} s)"
        if not self.changed:
            text += "; nothing changed"
        return text

    def as_dict(self) -> dict:
        created, updated, unchanged = self.totals()
        return {**asdict(self), "totals": {"created": created, "updated": updated,
                                           "unchanged": unchanged}}


def workbook_import(*, acting_user=None, path: Path | str) -> ImportSummary:
    """Import the workbook at ``path``: all of it, or (raising :class:`WorkbookInvalid`
    with every problem found) nothing."""
    if acting_user is not None and not is_admin(acting_user):
        raise PermissionRefused(_("Only an administrator imports a programme workbook."))
    started = time.perf_counter()
    path = Path(path)
    parsed = read_workbook(path, label=path.name)
    if parsed.problems and not parsed.rows:
        raise WorkbookInvalid(parsed.problems)
    lookups = check(parsed)
    if parsed.problems:
        raise WorkbookInvalid(parsed.problems)
    summary = ImportSummary(file=path.name,
                            sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    with transaction.atomic():
        register = write_register.RegisterWriter(acting_user=acting_user, lookups=lookups,
                                                 summary=summary)
        register.organisations(parsed.rows["organisations"])
        register.activities(parsed.rows["activities"])
        register.partners(parsed.rows["partners"])
        register.results(parsed.rows["result_indicators"])
        register.periods(parsed.rows["result_periods"], parsed.rows["result_updates"])
        money = write_money.MoneyWriter(acting_user=acting_user, summary=summary)
        money.sources(parsed.rows["funding_sources"])
        money.allocations(parsed.rows["allocations"])
        money.budget_lines(parsed.rows["budget_lines"])
        if summary.changed:
            created, updated, unchanged = summary.totals()
            audit_record(acting_user=acting_user, action="programmes.spreadsheet.import",
                         object_type="programmes.workbook", object_id=summary.sha256[:16],
                         object_repr=summary.file,
                         after={"file": summary.file, "sha256": summary.sha256,
                                "created": created, "updated": updated,
                                "unchanged": unchanged})
    summary.seconds = time.perf_counter() - started
    return summary
