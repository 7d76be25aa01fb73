"""International bank account numbers (IBAN, ISO 13616) and account numbers after a cue.

An IBAN is a country code, two check digits and a national account number (BBAN) whose
length is fixed per country. It is valid when, moved so the first four characters come
last and with letters read as numbers (A = 10 ... Z = 35), it leaves remainder 1 when
divided by 97 (ISO 7064 MOD 97-10). Written in blocks of four, in capitals or not.
After a cue ("IBAN", "rekeningnummer", "rek.nr.") any account-like number is refused,
valid or not, including the old Dutch nine- and ten-digit account numbers.
"""

from __future__ import annotations

import re

from .findings import IBAN, Finding, make
from .text import cue_before

#: IBAN length per country, from the SWIFT IBAN Registry (release 2024), plus Morocco
#: (MA, 28), whose banks publish IBANs though the registry lists it as partial.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
    "BH": 22, "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24,
    "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
    "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27,
    "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20,
    "LU": 20, "LV": 21, "LY": 25, "MA": 28, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
    "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23,
    "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24,
    "XK": 20, "YE": 30,
}

_CANDIDATE = re.compile(r"(?=[a-zA-Z]{2} ?\d\d)(?<![\w])([a-zA-Z]{2})[ ]?(\d{2})"
                        r"((?:[ \-.]?[a-zA-Z0-9]){8,32})")
_CUE = re.compile(
    r"(?<![a-z])(?:iban|rekening|rekeningnummer|rekeningnr|rek|bankrekening|"
    r"bankrekeningnummer|bankrekeningnr|bankrek|banknummer|gironummer|giro)(?![a-z])",
    re.IGNORECASE)
_ACCOUNT_AFTER_CUE = re.compile(r"(?=\d)(?<![\w])(?:\d[ .\-]?){6,9}\d(?![\w])")


def mod97(iban: str) -> bool:
    """True when ``iban`` (spaces allowed) passes ISO 7064 MOD 97-10.

    >>> mod97("NL91 ABNA 0417 1643 00"), mod97("NL91 ABNA 0417 1643 01")
    (True, False)
    """
    compact = re.sub(r"[\s.\-]", "", iban).upper()
    if not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _take(candidate: str, wanted: int) -> int | None:
    """Length of the prefix of ``candidate`` holding ``wanted`` letters and digits,
    ending at a block boundary (not in the middle of a word)."""
    count = 0
    for i, char in enumerate(candidate):
        if char.isalnum():
            count += 1
            if count == wanted:
                return None if candidate[i + 1:i + 2].isalnum() else i + 1
    return None


def find_ibans(text: str) -> list[Finding]:
    found: list[Finding] = []
    for match in _CANDIDATE.finditer(text):
        country = match.group(1).upper()
        wanted = IBAN_LENGTHS.get(country)
        if wanted is None:
            continue
        length = _take(match.group(), wanted)
        if length is None:
            continue
        compact = re.sub(r"[^a-zA-Z0-9]", "", match.group()[:length])
        cue = cue_before(_CUE, text, match.start(), window=30)
        if mod97(compact):
            found.append(make(text, IBAN, match.start(), match.start() + length, "iban_mod97"))
        elif cue:
            found.append(make(text, IBAN, match.start(), match.start() + length, "iban_cue"))
    for match in _ACCOUNT_AFTER_CUE.finditer(text):
        if cue_before(_CUE, text, match.start(), window=30):
            found.append(make(text, IBAN, match.start(), match.end(), "account_cue"))
    return found
