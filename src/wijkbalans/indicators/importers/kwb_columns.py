"""The column dictionary of the CBS Kerncijfers wijken en buurten (KWB): what each column
of a StatLine CSV export or an OData TypedDataSet means, and which indicator it feeds.

Headers come in three spellings of the same thing:

* StatLine CSV (2024): ``Bevolking/Geslacht/Mannen (aantal)``: the group path joined by
  ``/``, the title, and the unit in parentheses;
* the same export read and written again by R (2017 file): every character that is not a
  letter or digit became ``.``, so ``Bevolking.Geslacht.Mannen..aantal.``;
* OData keys: ``Mannen_6``, the title in CamelCase plus the position in the table.

A column is matched on its *normalised label*: lower case, every run of characters that
are not letters or digits collapsed to one space (``bevolking geslacht mannen``), plus its
unit. Both CSV spellings normalise to the same label, so the 2017 and 2024 headers for
"Mannen" both map to ``mannen``. OData columns are matched on the key without its
position suffix (``Mannen``). A column maps to a core indicator of
:mod:`wijkbalans.indicators.catalogue` only when it means that indicator in definition
*and* unit; every other numeric column is kept under the source's own key.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .. import catalogue
from .base import ImportFailed, IndicatorSpec, Problem, file_label

INDELING_CODE = "kwb.indelingswijziging"
# Indicator.code allows 120 characters, but the audit entry that records a new indicator
# keeps its code in AuditEntry.object_id, which allows 80.
MAX_CODE = 80

# Core indicators and the KWB columns that mean exactly them: (code, KWB unit, OData key
# stems, normalised label paths). The label paths list both the 2017 group names
# ("Wonen") and the 2024 ones ("Wonen en vastgoed"). Left out on purpose:
# bijstand_per_1000 (KWB has "Personen per soort uitkering; Bijstand" as a count of
# people, not benefits per 1,000 residents) and the 2017 "Actieven 15-75 jaar" (people
# whose main income is from work, not the net labour participation of werkzaam_pct).
KNOWN: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = [
    ("inwoners", "aantal", ("AantalInwoners",), ("bevolking aantal inwoners",)),
    ("mannen", "aantal", ("Mannen",), ("bevolking geslacht mannen",)),
    ("vrouwen", "aantal", ("Vrouwen",), ("bevolking geslacht vrouwen",)),
    ("inwoners_0_14", "aantal", ("k_0Tot15Jaar",), ("bevolking leeftijdsgroepen 0 tot 15 jaar",)),
    ("inwoners_15_24", "aantal", ("k_15Tot25Jaar",),
     ("bevolking leeftijdsgroepen 15 tot 25 jaar",)),
    ("inwoners_25_44", "aantal", ("k_25Tot45Jaar",),
     ("bevolking leeftijdsgroepen 25 tot 45 jaar",)),
    ("inwoners_45_64", "aantal", ("k_45Tot65Jaar",),
     ("bevolking leeftijdsgroepen 45 tot 65 jaar",)),
    ("inwoners_65plus", "aantal", ("k_65JaarOfOuder",),
     ("bevolking leeftijdsgroepen 65 jaar of ouder",)),
    ("huishoudens", "aantal", ("HuishoudensTotaal",),
     ("bevolking particuliere huishoudens huishoudens totaal",)),
    ("woningen", "aantal", ("Woningvoorraad",),
     ("wonen woningvoorraad", "wonen en vastgoed woningvoorraad")),
    # GemiddeldeWoningwaarde is the key of the same column in the KWB tables before 2019.
    ("woz_waarde", "x 1 000 euro", ("GemiddeldeWOZWaardeVanWoningen", "GemiddeldeWoningwaarde"),
     ("wonen gemiddelde woz waarde van woningen",
      "wonen en vastgoed gemiddelde woz waarde van woningen")),
    ("inkomen_per_inwoner", "x 1 000 euro", ("GemiddeldInkomenPerInwoner",),
     ("inkomen inkomen van personen gemiddeld inkomen per inwoner",)),
    ("laag_inkomen_hh_pct", "%", ("HuishoudensMetEenLaagInkomen",),
     ("inkomen inkomen van huishoudens huishoudens met een laag inkomen",)),
    # "Huurwoningen in bezit woningcorporatie", as a percentage of all dwellings.
    ("corporatiewoningen_pct", "%", ("InBezitWoningcorporatie",),
     ("wonen woningen naar eigendom huurwoningen in bezit woningcorporatie",
      "wonen en vastgoed woningen naar eigendom huurwoningen in bezit woningcorporatie")),
    # Nettoarbeidsparticipatie: the employed as a share of the population aged 15-75.
    ("werkzaam_pct", "%", ("Nettoarbeidsparticipatie",), ("arbeid nettoarbeidsparticipatie",)),
]
KNOWN_BY_LABEL = {(label, unit): code for code, unit, _, labels in KNOWN for label in labels}
KNOWN_BY_STEM = {stem: (code, unit) for code, unit, stems, _ in KNOWN for stem in stems}

# Top-level KWB groups and the theme (catalogue.THEMES) of the columns under them;
# longest first so that "wonen en vastgoed" wins over "wonen".
GROUP_THEMES = sorted({
    "regioaanduiding": "other", "bevolking": "population", "wonen": "housing",
    "wonen en vastgoed": "housing", "energie": "housing", "onderwijs": "education",
    "arbeid": "work_income", "inkomen": "work_income", "sociale zekerheid": "work_income",
    "zorg": "health", "bedrijfsvestigingen": "other", "bedrijfsvestigingen sbi 2008": "other",
    "motorvoertuigen": "other", "nabijheid voorzieningen": "physical",
    "oppervlakte": "other", "postcode": "other", "stedelijkheid": "physical",
    "criminaliteit": "safety",
}.items(), key=lambda item: -len(item[0]))

# Units that R's mangling cannot spell back: the lost character was ² or ³.
_MANGLED_UNITS = {"aantal.inwoners.per.km.": "aantal inwoners per km²", "per.km.": "per km²",
                  "m.": "m³"}


def normalise(text: str) -> str:
    """``'Bevolking/Leeftijdsgroepen/0 tot 15 jaar'`` -> ``'bevolking leeftijdsgroepen 0 tot
    15 jaar'``; the R spelling ``Bevolking.Leeftijdsgroepen.0.tot.15.jaar`` gives the same."""
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def normalise_unit(unit: str) -> str:
    """``'x 1.000 euro'`` and ``'x 1 000 euro'`` are the same unit."""
    return re.sub(r"[\s.]+", " ", unit.lower()).strip()


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return normalise(ascii_text).replace(" ", "_")


def key_stem(key: str) -> str:
    """``'AantalInwoners_5'`` -> ``'AantalInwoners'``: the position suffix changes per table."""
    return re.sub(r"_\d+$", "", key)


@dataclass(frozen=True)
class Header:
    """One CSV header split into its parts."""

    raw: str
    label: str  # the group path and title, readable ("Bevolking/Geslacht/Mannen")
    title: str  # the title without the group path where the path is known ("Mannen")
    unit: str
    norm: str  # normalised label without the unit

    @property
    def readable(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label


def split_header(raw: str) -> Header:
    """Split a StatLine or R-mangled header into label, title and unit.

    >>> h = split_header("Bevolking/Geslacht/Mannen (aantal)"); (h.title, h.unit, h.norm)
    ('Mannen', 'aantal', 'bevolking geslacht mannen')
    >>> h = split_header("Wonen.Woningen.naar.type.Percentage.eengezinswoning....")
    >>> (h.title, h.unit, h.norm)
    ('Woningen naar type Percentage eengezinswoning', '%', 'wonen woningen naar type percentage eengezinswoning')
    """  # noqa: E501
    text = raw.strip()
    statline = re.match(r"^(.*)\(([^()]*)\)\s*$", text)
    if statline and statline.group(1).strip():
        label = re.sub(r"\s+", " ", statline.group(1)).strip()
        unit = statline.group(2).strip()
        return Header(raw, label, label.split("/")[-1].strip(), unit, normalise(label))
    if " " in text or "/" in text or "." not in text:
        return Header(raw, text, text.split("/")[-1].strip(), "", normalise(text))
    # R spelling: "(%)" became "....", " (unit)" became "..unit.".
    if text.endswith("...."):
        label, unit = text.rstrip("."), "%"
    else:
        body = text[:-1] if text.endswith(".") else text
        runs = list(re.finditer(r"\.{2,}(?=[^.])", body))
        if runs:
            cut = runs[-1]
            label, unit_raw = body[:cut.start()], body[cut.end():]
            unit = _MANGLED_UNITS.get(unit_raw, unit_raw.replace(".", " ").strip())
        else:
            label, unit = body, ""
    # "Personenauto's" became "Personenauto.s": the one character R's mangling can undo.
    readable = re.sub(r"\.+", " ", re.sub(r"(?<=[a-z])\.s(?=\.|$)", "'s", label)).strip()
    norm = normalise(readable)
    title = readable
    for group, _theme in GROUP_THEMES:
        if norm.startswith(group + " "):
            # Drop as many words as the group name has: the rest is the title.
            title = " ".join(readable.split(" ")[len(group.split(" ")):])
            break
    return Header(raw, readable, title, unit, norm)


def theme_of(norm_label: str) -> str:
    for group, theme in GROUP_THEMES:
        if norm_label == group or norm_label.startswith(group + " "):
            return theme
    return "other"


@dataclass
class Properties:
    """A KWB OData DataProperties document: the table's column dictionary."""

    file: str
    topics: dict[str, dict] = field(default_factory=dict)  # Key -> entry
    paths: dict[str, str] = field(default_factory=dict)  # Key -> "Group/Subgroup/Title"
    by_label: dict[tuple[str, str], str] = field(default_factory=dict)  # (norm, unit) -> Key
    map_year: int | None = None

    def key_for(self, header: Header) -> str | None:
        return self.by_label.get((header.norm, normalise_unit(header.unit)))


def load_properties(path: Path) -> Properties:
    """Read a DataProperties JSON (a list, or an object with a ``value`` list)."""
    label = file_label(path)
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFailed([Problem(file=label, expected="a DataProperties JSON document "
                                    "(--properties)", found=str(error))]) from None
    entries = doc.get("value") if isinstance(doc, dict) else doc
    if not isinstance(entries, list) or not all(isinstance(e, dict) and "Type" in e
                                                for e in entries):
        raise ImportFailed([Problem(file=label, expected="a list of DataProperties entries "
                                    "with Type, Key and Title (--properties)",
                                    found=type(entries).__name__)])
    props = Properties(file=label)
    by_id = {str(e.get("ID")): e for e in entries}
    for entry in entries:
        if entry["Type"] == "GeoDetail" and entry.get("MapYear"):
            props.map_year = int(str(entry["MapYear"]).strip())
        if entry["Type"] != "Topic" or not entry.get("Key"):
            continue
        titles = [str(entry.get("Title", "")).strip()]
        parent = by_id.get(str(entry.get("ParentID")))
        while parent is not None:
            titles.insert(0, str(parent.get("Title", "")).strip())
            parent = by_id.get(str(parent.get("ParentID")))
        key = entry["Key"]
        props.topics[key] = entry
        props.paths[key] = "/".join(titles)
        unit = normalise_unit(str(entry.get("Unit") or ""))
        props.by_label.setdefault((normalise("/".join(titles)), unit), key)
    return props


def _code_for(prefix: str, text: str) -> str:
    code = f"{prefix}.{text}"
    if len(code) > MAX_CODE:  # keep it unique and stable when shortened
        code = code[:MAX_CODE - 9] + "_" + hashlib.sha1(code.encode()).hexdigest()[:8]  # noqa: S324
    return code


def _is_average(title: str) -> bool:
    return bool(re.match(r"(?i)\s*(gemiddeld|gem\.)", title))


def extra_spec(code: str, *, title: str, unit: str, theme: str, description: str,
               whole_numbers: bool, decimals: int, datatype: str = "") -> IndicatorSpec:
    """The definition of a KWB column that is no core indicator.

    Summed only when it is a count: unit ``aantal``, not an average by its title
    ("Gemiddelde huishoudensgrootte (aantal)" is not summable), whole numbers in the file
    and, where the DataProperties say so, an integer data type. Shares, rates, distances
    and averages are not aggregable (``none``).
    """
    summable = (normalise_unit(unit) == "aantal" and not _is_average(title) and whole_numbers
                and datatype != "Double")
    return IndicatorSpec(
        code=code, name_nl=title[:300] or code, theme=theme, unit=unit[:40],
        source=catalogue.CBS, licence=catalogue.CC_BY, description=description,
        aggregation="sum" if summable else "none", decimals=min(max(decimals, 0), 6),
    )


def csv_indicator(header: Header, props: Properties | None, *, whole_numbers: bool,
                  decimals: int) -> tuple[IndicatorSpec, str | None]:
    """Core indicator or extra definition for a numeric CSV column, and a note if any."""
    unit = normalise_unit(header.unit)
    core = KNOWN_BY_LABEL.get((header.norm, unit))
    if core:
        return catalogue.spec(core), None
    key = props.key_for(header) if props else None
    if key:
        return properties_spec(key, props, whole_numbers=whole_numbers,
                               decimals=decimals), None
    description = f"{catalogue.CBS}: {header.readable}"
    return extra_spec(_code_for("kwb", slug(header.label + " " + header.unit)),
                      title=header.title, unit=header.unit, theme=theme_of(header.norm),
                      description=description, whole_numbers=whole_numbers,
                      decimals=decimals), None


def properties_spec(key: str, props: Properties, *, whole_numbers: bool,
                    decimals: int) -> IndicatorSpec:
    entry = props.topics[key]
    text = str(entry.get("Description") or "").strip()
    description = f"{catalogue.CBS}: {props.paths[key]} ({entry.get('Unit') or ''})"
    if text:
        description += "\n\n" + text
    declared = entry.get("Decimals")
    return extra_spec(_code_for("cbs", key), title=str(entry.get("Title", key)).strip(),
                      unit=str(entry.get("Unit") or ""), theme=theme_of(normalise(
                          props.paths[key])), description=description,
                      whole_numbers=whole_numbers, datatype=str(entry.get("Datatype") or ""),
                      decimals=int(declared) if str(declared).isdigit() else decimals)


def odata_indicator(key: str, props: Properties | None, *, whole_numbers: bool,
                    decimals: int) -> tuple[IndicatorSpec, str | None]:
    """Core indicator or ``cbs.<Key>`` definition for a numeric OData column."""
    stem = key_stem(key)
    entry = props.topics.get(key) if props else None
    if stem in KNOWN_BY_STEM:
        code, unit = KNOWN_BY_STEM[stem]
        declared = normalise_unit(str(entry.get("Unit") or "")) if entry else unit
        if declared == unit:
            return catalogue.spec(code), None
        note = (f"column {key} has unit {declared!r} in the DataProperties, not {unit!r}: "
                f"kept as cbs.{key}, not as {code}")
    else:
        note = None
    if entry is not None:
        return properties_spec(key, props, whole_numbers=whole_numbers,
                               decimals=decimals), note
    # Without DataProperties the unit is unknown; CBS keys of percentages start with P_
    # or Percentage. Unknown units are never summed.
    unit = "%" if re.match(r"P_|Percentage", stem) else ""
    return extra_spec(_code_for("cbs", key), title=key, unit=unit, theme="other",
                      description=f"{catalogue.CBS}: OData column {key}",
                      whole_numbers=False, decimals=decimals), note
