"""Short guides for professionals, one per theme of an early concern: what you may see,
what to do, what not to do and whom to call ("Wat doe je als je ziet dat ...").

The guides are prose, so they are kept as data in two languages (:mod:`.nl`, the default,
written at language level B1, and :mod:`.en`) rather than as gettext messages. Every
telephone number in them is a real, public national number; local partners come from the
routing table and are shown next to the guide (see :mod:`wijkbalans.concerns.knowledge`).

>>> [g.theme for g in guides_for("nl")][:2]
['undermining', 'poverty_debts']
>>> guide_for("undermining", "en").contacts[0].number
'112'
"""

from __future__ import annotations

from dataclasses import dataclass

from . import en, nl


@dataclass(frozen=True)
class Contact:
    name: str
    number: str  # as it is dialled ("0800-7000"); "" when there is only a website
    url: str
    when: str


@dataclass(frozen=True)
class Guide:
    theme: str
    title: str
    intro: str
    signs: tuple[str, ...]
    do: tuple[str, ...]
    dont: tuple[str, ...]
    contacts: tuple[Contact, ...]

    def words(self) -> str:
        """Everything a reader could search for in this guide, as one text."""
        parts = [self.title, self.intro, *self.signs, *self.do, *self.dont]
        parts += [f"{c.name} {c.number} {c.url} {c.when}" for c in self.contacts]
        return "\n".join(parts)


def _build(data: dict) -> tuple[Guide, ...]:
    return tuple(
        Guide(theme=theme, title=g["title"], intro=g["intro"], signs=tuple(g["signs"]),
              do=tuple(g["do"]), dont=tuple(g["dont"]),
              contacts=tuple(Contact(*c) for c in g["contacts"]))
        for theme, g in data.items())


GUIDES = {"nl": _build(nl.GUIDES), "en": _build(en.GUIDES)}


def guides_for(lang: str) -> tuple[Guide, ...]:
    """The guides in ``lang`` ("nl" or "en"; anything else gives Dutch), in theme order."""
    return GUIDES.get(lang, GUIDES["nl"])


def guide_for(theme: str, lang: str) -> Guide | None:
    return next((g for g in guides_for(lang) if g.theme == theme), None)
