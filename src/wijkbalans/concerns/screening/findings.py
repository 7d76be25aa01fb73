"""What a detector reports: the kind of personal data, where it is, and what to remove."""

from __future__ import annotations

import bisect
from dataclasses import dataclass


def gettext_noop(message: str) -> str:
    """Mark an English msgid for translation without importing Django (this package is pure).

    ``makemessages`` extracts calls by this name; the web form and the command translate
    the hint with ``gettext`` when they show it.
    """
    return message


NAME = "name"
ADDRESS = "address"
POSTCODE = "postcode"
BIRTH_DATE = "birth_date"
BSN = "bsn"
PHONE = "phone"
EMAIL = "email"
LICENCE_PLATE = "licence_plate"
IBAN = "iban"

#: Every kind, in the order a reader scans a text for them.
KINDS = (NAME, ADDRESS, POSTCODE, BIRTH_DATE, BSN, PHONE, EMAIL, LICENCE_PLATE, IBAN)

#: What each kind is called, for a form or a report (English msgids).
LABELS = {
    NAME: gettext_noop("name of a person"),
    ADDRESS: gettext_noop("address"),
    POSTCODE: gettext_noop("postcode with house number"),
    BIRTH_DATE: gettext_noop("date of birth"),
    BSN: gettext_noop("citizen service number (BSN)"),
    PHONE: gettext_noop("telephone number"),
    EMAIL: gettext_noop("e-mail address"),
    LICENCE_PLATE: gettext_noop("licence plate"),
    IBAN: gettext_noop("bank account number (IBAN)"),
}

#: The message shown with a finding: what to remove, per kind (English msgids).
HINTS = {
    NAME: gettext_noop("Remove the name of a person."),
    ADDRESS: gettext_noop("Remove the address (street and house number)."),
    POSTCODE: gettext_noop("Remove the postcode with house number."),
    BIRTH_DATE: gettext_noop("Remove the date of birth."),
    BSN: gettext_noop("Remove the citizen service number (BSN)."),
    PHONE: gettext_noop("Remove the telephone number."),
    EMAIL: gettext_noop("Remove the e-mail address."),
    LICENCE_PLATE: gettext_noop("Remove the licence plate."),
    IBAN: gettext_noop("Remove the bank account number (IBAN)."),
}

#: When two findings overlap, the one whose kind comes first here is kept: an e-mail
#: address contains words that look like names, an IBAN contains digits that look like a
#: BSN, and so on.
PRIORITY = (EMAIL, IBAN, BSN, PHONE, LICENCE_PLATE, POSTCODE, ADDRESS, BIRTH_DATE, NAME)


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data in a text.

    ``text`` is ``source[start:end]`` as written; ``rule`` names the rule that fired
    (for tests and for the documentation); ``hint`` is the English msgid telling the
    writer what to remove.
    """

    kind: str
    text: str
    start: int
    end: int
    rule: str

    @property
    def hint(self) -> str:
        return HINTS[self.kind]

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    def as_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end,
                "rule": self.rule}


def make(source: str, kind: str, start: int, end: int, rule: str) -> Finding:
    """A finding for ``source[start:end]``, trimmed of surrounding spaces and punctuation."""
    while start < end and source[start] in " \t\n,;:":
        start += 1
    while end > start and source[end - 1] in " \t\n,;:":
        end -= 1
    return Finding(kind=kind, text=source[start:end], start=start, end=end, rule=rule)


def resolve(findings: list[Finding]) -> list[Finding]:
    """Drop findings that overlap a finding of a stronger kind (or a longer one of the
    same kind); return the rest in text order."""
    rank = {kind: i for i, kind in enumerate(PRIORITY)}
    ordered = sorted(findings, key=lambda f: (rank[f.kind], -(f.end - f.start), f.start))
    starts: list[int] = []  # the kept findings, sorted by start; they never overlap
    kept: list[Finding] = []
    for finding in ordered:
        i = bisect.bisect_left(starts, finding.start)
        if i > 0 and kept[i - 1].end > finding.start:
            continue
        if i < len(kept) and kept[i].start < finding.end:
            continue
        starts.insert(i, finding.start)
        kept.insert(i, finding)
    return kept
