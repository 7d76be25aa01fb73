"""Dutch licence plates, sidecodes 1 to 14 (RDW, *Kentekenreglement*).

A plate has three groups of letters (L) and digits (D), ``99-XXX-9`` and so on.

* With dashes it is refused in any case and with any letters (``12-abc-3``, ``12-ABC-3``):
  people misremember plates, and a dashed group of that shape is hardly anything else.
* With spaces or written together only in capitals and only in the shapes of sidecodes 4
  to 14 with the letters those use (consonants without C, Q and Y): ``VZ 123 D``,
  ``XJ482P``; so the gemeentecode ``GM0014`` (sidecode 1's shape) passes.
* After the word *kenteken* or *nummerbord* any case and any separator counts.
* Sidecode 2 (``DD-DD-LL``) counts with dashes only: without them it is a postcode
  (``9712HN``). A month abbreviation in the middle makes a date (``1-jan-24``).
"""

from __future__ import annotations

import re

from .findings import LICENCE_PLATE, Finding, make
from .text import cue_before

SIDECODES = {
    1: "LL-DD-DD", 2: "DD-DD-LL", 3: "DD-LL-DD", 4: "LL-DD-LL", 5: "LL-LL-DD",
    6: "DD-LL-LL", 7: "DD-LLL-D", 8: "D-LLL-DD", 9: "LL-DDD-L", 10: "L-DDD-LL",
    11: "LLL-DD-L", 12: "L-DD-LLL", 13: "D-LL-DDD", 14: "DDD-LL-D",
}
# Letters used on plates issued since sidecode 4 (1978): consonants without C, Q and Y.
MODERN_LETTERS = frozenset("BDFGHJKLMNPRSTVWXZ")

_CUE = re.compile(r"\b(?:kenteken|kentekenplaat|kentekens|nummerbord|nummerplaat)\b",
                  re.IGNORECASE)
# Month abbreviations: "1-jan-24" is a date.
_MONTHS = frozenset("jan feb mrt maa apr mei jun jul aug sep okt oct nov dec mar may".split())


# Two passes over the text: three groups of letters or digits with the same separator
# between them, and six letters and digits written together. The shape of the groups says
# which sidecode it is, if any (every sidecode has its own six-character shape).
# The separated form is looked for at every word start (a lookahead), so that "met VZ 123"
# failing does not hide "VZ 123 D" behind it.
_SEPARATED = re.compile(
    r"(?=(?<![\w\-])(?P<all>([A-Za-z]{1,3}|\d{1,3})(?P<sep>[\- ])([A-Za-z]{1,3}|\d{1,3})"
    r"(?P=sep)([A-Za-z]{1,3}|\d{1,3}))(?![\w])(?!-\w))")
_TOGETHER = re.compile(r"(?=[A-Za-z0-9])(?<![\w\-])[A-Za-z0-9]{6}(?![\w])(?!-\w)")
_BY_SHAPE = {shape: code for code, shape in SIDECODES.items()}
_BY_FLAT_SHAPE = {shape.replace("-", ""): code for code, shape in SIDECODES.items()}


def _shape(group: str) -> str:
    return "".join("L" if char.isalpha() else "D" for char in group)


def _candidates(text: str):
    """(start, end, sidecode, letters, separator) of every plate-shaped group."""
    for match in _SEPARATED.finditer(text):
        groups = match.group(2, 4, 5)
        code = _BY_SHAPE.get("-".join(_shape(g) for g in groups))
        if code is not None:
            yield match.start(), match.end("all"), code, groups, match.group("sep")
    for match in _TOGETHER.finditer(text):
        code = _BY_FLAT_SHAPE.get(_shape(match.group()))
        if code is not None:
            parts = SIDECODES[code].split("-")
            i, groups = 0, []
            for part in parts:
                groups.append(match.group()[i:i + len(part)])
                i += len(part)
            yield match.start(), match.end(), code, tuple(groups), ""


def find_plates(text: str) -> list[Finding]:
    found = []
    for start, end, code, groups, separator in _candidates(text):
        letters = "".join(g for g in groups if g.isalpha())
        if code == 2 and separator != "-":
            continue  # "9712HN", "9712 HN": a postcode, the far likelier reading
        if any(g.lower() in _MONTHS for g in groups):
            continue
        cue = cue_before(_CUE, text, start, window=30)
        # Without dashes only the modern sidecodes count: "GM0014" is a gemeentecode.
        modern = code >= 4 and set(letters.upper()) <= MODERN_LETTERS
        if separator == "-" or cue or (letters.isupper() and modern):
            found.append(make(text, LICENCE_PLATE, start, end, f"sidecode_{code}"))
    return found
