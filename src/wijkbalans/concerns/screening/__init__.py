"""The personal-data screen for free text (pure Python, no Django).

``screen(text)`` returns the personal data it finds, as :class:`Finding` objects in text
order: names of people, addresses (street and house number), postcodes with a house number,
dates of birth, citizen service numbers (BSN), telephone numbers, e-mail addresses, licence
plates and bank account numbers (IBAN). An empty list means the text may be stored.

>>> [(f.kind, f.text) for f in screen("Bel Kevin op 06-12345678.")]
[('name', 'Kevin'), ('phone', '06-12345678')]
>>> screen("Jongeren worden bij het winkelcentrum geronseld als koerier.")
[]

Each finding has a ``kind`` (one of ``KINDS``), the ``text`` as written with its
``start`` and ``end``, the ``rule`` that fired, and English msgids for the writer: ``label``
(what it is) and ``hint`` (what to remove); translate them with ``gettext`` when showing them.

The screen keeps nothing: no cache, no log, no copy of a text or of a word in it outlives
the call. The rules, their reasons and their known limits are in
``docs/concerns-screening.md``.
"""

from __future__ import annotations

from .contact import find_emails
from .dates import find_birth_dates
from .findings import HINTS, KINDS, LABELS, Finding, resolve
from .iban import find_ibans
from .names import find_names
from .numbers import find_bsn, find_phones
from .places import find_addresses, find_postcodes
from .plates import find_plates
from .text import tokens

__all__ = ["HINTS", "KINDS", "LABELS", "Finding", "screen"]

_DETECTORS = (find_emails, find_ibans, find_bsn, find_phones, find_plates, find_postcodes)


def screen(text: str, *, reference_year: int | None = None) -> list[Finding]:
    """The personal data in ``text``, overlaps resolved, in text order.

    ``reference_year`` is the year against which a bare full date counts as a likely birth
    date (ten years before it or earlier); it defaults to the current year.
    """
    if not text or not text.strip():
        return []
    findings: list[Finding] = []
    for detector in _DETECTORS:
        findings.extend(detector(text))
    words = tokens(text)
    findings.extend(find_addresses(text, words))
    findings.extend(find_names(text, words))
    findings.extend(find_birth_dates(text, reference_year=reference_year))
    return resolve(findings)
