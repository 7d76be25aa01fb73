"""CBS area codes: their form, their level and their parents.

A gemeente is ``GM`` + 4 digits, a wijk ``WK`` + 6 (gemeente + 2), a buurt ``BU`` + 8
(wijk + 2); the country is ``NL00``. Since 2022 CBS also lets a municipality use letters in
its own part of the code (Amsterdam: ``WK0363EM``, ``BU0363EM01``). See docs/glossary.md.
"""

from __future__ import annotations

import re

LAND = "land"
GEMEENTE = "gemeente"
WIJK = "wijk"
BUURT = "buurt"
LEVELS = (LAND, GEMEENTE, WIJK, BUURT)

# The form of a code per level, unanchored, for vectorised matching (pandas str.match).
PATTERN_TEXT = {
    LAND: r"NL\d{2}",
    GEMEENTE: r"GM\d{4}",
    WIJK: r"WK\d{4}[0-9A-Z]{2}",
    BUURT: r"BU\d{4}[0-9A-Z]{4}",
}
_PATTERNS = {level: re.compile(f"^{text}$") for level, text in PATTERN_TEXT.items()}
COUNTRY_CODE = "NL00"


def normalise(raw: object) -> str:
    """Strip the padding and case that files add: ``' bu00140000 '`` -> ``'BU00140000'``."""
    return str(raw).strip().upper()


def level_of(code: str) -> str | None:
    """The level of a well-formed code, or None.

    >>> level_of("WK001404"), level_of("BU0363EM01"), level_of("GM14")
    ('wijk', 'buurt', None)
    """
    for level, pattern in _PATTERNS.items():
        if pattern.match(code):
            return level
    return None


def parent_of(code: str) -> str | None:
    """The code of the area one level up, derived from the code itself.

    >>> parent_of("BU00140402"), parent_of("WK001404"), parent_of("GM0014")
    ('WK001404', 'GM0014', 'NL00')
    """
    level = level_of(code)
    if level == BUURT:
        return "WK" + code[2:8]
    if level == WIJK:
        return "GM" + code[2:6]
    if level == GEMEENTE:
        return COUNTRY_CODE
    return None


def gemeente_of(code: str) -> str | None:
    level = level_of(code)
    if level in (BUURT, WIJK, GEMEENTE):
        return "GM" + code[2:6]
    return None
