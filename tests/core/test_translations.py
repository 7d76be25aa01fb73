"""The Dutch catalogue is complete and compiled: every text the interface shows has its
Dutch, and the compiled file holds what the source says."""

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "wijkbalans" / "locale"
STRING = r'"((?:[^"\\]|\\.)*)"'
QUOTED = r'"(?:[^"\\]|\\.)*"'


def entries(po: Path) -> list[dict]:
    """msgid, plural and translations of each live entry (not the header, not obsolete)."""
    found = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [x for x in block.splitlines() if not x.startswith("#~")]
        text = "\n".join(lines)
        msgid = re.search(r"^msgid ((?:" + QUOTED + r"\n?)+)", text, re.M)
        if not msgid:
            continue
        key = "".join(re.findall(STRING, msgid.group(1)))
        if not key:
            continue  # the header
        strs = re.findall(r"^msgstr(?:\[\d\])? ((?:" + QUOTED + r"\n?)+)", text, re.M)
        found.append({"msgid": key, "fuzzy": "#, fuzzy" in text,
                      "plural": "msgid_plural" in text,
                      "msgstr": ["".join(re.findall(STRING, s)) for s in strs]})
    return found


def test_every_dutch_text_is_translated_and_none_is_fuzzy():
    po = entries(LOCALE / "nl" / "LC_MESSAGES" / "django.po")
    assert len(po) > 1000
    assert [e["msgid"] for e in po if e["fuzzy"]] == []
    assert [e["msgid"] for e in po if not all(e["msgstr"])] == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_compiled_catalogue_matches_its_source(lang):
    folder = LOCALE / lang / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = compiled._catalog  # msgid -> text; (msgid, n) for plural forms
    for entry in entries(folder / "django.po"):
        if not all(entry["msgstr"]):
            continue  # English may leave a text as it is
        key = entry["msgid"].encode().decode("unicode_escape").encode("latin-1").decode()
        first = (key, 0) if entry["plural"] else key
        assert first in catalog, f"{lang}: {key[:60]!r} is not compiled (compilemessages)"
