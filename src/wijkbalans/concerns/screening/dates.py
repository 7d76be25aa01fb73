"""Dates of birth.

Two rules:

1. *With a birth cue* (``geboren``, ``geb.``, ``geboortedatum``, ``geb.datum``, ``DOB``,
   ``jarig op``, ...) a date is refused when it names at least a day and a month
   (``geb. 3 maart``, ``geboren op 03-03-2008``) or a month and a year
   (``geboren in maart 2008``). A year alone (``geboren in 2008``) is an age and passes.
2. *Without a cue* a full date (day, month and year) is refused when its year lies between
   1900 and ten years before the reference year (this year unless given): in a note about a
   neighbourhood such a date is almost always someone's birth date. Recent dates are event
   dates and pass (``op 12-03-2026 was er een vechtpartij``), and so does an old date
   right after an event word (``sinds``, ``vanaf``, ``opgeleverd op``, ``gebouwd in``).

Dates are read as ``d-m-yyyy``, ``dd/mm/yy``, ``dd.mm.yyyy``, ``yyyy-mm-dd``,
``3 maart 2008``, ``3 mrt. '08``, ``3e maart``, and English month names. A two-digit year
is read in this century when that is not in the future, else in the previous one.
"""

from __future__ import annotations

import datetime as dt
import re

from .findings import BIRTH_DATE, Finding, make

MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "febr": 2,
    "february": 2, "maart": 3, "mrt": 3, "mar": 3, "march": 3, "april": 4, "apr": 4,
    "mei": 5, "may": 5, "juni": 6, "jun": 6, "june": 6, "juli": 7, "jul": 7, "july": 7,
    "augustus": 8, "aug": 8, "august": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(?P<year>(?:19|20)\d{2}|'\d{2}|’\d{2})"
_NUMERIC = re.compile(
    r"(?<![\w.,/\-])(?P<day>\d{1,2})\s?(?P<sep>[\-/.])\s?(?P<month>\d{1,2})\s?(?P=sep)\s?"
    r"(?P<year>\d{4}|'?\d{2})(?![\w]|[.,/\-]\d)")
# Day and month in figures, read only after a birth cue ("geboortedatum 12-3").
_NUMERIC_SHORT = re.compile(r"(?<![\w.,/\-])(?P<day>\d{1,2})\s?[\-/.]\s?(?P<month>\d{1,2})"
                            r"(?![\w]|\s?[.,/\-]\s?\d)")
_ISO = re.compile(r"(?<![\w.\-])(?P<year>(?:19|20)\d{2})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
                  r"(?![\w]|[\-]\d)")
_TEXTUAL = re.compile(
    rf"(?<![\w.,])(?P<day>\d{{1,2}})(?:e|ste|de)?\s*(?P<month>{_MONTH})\b\.?"
    rf"(?:,?\s*{_YEAR}(?![\w]))?", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b(?P<month>{_MONTH})\b\.?\s*{_YEAR}(?![\w])", re.IGNORECASE)
_CUE = re.compile(
    r"(?:\bgeboren|\bgeb\b\.?|\bgeboortedatum|\bgeb\.?\s?datum|\bgebdatum|\bgeb\.?\s?dat\b\.?|"
    r"\bgeboortedag|\bd\.?o\.?b\b\.?|\bdate of birth|\bborn|\bjarig|\bverjaardag)"
    r"[\s:,]*(?:(?:is|op|in|de|den|van|:|\(|rond|ergens|zou|zijn)\b[\s:,]*){0,3}$",
    re.IGNORECASE)
# Words before a date that make it the date of an event, not of a birth.
_EVENT = re.compile(
    r"\b(?:sinds|vanaf|per|tot|tussen|gebouwd|opgeleverd|opgericht|geopend|gesloten|"
    r"gesloopt|verhuisd|ingegaan|gestart|begonnen)\b[\s:,]*(?:(?:op|in|de|den|:)\b\s*){0,2}$",
    re.IGNORECASE)


def _year(raw: str, reference_year: int) -> int:
    raw = raw.lstrip("'’")
    if len(raw) == 4:
        return int(raw)
    century = 2000 if 2000 + int(raw) <= reference_year else 1900
    return century + int(raw)


def _valid(year: int | None, month: int, day: int | None) -> bool:
    try:
        dt.date(year or 2000, month, day or 1)
    except ValueError:
        return False
    return True


def find_birth_dates(text: str, *, reference_year: int | None = None) -> list[Finding]:
    reference_year = reference_year or dt.date.today().year
    found: list[Finding] = []
    seen: list[tuple[int, int]] = []
    candidates = []
    for pattern in (_ISO, _NUMERIC, _TEXTUAL, _MONTH_YEAR, _NUMERIC_SHORT):
        for match in pattern.finditer(text):
            if any(s <= match.start() < e for s, e in seen):
                continue
            groups = match.groupdict()
            month_raw = groups["month"]
            month = int(month_raw) if month_raw.isdigit() else MONTHS[month_raw.lower()]
            day = int(groups["day"]) if groups.get("day") else None
            year = _year(groups["year"], reference_year) if groups.get("year") else None
            if not _valid(year, month, day):
                continue
            seen.append((match.start(), match.end()))
            candidates.append((match, day, year))
    for match, day, year in candidates:
        cue = _CUE.search(text[max(0, match.start() - 40):match.start()]) is not None
        if cue and (day is not None or year is not None):
            found.append(make(text, BIRTH_DATE, match.start(), match.end(), "birth_cue"))
        elif (day is not None and year is not None and 1900 <= year <= reference_year - 10
              and not _EVENT.search(text[max(0, match.start() - 30):match.start()])):
            found.append(make(text, BIRTH_DATE, match.start(), match.end(), "old_full_date"))
    return found
