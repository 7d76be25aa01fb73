"""Names of people.

A name is recognised by what surrounds it, never by capitals alone (a note is full of
capitalised places, organisations and sentence starts):

* a **title or form of address** before a word: ``meneer Jansen``, ``mevr. De Vries``,
  ``dhr. van der Heide``, ``juf Sanne``, ``familie Öztürk``, ``het gezin Yilmaz``; a **role**
  before a capitalised word: ``oma Truus``, ``buurman Gerlof``, ``wijkagent Bouchra Amrani``;
* a **first name** from the lists in :mod:`.namelists`, capitalised anywhere but at the
  start of a sentence, or anywhere when it is not also a common word (``Kevin``,
  ``Fatima``), with the surname that follows (``Jan de Vries``, ``Ahmet Yılmaz``,
  ``jan de vries``); lower case counts too unless the name is also a word (``roos``,
  ``mark``, ``wil``), which then needs a surname or a relation;
* a **surname**: a listed one (``Jansen``, ``Yilmaz``, ``Kowalski``), one after ``de``
  (``de Vries``) or ``van (der)`` (``van der Meer``) or an Arabic particle (``El Amrani``),
  or a capitalised word with a Frisian or Groningen surname ending (-stra, -sma, -inga,
  -enga, -ema) in the middle of a sentence;
* **initials** before a capitalised word: ``J. de Vries``, ``A.B. Kaya``;
* a **relation**: ``de moeder van Kevin``, ``het broertje van dewi``;
* an **age in brackets** after a capitalised word mid-sentence: ``samen met Tygo (14)``.

Not a person: a name after an article or an organisation word (``de Storm``,
``Stichting De Hoop``, ``Sint Maarten``, ``Koning Willem-Alexander``), a name that is part of
a street or an organisation (``Johan de Wittlaan``, ``Willem Lodewijk Gymnasium``,
``Anne Frankschool``) and fixed phrases (``Jan modaal``, ``Albert Heijn``).
"""

from __future__ import annotations

import re

from . import namelists as lists
from .findings import NAME, Finding, make
from .places import STREET_SUFFIXES
from .text import Token, Words, fold, tokens

ARTICLES = frozenset("de het een 't".split())
_PHRASES: dict[str, list[tuple[str, ...]]] = {}
for _phrase in lists.PHRASES:
    _words = tuple(_phrase.split())
    _PHRASES.setdefault(_words[0], []).append(_words)

_INITIALS = re.compile(
    r"(?<![\w.])(?P<initials>(?:[A-Z]\.\s?){1,4})(?P<prefix>(?:(?:van|de|der|den|ter|ten|te|el|"
    r"al|'t)\s+){0,3})(?P<word>[A-Z][\w'’\-]+)")
_NOT_INITIALS = frozenset({"N.B.", "P.S.", "A.S.", "O.A.", "V.S.", "E.D.", "C.Q.", "T.A.V."})
_AGE = re.compile(r"\s*\(\s*(?:\d{1,2}|\d{1,2}\s*(?:jaar|jr\.?|j\.?))\s*\)"
                  r"|,\s*\d{1,2}\s*(?:jaar|jr)\b")
_NAMING_WORDS = frozenset("genaamd heet heette heten genoemd bijnaam roepnaam alias".split())
_FRISIAN_ENDINGS = ("stra", "sma", "inga", "enga", "ema")
_NOT_FRISIAN = ("thema", "schema", "cinema", "systema", "plasma", "prisma", "charisma",
                "miasma", "dilemma", "asma")


def _genitive_base(text: str, word: Token) -> str:
    """``Kevins moeder`` and ``Mo's moeder`` -> the name; ``Noors Bokmål`` stays."""
    key = word.key
    if key.endswith("'s") and key[:-2] in lists.FIRST_NAMES:
        return key[:-2]
    if (word.capitalised and key.endswith("s") and key not in lists.FIRST_NAMES
            and key[:-1] in lists.FIRST_NAMES and key[:-1] not in lists.LOWER_WORDLIKE
            and len(key) > 3 and re.match(r"\s+[a-z]", text[word.end:word.end + 3])):
        return key[:-1]
    return key


def _is_first_name(key: str, *, capitalised: bool = False) -> bool:
    """A listed first name; a hyphenated one when all parts are listed, or when every part
    is capitalised and the first is listed (``Shirley-Ann``, not ``Piet-discussie``)."""
    if key in lists.FIRST_NAMES:
        return True
    parts = key.split("-")
    if len(parts) < 2:
        return False
    return all(p in lists.FIRST_NAMES for p in parts) or (
        capitalised and parts[0] in lists.FIRST_NAMES and parts[0] not in lists.LOWER_WORDLIKE)


def _adjacent(text: str, left: Token, right: Token) -> bool:
    """Only spaces (or a full stop after an initial) between two words."""
    between = text[left.end:right.start]
    return between.strip() == "" or (between.strip() == "." and len(left.text) == 1)


def _blocked_before(text: str, words: Words, i: int) -> bool:
    """A name after an article or an organisation word is not a person."""
    if i == 0 or not _adjacent(text, words[i - 1], words[i]):
        return False
    before = words[i - 1]
    return before.key in ARTICLES or before.key in lists.ORG_HEADS


def _ends_like_place(key: str) -> bool:
    return key.endswith(STREET_SUFFIXES) or key.endswith(lists.ORG_TAILS)


def _surname_word(word: Token, *, after_prefix: str | None) -> bool:
    """Can ``word`` be (the last part of) a surname?"""
    key = word.key
    if key in lists.NOT_SURNAMES or key in lists.PLACES:
        return False
    if after_prefix is not None and word.capitalised and (
            key in lists.VAN_SURNAMES or key in lists.DE_SURNAMES):
        return True  # "van Dijk", "van de Laan": a street suffix on its own is a surname
    if word.capitalised:
        return key in lists.SURNAMES or not _ends_like_place(key)
    if after_prefix == "de":
        return key in lists.DE_SURNAMES
    if after_prefix is not None:
        return key in lists.VAN_SURNAMES or key in lists.SURNAMES
    return key in lists.SURNAMES and key not in lists.SURNAME_WORDS


def _surname_after(text: str, words: Words, i: int, *, after_title: bool = False,
                   parts: int = 3) -> int | None:
    """Index of the last word of a surname starting right after word ``i``, if any
    (``after_title``: word ``i`` is a title, which may end in a full stop; ``parts``: how
    many further capitalised parts may follow, "Jan Willem Bakker")."""
    j = i + 1
    prefix: str | None = None
    while j < len(words) and (_adjacent(text, words[j - 1], words[j]) or (
            after_title and j == i + 1)) and (words[j].key in lists.PREFIXES) and j - i <= 3:
        prefix = words[j].key if prefix is None else prefix
        j += 1
    if j >= len(words) or not _adjacent(text, words[j - 1], words[j]):
        return None
    word = words[j]
    if prefix is None and (word.sentence_start or not word.capitalised) and not (
            word.key in lists.SURNAMES and word.key not in lists.SURNAME_WORDS):
        if not (len(word.text) == 1 and word.capitalised):
            return None
    if len(word.text) == 1:
        return j if word.capitalised and text[word.end:word.end + 1] == "." else None
    if not _surname_word(word, after_prefix=prefix):
        return None
    # A further capitalised part: "Jan Willem Bakker", "Fatima El Amrani".
    nxt = _surname_after(text, words, j, parts=parts - 1) if (
        word.capitalised and parts > 0) else None
    return nxt if nxt is not None else j


def _org_or_street_follows(text: str, words: Words, last: int) -> bool:
    """``Willem Lodewijk Gymnasium``, ``Anne Frankschool``, ``Johan de Wittlaan``."""
    key = words[last].key
    if _ends_like_place(key) and key not in lists.SURNAMES and key not in lists.FIRST_NAMES:
        return True
    nxt = last + 1
    while (nxt < len(words) and _adjacent(text, words[nxt - 1], words[nxt])
           and words[nxt].key in lists.PREFIXES and not words[nxt].capitalised):
        nxt += 1
    if [w.key for w in words[last + 1:nxt]] in (["van", "de"], ["van", "het"], ["van", "'t"]):
        return False  # "Ismail van de Oosterhamrikkade": a person and where they live
    return (nxt < len(words) and _adjacent(text, words[nxt - 1], words[nxt])
            and words[nxt].capitalised and _ends_like_place(words[nxt].key)
            and words[nxt].key not in lists.SURNAMES)


def _phrase_tokens(words: Words) -> set[int]:
    covered: set[int] = set()
    for i, word in enumerate(words):
        for phrase in _PHRASES.get(word.key, ()):
            if tuple(w.key for w in words[i:i + len(phrase)]) == phrase:
                covered.update(range(i, i + len(phrase)))
    return covered


def _first_name(text: str, words: Words, i: int) -> tuple[int, str] | None:
    """If word ``i`` starts a person's name: (index of its last word, rule)."""
    word = words[i]
    key = _genitive_base(text, word)
    titled = all(part[:1].isupper() for part in re.split(r"[-'’]", word.text) if part)
    if not _is_first_name(key, capitalised=titled) or _blocked_before(text, words, i):
        return None
    last = _surname_after(text, words, i)
    if _org_or_street_follows(text, words, last if last is not None else i):
        return None
    if last is not None:
        return last, "first_and_surname"
    wordlike_lower = key in lists.LOWER_WORDLIKE
    wordlike_start = key in lists.START_WORDLIKE or wordlike_lower
    if word.upper or word.capitalised:
        if key in lists.NEEDS_CONTEXT:
            return None
        if word.upper and len(word.text) <= 3:
            return None  # "MO", "ALI" in capitals: as likely an abbreviation
        if word.sentence_start or word.upper:
            return None if wordlike_start else (i, "first_name")
        return i, "first_name"
    return None if wordlike_lower else (i, "first_name_lower")


def _after_title(text: str, words: Words, i: int) -> tuple[int, str] | None:
    word = words[i]
    if word.key not in lists.TITLES and word.key not in lists.ROLES:
        return None
    if word.key == "heer" and not (i > 0 and words[i - 1].key == "de"):
        return None
    j = i + 1
    if j >= len(words):
        return None
    between = text[word.end:words[j].start]
    if not re.fullmatch(r"\.?\s*\(?\s*", between) or "\n" in between:
        return None
    target = words[j]
    if word.key in lists.ROLES:
        # "oma Truus", "buurman Gerlof": a capitalised name right after the role.
        if not target.capitalised or target.upper or target.key in lists.PREFIXES or (
                target.key in lists.NOT_SURNAMES or target.key in lists.PLACES
                or _ends_like_place(target.key) and target.key not in lists.SURNAMES):
            return None
        last = _surname_after(text, words, j)
        return (last if last is not None else j), "title"
    if target.key in lists.PREFIXES and target.key not in ARTICLES | {"in", "op", "uit", "te"}:
        last = _surname_after(text, words, i, after_title=True)
        return (last, "title") if last is not None else None
    if target.key in lists.PREFIXES and target.key == "de":
        last = _surname_after(text, words, i, after_title=True)
        if last is not None and (words[last].capitalised or words[last].key in lists.SURNAMES):
            return last, "title"
        return None
    if target.capitalised and not target.upper:
        if target.key in lists.NOT_SURNAMES or target.key in lists.PLACES or _ends_like_place(
                target.key) and target.key not in lists.SURNAMES:
            return None
        last = _surname_after(text, words, j)
        return (last if last is not None else j), "title"
    if target.key in lists.SURNAMES or (_is_first_name(target.key)
                                        and target.key not in lists.LOWER_WORDLIKE):
        last = _surname_after(text, words, j)
        return (last if last is not None else j), "title"
    return None


def _relation(text: str, words: Words, i: int) -> tuple[int, int] | None:
    """``de moeder van Kevin``: (first, last) index of the person."""
    if words[i].key not in lists.RELATIONS or i + 2 >= len(words):
        return None
    van, target = words[i + 1], words[i + 2]
    if van.key != "van" or not _adjacent(text, words[i], van) or not _adjacent(
            text, van, target):
        return None
    key = _genitive_base(text, target)
    if target.capitalised:
        if key in lists.NOT_SURNAMES or key in lists.PLACES or _ends_like_place(key) or (
                target.key in lists.PREFIXES):
            return None
    elif not (_is_first_name(key) or key in lists.SURNAMES):
        return None
    last = _surname_after(text, words, i + 2)
    return i + 2, last if last is not None else i + 2


def _surname_alone(text: str, words: Words, i: int) -> tuple[int, int, str] | None:
    """``Jansen``, ``de Vries``, ``van der Meer``, ``El Amrani``, ``Veenstra``."""
    word = words[i]
    key = word.key
    if _blocked_before(text, words, i):
        return None
    if key in lists.ARABIC_PARTICLES and i + 1 < len(words):
        nxt = words[i + 1]
        if (_adjacent(text, word, nxt) and nxt.capitalised and len(nxt.text) >= 3
                and nxt.key not in lists.NOT_SURNAMES and nxt.key not in lists.PLACES):
            return i, i + 1, "arabic_particle"
        return None
    if key in ("de", "van") and i + 1 < len(words):
        if i > 0 and _adjacent(text, words[i - 1], word) and (
                words[i - 1].key in lists.ORG_HEADS or words[i - 1].key in lists.NOT_SURNAMES
                and words[i - 1].capitalised and words[i - 1].key not in ARTICLES):
            return None
        j = i + 1
        while j < len(words) and words[j].key in ("der", "den", "de", "'t", "het") and (
                _adjacent(text, words[j - 1], words[j])) and j - i <= 2:
            j += 1
        if j >= len(words) or not _adjacent(text, words[j - 1], words[j]):
            return None
        target = words[j]
        core = lists.DE_SURNAMES if j == i + 1 and key == "de" else lists.VAN_SURNAMES
        if target.capitalised and not target.upper and target.key in core:
            return i, j, "prefix_surname"
        return None
    if not (word.capitalised or word.upper):
        return None
    if key in lists.SURNAMES and key not in lists.SURNAME_WORDS:
        return i, i, "surname"
    if (not word.sentence_start and len(key) >= 6 and key.endswith(_FRISIAN_ENDINGS)
            and not key.endswith(_NOT_FRISIAN) and key not in lists.PLACES):
        return i, i, "surname_ending"
    return None


def _age_after(text: str, words: Words, i: int) -> bool:
    """``Tygo (14)``: a capitalised word that is not a place, a role or a common noun."""
    word = words[i]
    if not word.capitalised or word.upper:
        return False
    key = word.key
    if key in lists.NOT_SURNAMES or key in lists.PLACES or key in lists.RELATIONS or (
            key in lists.ROLES) or key in lists.TITLES or _ends_like_place(key) or (
            _blocked_before(text, words, i)):
        return False
    return _AGE.match(text, word.end) is not None


def _called(text: str, words: Words, i: int) -> int | None:
    """``jongen genaamd Dimitri``, ``moeder heet Ludmila``: index of the name's last word."""
    if words[i].key not in _NAMING_WORDS or i + 1 >= len(words):
        return None
    target = words[i + 1]
    if not (_adjacent(text, words[i], target) and target.capitalised) or (
            target.key in lists.NOT_SURNAMES or target.key in lists.PLACES):
        return None
    last = _surname_after(text, words, i + 1)
    return last if last is not None else i + 1


def find_names(text: str, words: Words | None = None) -> list[Finding]:
    words = tokens(text) if words is None else words
    skip = _phrase_tokens(words)
    found: list[Finding] = []
    taken: set[int] = set()

    def add(first: int, last: int, rule: str) -> None:
        if any(k in skip for k in range(first, last + 1)):
            return
        taken.update(range(first, last + 1))
        found.append(make(text, NAME, words[first].start, words[last].end, rule))

    for i in range(len(words)):
        if i in taken or i in skip:
            continue
        titled = _after_title(text, words, i)
        if titled:
            add(i, titled[0], titled[1])
            continue
        relation = _relation(text, words, i)
        if relation:
            add(relation[0], relation[1], "relation")
            continue
        called = _called(text, words, i)
        if called is not None:
            add(i + 1, called, "called")
            continue
        first = _first_name(text, words, i)
        if first:
            add(i, first[0], first[1])
            continue
        alone = _surname_alone(text, words, i)
        if alone:
            add(*alone)
            continue
        if _age_after(text, words, i):
            add(i, i, "age")
    for match in _INITIALS.finditer(text):
        if match.group("initials").replace(" ", "").upper() in _NOT_INITIALS:
            continue
        key = fold(match.group("word"))
        if key in lists.NOT_SURNAMES or key in lists.PLACES or _ends_like_place(key):
            continue
        found.append(make(text, NAME, match.start(), match.end(), "initials"))
    return found
