"""Citizen service numbers (BSN) and telephone numbers.

BSN: nine digits passing the *elfproef* (Dutch: eleven test) of the Wet algemene
bepalingen burgerservicenummer, art. 1 and the Logius specification: with weights
9, 8, 7, 6, 5, 4, 3, 2, -1 the weighted sum of the digits is a multiple of 11. Written
bare (``123456782``) or grouped (``123.456.782``, ``1234.56.782``, ``123 456 782``). After a
cue ("BSN", "burgerservicenummer", "sofinummer") eight or nine digits are refused even when
they fail the test: a mistyped BSN is still someone's BSN.

Telephone numbers: Dutch numbers have ten digits starting with 0 (``06`` mobile, ``0xx``
and ``0xxx`` area codes), or ``+31``/``0031`` followed by nine; written with spaces,
dashes, dots, slashes or parentheses. Foreign numbers (``+32 ...``, ``0048 ...``) count
when they have 8 to 15 digits. Service numbers of organisations (0800, 0900, 0906, 0909)
and the municipal ``14 0xx`` numbers are not personal data and pass.
"""

from __future__ import annotations

import re

from .findings import BSN, PHONE, Finding, make
from .text import cue_before

_SEP = r"[ .\-]"
_BSN_SHAPES = (rf"\d{{9}}|\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{3}}|\d{{4}}{_SEP}\d{{2}}{_SEP}\d{{3}}"
               rf"|\d{{2}}{_SEP}\d{{3}}{_SEP}\d{{3}}|\d{{8}}")
_BSN = re.compile(rf"(?=\d)(?<![\d.,\-/+€])(?<!\d )(?:{_BSN_SHAPES})(?![\w])(?![.,\- ]\d)")
_BSN_CUE = re.compile(
    r"(?<![a-z])(?:bsn|b\.s\.n\.?|burger\s?service\s?nummer|burgerservicenr|"
    r"sofi[\s\-]?(?:nummer|nr)?)(?![a-z])", re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"(?:€|eur|euro|eu|\$|£)\s*$", re.IGNORECASE)
_MONEY_AFTER = re.compile(r"\s*(?:€|eur|euro|,-|,\d)", re.IGNORECASE)


def elfproef(number: str) -> bool:
    """The eleven test for a BSN (8 or 9 digits; 8 digits get a leading zero).

    >>> elfproef("123456782"), elfproef("123456789")
    (True, False)
    """
    digits = re.sub(r"\D", "", number)
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or int(digits) == 0:
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(w * int(d) for w, d in zip(weights, digits, strict=True)) % 11 == 0


def find_bsn(text: str) -> list[Finding]:
    found = []
    for match in _BSN.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        before = text[max(0, match.start() - 40):match.start()]
        if cue_before(_BSN_CUE, text, match.start()):
            found.append(make(text, BSN, match.start(), match.end(), "bsn_cue"))
        elif (len(digits) == 9 and elfproef(digits) and not before[-1:].isalpha()
              and not _MONEY_BEFORE.search(before)
              and not _MONEY_AFTER.match(text, match.end())):
            found.append(make(text, BSN, match.start(), match.end(), "bsn_elfproef"))
    return found


# A run of digits and the separators people put between them; validated below.
_PHONE_RUN = re.compile(r"(?=[\d+(])(?<![\w+])(?:\+|\b00)?\(?\d[\d \t.\-/()]{5,24}\d(?:\)?)")
_PHONE_CUE = re.compile(
    r"(?<![a-z])(?:tel|telefoon|telefoonnummer|telnr|mobiel|mob|gsm|bel|belt|bellen|"
    r"gebeld|app|appen|whatsapp|whats\s?app|sms|nummer|bereikbaar)(?![a-z])",
    re.IGNORECASE)
_DATE_START = re.compile(r"(\d{1,2})[\-/.](\d{1,2})[\-/.](?:\d{4}|\d{2})(?!\d|[\-/.]\d)")
_TIME_START = re.compile(r"\d{1,2}[.:]\d{2}\s*(?:-|tot|uur|u\b)")
_SERVICE = ("0800", "0900", "0906", "0909")


def _cut(candidate: str, wanted: int) -> int | None:
    """The length of the shortest prefix of ``candidate`` holding ``wanted`` digits, if
    the digits do not run on without a separator."""
    count = 0
    for i, char in enumerate(candidate):
        if char.isdigit():
            count += 1
            if count == wanted:
                rest = candidate[i + 1:]
                if rest[:1].isdigit():
                    return None
                return i + 1
    return None


def _phone_length(candidate: str, cue: bool) -> int | None:
    """How much of ``candidate`` is a telephone number (``None``: not one)."""
    plain = candidate.replace("(0)", "")
    digits = re.sub(r"\D", "", plain)
    international = plain.startswith("+") or plain.startswith("00")
    if international:
        body = digits[2:] if plain.startswith("00") else digits
        if body.startswith("31"):
            national = "0" + body[2:]
            if len(national) >= 10 and not national.startswith(_SERVICE):
                extra = 2 if plain.startswith("00") else 0
                return _cut_plain(candidate, 11 + extra)
            return None
        if 8 <= len(body) <= 15 and not body.startswith("0"):
            return len(candidate)
        return None
    date = _DATE_START.match(candidate)
    if date and 1 <= int(date.group(1)) <= 31 and 1 <= int(date.group(2)) <= 12:
        return None
    if _TIME_START.match(candidate):
        return None
    if digits.startswith("0") and not digits.startswith(("00", *_SERVICE)):
        if len(digits) >= 10:
            return _cut(candidate, 10)
        if cue and len(digits) >= 9:
            return len(candidate)
    if cue and digits.startswith("6") and len(digits) == 9:
        return len(candidate)
    return None


def _cut_plain(candidate: str, wanted: int) -> int | None:
    """Like ``_cut`` but counting the digits of ``+31``/``0031`` and skipping ``(0)``."""
    count = 0
    i = 0
    while i < len(candidate):
        if candidate.startswith("(0)", i):
            i += 3
            continue
        if candidate[i].isdigit():
            count += 1
            if count == wanted:
                return None if candidate[i + 1:i + 2].isdigit() else i + 1
        i += 1
    return None


def find_phones(text: str) -> list[Finding]:
    found = []
    position = 0
    while match := _PHONE_RUN.search(text, position):
        position = match.end()
        candidate = match.group()
        if candidate.startswith("(") and ")" not in candidate[1:5]:
            candidate = candidate[1:]
        offset = match.end() - match.start() - len(candidate)
        cue = cue_before(_PHONE_CUE, text, match.start(), window=30)
        length = _phone_length(candidate, cue)
        if length:
            start = match.start() + offset
            end = start + length
            # A closing parenthesis belongs to the number only when it opened in it.
            while text[start:end].count(")") > text[start:end].count("("):
                end = text.rindex(")", start, end)
            found.append(make(text, PHONE, start, end, "phone_cue" if cue else "phone"))
            position = end  # a second number may follow in the same run of digits
    return found
