"""Small text helpers shared by the detectors: folding, words, sentence starts."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# A word: letters, with inner hyphens or apostrophes ("Jan-Willem", "Mo's", "d'Souza").
WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")

_FOLD_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "ı": "i", "ø": "o", "Ø": "o", "đ": "d",
                             "ß": "ss", "’": "'"})


def fold(word: str) -> str:
    """Lowercase without diacritics, for look-ups: ``Öztürk`` -> ``ozturk``.

    Deliberately not cached: the screen keeps no word of a text after it returns."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.translate(_FOLD_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class Token(NamedTuple):
    text: str
    start: int
    end: int
    key: str               # folded
    capitalised: bool      # first letter upper case
    upper: bool            # the whole word in capitals (two letters or more)
    sentence_start: bool   # first word of a sentence, a line or a list item


_SENTENCE_END = re.compile(r"(?:^|[.!?:;•\n]|^\s*[-*]|\n\s*[-*])[\s\"'“‘(\[]*$")
_STOP = re.compile(r"[.!?:;•\n]")


Words = tuple[Token, ...]


def tokens(text: str) -> Words:
    """The words of ``text`` with their position and case."""
    found: list[Token] = []
    previous_end = 0
    for match in WORD.finditer(text):
        if text[match.start() - 1:match.start()].isdigit() or text[
                match.end():match.end() + 1].isdigit():
            continue  # part of a code: "JO11", "A7", "N370", "2B"
        word = match.group()
        between = text[previous_end:match.start()]
        if not found:
            starts = _SENTENCE_END.search(text[:match.start()]) is not None
        else:
            starts = _STOP.search(between) is not None and not _after_abbreviation(
                found[-1], between)
        found.append(Token(
            text=word, start=match.start(), end=match.end(), key=fold(word),
            capitalised=word[0].isupper(), upper=len(word) > 1 and word.isupper(),
            sentence_start=starts))
        previous_end = match.end()
    return tuple(found)


# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "dhr mevr mw mr dr drs ir ing prof fam geb nr no tel bijv bv ca evt resp incl excl jl "
    "str ong zgn vnl mbv st".split())


def _after_abbreviation(previous: Token, between: str) -> bool:
    return between.strip() == "." and (previous.key in ABBREVIATIONS or len(previous.text) == 1)


def next_word(text: str, position: int) -> str:
    """The word right after ``position`` (skipping spaces), folded; '' if none."""
    match = re.compile(r"\s*([^\W\d_]+|%)").match(text, position)
    return fold(match.group(1)) if match else ""


# Words after a number that make it a count or a measure, not a house number.
COUNT_WORDS = frozenset("""
keer maal x jaar jaren jarigen jarige maand maanden week weken dag dagen nacht nachten uur
uren minuut minuten seconden kwartier procent % euro eur cent meter m km kilometer
meldingen melding signalen signaal zorgen gezinnen gezin jongeren jongens meiden meisjes
kinderen kind leerlingen leerling scholieren studenten bewoners bewoner huishoudens
huishouden woningen woning huizen huis flats panden adressen mensen personen mannen vrouwen
ouderen ouders families incidenten incident zaken zaak aanhoudingen arrestaties
inbraken inbraak klachten klacht auto's autos scooters fietsen dealers daders slachtoffers
verdachten straten stuks deelnemers leden vrijwilligers plekken plaatsen bezoekers
keren woningzoekenden aanmeldingen gesprekken huisbezoeken casussen cases dossiers
groepen groepjes groep hangplekken winkels coffeeshops camera's bedden kamers cliënten
nieuwe oude grote kleine lege extra andere verschillende illegale jonge oudere jongere
kwetsbare meer minder nog ruim bijna circa ongeveer
""".split())

_BREAK = re.compile(r"[\d!?\n]|[.;]\s+[A-Z]")


def cue_before(cue: re.Pattern, text: str, position: int, *, window: int = 40) -> bool:
    """True when ``cue`` occurs in the ``window`` characters before ``position`` with no
    digit and no sentence break between them: ``BSN moeder: 123...``, ``tel. nr: 06...``."""
    before = text[max(0, position - window):position]
    ends = [match.end() for match in cue.finditer(before)]
    return bool(ends) and _BREAK.search(before, ends[-1]) is None
