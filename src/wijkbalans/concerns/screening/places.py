"""Addresses: a street with a house number, and a postcode with a house number.

A *street* is a word ending in a Dutch street suffix (``Oosterstraat``, ``Hereweg``,
``Zuiderdiep``, ``Emmasingel``), or such a suffix written as its own capitalised word after
another one (``Grote Markt``). It is an address when a house number follows, with an
optional addition (``12a``, ``12 A``, ``12-2``, ``12 bis``, ``12-hs``) and optionally
introduced by ``nr.``, ``no.``, ``nummer`` or ``huisnummer``. ``huisnummer 12`` alone is an
address too; ``nummer 12`` is one when the text names a street elsewhere.

Rules that keep area-level texts clean:

* a number followed by a count or a unit is not a house number: ``in het Stadspark 2 keer``,
  ``Oosterstraat 3 woningen``;
* a four-digit year is not a house number: ``Oosterstraat 2023``;
* a range over ten numbers or more is a block, not an address: ``Oosterstraat 100-180``;
* a lower-case common noun after an article is not a street: ``op het schoolplein 3``.

A *postcode* alone (``9741``, ``9741 AB``) is area-level and passes: a six-character
postcode covers a street side of some 15 to 25 addresses. A postcode followed by a house
number (``9725 AB 12``, ``9725AB, nr 12``) is an address.
"""

from __future__ import annotations

import re

from .findings import ADDRESS, POSTCODE, Finding, make
from .namelists import PLACES
from .text import COUNT_WORDS, Words, next_word, tokens

STREET_SUFFIXES = (
    "straat", "straatje", "str", "laan", "laantje", "weg", "wegje", "plein", "pleintje",
    "singel", "kade", "gracht", "dijk", "pad", "padje", "hof", "hofje", "dreef", "steeg",
    "steegje", "park", "baan", "veld", "markt", "wal", "plantsoen", "diep", "haven",
    "boulevard", "allee", "zoom", "brink", "drift", "akker", "oever", "hoven", "erf",
    "dam", "rak", "til", "kamp",
)
# Common nouns ending in a suffix, never read as a street when written in lower case.
NOT_STREETS = frozenset("""
onderweg halfweg snelweg uitweg omweg zijweg rijweg fietspad voetpad zebrapad wandelpad
looppad schoolplein speelplein marktplein dorpsplein kerkhof binnenhof voorhof speelveld
trapveld sportveld werkveld beleidsveld grasveld sportpark stadspark bedrijfspark
vakantiepark pretpark loopbaan rijbaan ijsbaan snelbaan supermarkt woningmarkt
arbeidsmarkt vismarkt weekmarkt jaarmarkt blokkade barricade limonade tuinhof
hoofdstraat zijstraat winkelstraat woonstraat dwarsstraat straat laan weg plein park
pad hof veld markt dam kamp erf wal baan diep haven zomerkamp trainingskamp akker
""".split())
STREET_ADJECTIVES = frozenset(
    "grote kleine oude nieuwe hoge lage verlengde korte lange sint st noorder zuider "
    "ooster wester eerste tweede derde".split())
ARTICLES = frozenset("de het een dit dat die deze ons onze hun zijn haar elk elke".split())
FUNCTION_WORDS = frozenset("""
de het een in op aan bij naar van uit voor achter langs via over om tot tussen en of
maar dus ook nog wel niet geen er hier daar dit dat die deze wij we zij ze hij ik je u
sinds vanaf na tijdens met zonder rond rondom nabij tegenover richting
""".split())

_NUMBER = (r"(?P<lead>\s*,?\s*(?:(?:huis)?(?:nummer|nr|no)\b\.?\s*:?\s*)?)"
           r"(?P<number>[1-9]\d{0,4})"
           r"(?P<addition>\s?[A-Za-z](?![\w'’/])|[\-/]\s?(?:\d{1,3}|[A-Za-z]{1,3})(?![\w])"
           r"|\s?-?(?:bis|hs|huis|boven|beneden|bg|zw|rd|hoog|I{1,3}|IV)\b)?"
           r"(?P<range>\s*(?:-|t/m|tot en met|tot)\s*(?P<upto>[1-9]\d{0,4})\b)?"
           r"(?![\w]|[.,]\d)")
_NUMBER_AT = re.compile(_NUMBER)
_BARE_NUMBER = _NUMBER[_NUMBER.index("(?P<number>"):]
_HOUSE_NUMBER_CUE = re.compile(rf"\b(?:huisnummer|huisnr)\.?\s*:?\s*{_BARE_NUMBER}",
                               re.IGNORECASE)
_NUMBER_CUE = re.compile(rf"\b(?:nummer|nr|no)\b\.?\s*:?\s*{_BARE_NUMBER}", re.IGNORECASE)
_LIVES = re.compile(
    r"\b(?:woont|wonen|woonde|woonachtig|wonend|verblijft|adres|adres is)\s*:?\s+"
    r"(?:(?:op|aan|in|bij)\s+)?(?:(?:de|het)\s+)?(?P<street>(?:[A-Z][\w'’\-]+\s+){1,3})"
    + _BARE_NUMBER)
_POSTCODE = re.compile(
    r"(?<![\w€.,])(?P<digits>[1-9]\d{3})(?P<space>\s?)(?P<letters>[A-Za-z]{2})(?![^\W\d_])"
    + _NUMBER)
_BETWEEN = re.compile(r"\btussen\s+(?:(?:huis)?(?:nummer|nr)\.?\s*)?$", re.IGNORECASE)
_AND_UPTO = re.compile(r"\s*(?:en|tot|t/m)\s+(?:(?:huis)?(?:nummer|nr)\.?\s*)?(\d{1,5})\b")
_POSTCODE_AFTER = re.compile(r",?\s*[1-9]\d{3}\s?[A-Z]{2}\b(?:\s+[A-Z][a-z]+)?")
# Two-letter Dutch words that follow a year more often than postcode letters do.
_TWO_LETTER_WORDS = frozenset(
    "en in is op of er te al nu ze we je om ik na zo ja ga da la ma pa do di wo vr za "
    "ha he uw tm".split())


def _is_house_number(text: str, match: re.Match, *, counts: bool = True) -> bool:
    """Is the number in ``match`` a house number? ``counts``: also refuse it when a count
    or a measure follows (off for a postcode written right before its number)."""
    number = int(match.group("number"))
    upto = match.group("upto")
    addition = (match.group("addition") or "").strip()
    if re.fullmatch(r"-\s?\d+", addition) and int(addition[1:]) > number:
        upto = addition[1:]  # "100-180": a range, not floor 180
    if upto and int(upto) - number >= 10:
        return False
    position = match.start("number")
    if _BETWEEN.search(text, max(0, position - 30), position):
        after = _AND_UPTO.match(text, match.end())
        if after and int(after.group(1)) - number >= 10:
            return False  # "tussen nr. 100 en 200": a stretch of street
    if not counts:
        return True
    if len(match.group("number")) == 4 and 1900 <= number <= 2099 and not match.group(
            "addition"):
        return False
    if match.group("upto") or match.group("addition"):
        return next_word(text, match.end()) not in ("jaar", "keer", "uur", "procent", "%")
    return next_word(text, match.end()) not in COUNT_WORDS


def _street_token(words: Words, i: int) -> bool:
    word = words[i]
    key = word.key
    if not key.endswith(STREET_SUFFIXES) or key in PLACES:
        return False  # "Amsterdam 12", "Eindhoven 3": places, not streets
    bare = key in STREET_SUFFIXES
    if bare:
        # "Grote Markt 1", "Nieuwe Weg 5": a bare suffix after a capitalised word.
        return word.capitalised and i > 0 and words[i - 1].capitalised and words[
            i - 1].end >= word.start - 1
    if word.capitalised:
        return True
    if key in NOT_STREETS:
        return False
    return not (i > 0 and words[i - 1].key in ARTICLES)


def _start_of_street(text: str, words: Words, i: int) -> int:
    """Extend a street word to the left over the rest of its name (``Johan de Wittlaan``),
    over words separated by spaces only."""
    start = i
    j = i - 1
    while j >= 0 and i - j <= 4 and text[words[j].end:words[j + 1].start].strip() == "":
        word = words[j]
        if word.key in ("de", "van", "der", "den", "ter", "ten", "'t", "het") and not (
                word.capitalised):
            j -= 1
            continue
        if word.capitalised and word.key not in FUNCTION_WORDS and not word.sentence_start:
            start = j
            j -= 1
            continue
        if word.capitalised and (word.key in STREET_ADJECTIVES or words[i].key in (
                STREET_SUFFIXES)):
            start = j  # "Grote Markt 3", "Oude Ebbingestraat 12" at a sentence start
        break
    return start


def find_addresses(text: str, words: Words | None = None) -> list[Finding]:
    found: list[Finding] = []
    words = tokens(text) if words is None else words
    has_street = False
    for i, word in enumerate(words):
        if not _street_token(words, i):
            continue
        has_street = has_street or word.capitalised
        end = word.end + (1 if text[word.end:word.end + 1] == "." else 0)
        match = _NUMBER_AT.match(text, end)
        if match and _is_house_number(text, match):
            start = words[_start_of_street(text, words, i)].start
            end = match.end()
            postcode = _POSTCODE_AFTER.match(text, end)  # "Hereweg 4, 9725 AA Groningen"
            end = postcode.end() if postcode else end
            found.append(make(text, ADDRESS, start, end, "street_number"))
    for match in _HOUSE_NUMBER_CUE.finditer(text):
        if _is_house_number(text, match):
            found.append(make(text, ADDRESS, match.start(), match.end(), "house_number_cue"))
    if has_street:
        for match in _NUMBER_CUE.finditer(text):
            if _is_house_number(text, match):
                found.append(make(text, ADDRESS, match.start(), match.end(), "number_cue"))
    for match in _LIVES.finditer(text):
        if _is_house_number(text, match):
            found.append(make(text, ADDRESS, match.start("street"), match.end(), "lives_at"))
    return found


def find_postcodes(text: str) -> list[Finding]:
    found = []
    for match in _POSTCODE.finditer(text):
        letters = match.group("letters")
        if letters.upper() in ("SA", "SD", "SS"):
            continue  # never issued
        if match.group("space") and letters.islower() and letters in _TWO_LETTER_WORDS:
            continue  # "in 2019 is 30% ..."
        if _is_house_number(text, match, counts="," in match.group("lead")):
            found.append(make(text, POSTCODE, match.start(), match.end(), "postcode_number"))
    return found
