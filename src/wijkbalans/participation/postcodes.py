"""The area's postcodes: which buurten each PC6 postcode spans.

Source: the CBS file "Buurt, wijk en gemeente voor postcode-huisnummer" (one row per
address, published each year), ``;``-separated with the header
``PC6;Huisnummer;Buurt<year>;Wijk<year>;Gemeente<year>``. CBS writes the codes as numbers
without their prefix and leading zeros (buurt ``3630000`` is ``BU03630000``); codes with
the prefix, or with the letters CBS allows since 2022, are read too.

:func:`postcodes_load` reads and checks the whole file first and raises
:class:`~wijkbalans.indicators.importers.base.ImportFailed` naming row and column of every
problem; only a clean file is written, in one transaction that replaces the rows of the
municipalities in the file (or of those asked for with ``gemeenten``). It counts the
addresses per postcode and buurt: a PC6 may span several buurten, and a resident's buurt
is the one with most of the postcode's addresses.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import OuterRef, Subquery

from wijkbalans.accounts.audit import audit_record
from wijkbalans.areas import codes
from wijkbalans.areas.models import Area
from wijkbalans.indicators.importers.base import ImportFailed, Problem

from .models import AreaPostcode, ResidentProfile

POSTCODE = re.compile(r"^[1-9]\d{3}[A-Z]{2}$")
HEADER = re.compile(r"^(PC6|Huisnummer|Buurt(\d{4})|Wijk(\d{4})|Gemeente(\d{4}))$",
                    re.IGNORECASE)
MAX_PROBLEMS = 1000
BATCH = 5000


@dataclass(frozen=True)
class LoadResult:
    year: int
    gemeenten: list[str]
    rows: int
    postcodes: int
    pairs: int
    skipped: int
    replaced: int
    unknown_buurten: int


def normalise_postcode(raw: str) -> str:
    """``' 9712 cp '`` -> ``'9712CP'`` (the form the table holds)."""
    return re.sub(r"\s+", "", str(raw)).upper()


def is_postcode(value: str) -> bool:
    return bool(POSTCODE.match(value))


def _code(raw: str, prefix: str, width: int) -> str | None:
    text = raw.strip().upper()
    if text.startswith(prefix):
        text = text[len(prefix):]
    if text.isdigit():
        text = text.zfill(width)
    code = prefix + text
    level = {"BU": codes.BUURT, "WK": codes.WIJK, "GM": codes.GEMEENTE}[prefix]
    return code if codes.level_of(code) == level else None


def _header(fields: list[str], name: str) -> tuple[int | None, list[Problem]]:
    expected = "the header PC6;Huisnummer;Buurt<year>;Wijk<year>;Gemeente<year>"
    matches = [HEADER.match(f.strip().lstrip("\ufeff")) for f in fields]
    years = {int(y) for m in matches if m for y in m.groups()[1:] if y}
    order = ["pc6", "huisnummer", "buurt", "wijk", "gemeente"]
    found = [re.sub(r"\d{4}$", "", f.strip().lstrip("\ufeff")).lower() for f in fields]
    if found != order or not all(matches) or len(years) != 1:
        return None, [Problem(file=name, row=1, expected=expected, found=";".join(fields))]
    return years.pop(), []


def _parse(path: Path, gemeenten: set[str]) -> tuple[int, Counter, set[str], int, int]:
    """Year, address counts per (postcode, buurt, wijk, gemeente), the municipalities
    seen, rows read and rows skipped (other municipalities)."""
    name = path.name
    problems: list[Problem] = []
    counts: Counter = Counter()
    seen: set[str] = set()
    rows = skipped = 0

    def problem(row: int, column: str, expected: str, found: str) -> None:
        problems.append(Problem(file=name, row=row, column=column or None,
                                expected=expected, found=found))

    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        first = next(reader, None)
        if first is None:
            raise ImportFailed([Problem(file=name, expected="a header and rows",
                                        found="an empty file")])
        year, header_problems = _header(first, name)
        if header_problems:
            raise ImportFailed(header_problems)
        for number, fields in enumerate(reader, start=2):
            if not any(f.strip() for f in fields):
                continue
            rows += 1
            if len(fields) != 5:
                problem(number, "", "5 fields separated by ';'", ";".join(fields))
                continue
            pc6_raw, number_raw, buurt_raw, wijk_raw, gemeente_raw = fields
            gemeente = _code(gemeente_raw, "GM", 4)
            if gemeente is None:
                problem(number, f"Gemeente{year}", "a gemeentecode (e.g. 14 or GM0014)",
                        gemeente_raw)
                continue
            if gemeenten and gemeente not in gemeenten:
                skipped += 1
                continue
            postcode = normalise_postcode(pc6_raw)
            if not is_postcode(postcode):
                problem(number, "PC6", "a postcode of four digits and two letters "
                        "(e.g. 9712CP)", pc6_raw)
            if not number_raw.strip().isdigit() or int(number_raw) < 1:
                problem(number, "Huisnummer", "a house number (a whole number from 1)",
                        number_raw)
            buurt = _code(buurt_raw, "BU", 8)
            wijk = _code(wijk_raw, "WK", 6)
            if buurt is None:
                problem(number, f"Buurt{year}", "a buurtcode (e.g. 140101 or BU00140101)",
                        buurt_raw)
            if wijk is None:
                problem(number, f"Wijk{year}", "a wijkcode (e.g. 1401 or WK001401)",
                        wijk_raw)
            if buurt and wijk and (buurt[2:8] != wijk[2:] or wijk[2:6] != gemeente[2:]):
                problem(number, f"Buurt{year}", f"a buurt of wijk {wijk} in {gemeente}",
                        buurt_raw)
            if buurt and wijk and is_postcode(postcode):
                counts[(postcode, buurt, wijk, gemeente)] += 1
                seen.add(gemeente)
            if len(problems) >= MAX_PROBLEMS:
                problems.append(Problem(file=name, row=number, expected=f"at most "
                                        f"{MAX_PROBLEMS} problems", found="more; reading "
                                        "stopped here"))
                break
    if problems:
        raise ImportFailed(problems)
    return year, counts, seen, rows, skipped


@transaction.atomic
def _write(counts: Counter, year: int, gemeenten: set[str]) -> int:
    replaced, _ = AreaPostcode.objects.filter(gemeentecode__in=gemeenten).delete()
    objects = [AreaPostcode(postcode=p, buurtcode=b, wijkcode=w, gemeentecode=g, year=year,
                            addresses=n) for (p, b, w, g), n in sorted(counts.items())]
    AreaPostcode.objects.bulk_create(objects, batch_size=BATCH)
    # Each resident's buurt follows the new table (the buurt with most addresses).
    primary = (AreaPostcode.objects.filter(postcode=OuterRef(OuterRef("postcode")))
               .order_by("-addresses", "buurtcode").values("buurtcode")[:1])
    ResidentProfile.objects.update(
        buurt=Subquery(Area.objects.filter(code=Subquery(primary)).values("pk")[:1]))
    return replaced


def postcodes_load(path: str | Path, *, gemeenten: Iterable[str] = (),
                   acting_user=None) -> LoadResult:
    """Load the CBS postcode-huisnummer file at ``path``; with ``gemeenten`` (codes like
    ``GM0014``) only the rows of those municipalities. Nothing is written when the file
    has a problem; every problem names its row and column."""
    path = Path(path)
    wanted = set()
    for raw in gemeenten:
        code = _code(raw, "GM", 4)
        if code is None:
            raise ImportFailed([Problem(file=path.name, column="gemeente",
                                        expected="a gemeentecode such as GM0014",
                                        found=str(raw))])
        wanted.add(code)
    if not path.is_file():
        raise ImportFailed([Problem(file=str(path), expected="a file", found="nothing")])
    year, counts, seen, rows, skipped = _parse(path, wanted)
    if not counts:
        raise ImportFailed([Problem(file=path.name, expected="rows of "
                                    + (", ".join(sorted(wanted)) or "a municipality"),
                                    found="none")])
    buurten = {key[1] for key in counts}
    known = set(Area.objects.filter(code__in=buurten).values_list("code", flat=True))
    loaded = wanted or seen
    with transaction.atomic():
        replaced = _write(counts, year, loaded)
        result = LoadResult(year=year, gemeenten=sorted(loaded), rows=rows,
                            postcodes=len({key[0] for key in counts}), pairs=len(counts),
                            skipped=skipped, replaced=replaced,
                            unknown_buurten=len(buurten - known))
        audit_record(acting_user=acting_user, action="participation.postcodes.load",
                     object_type="participation.areapostcode",
                     object_repr=f"postcodes {year}: {', '.join(result.gemeenten)}"[:300],
                     after={"file": path.name, "sha256": _sha256(path),
                            **result.__dict__})
    return result


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- reads ------------------------------------------------------------------------------

def postcode_buurten(postcode: str) -> list[str]:
    """The buurtcodes a postcode spans, the one with most addresses first."""
    return list(AreaPostcode.objects.filter(postcode=normalise_postcode(postcode))
                .order_by("-addresses", "buurtcode").values_list("buurtcode", flat=True))


def postcodes_of_area(*, code: str) -> list[str]:
    """The postcodes (partly) in a buurt, wijk or gemeente."""
    field = {codes.BUURT: "buurtcode", codes.WIJK: "wijkcode",
             codes.GEMEENTE: "gemeentecode"}.get(codes.level_of(code) or "")
    if field is None:
        return []
    return sorted(set(AreaPostcode.objects.filter(**{field: code})
                      .values_list("postcode", flat=True)))
