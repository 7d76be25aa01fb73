"""The KWB importer: the real StatLine exports (2024 national, 2017 Amsterdam), OData JSON
built from them, the column dictionary, and malformed input that must change nothing."""

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.areas.models import Area, AreaVersion
from wijkbalans.indicators.importers import kwb
from wijkbalans.indicators.importers.base import ImportFailed
from wijkbalans.indicators.importers.kwb_columns import split_header
from wijkbalans.indicators.models import (
    ImportBatch,
    Indicator,
    Observation,
    ObservationRevision,
)
from wijkbalans.indicators.services import import_file

pytestmark = pytest.mark.django_db

ODATA_KEYS = {  # 2024 StatLine header -> key in the 2024 OData TypedDataSet
    "Wijken en buurten": None,
    "Regioaanduiding/Gemeentenaam (naam)": "Gemeentenaam_1",
    "Regioaanduiding/Soort regio (omschrijving)": "SoortRegio_2",
    "Regioaanduiding/Codering (code)": "Codering_3",
    "Regioaanduiding/Indelingswijziging gemeente, wijk, buurt (code)":
        "IndelingswijzigingGemeenteWijkBuurt_4",
    "Bevolking/Aantal inwoners (aantal)": "AantalInwoners_5",
    "Bevolking/Geslacht/Mannen (aantal)": "Mannen_6",
    "Bevolking/Geslacht/Vrouwen (aantal)": "Vrouwen_7",
    "Bevolking/Leeftijdsgroepen/0 tot 15 jaar (aantal)": "k_0Tot15Jaar_8",
    "Bevolking/Leeftijdsgroepen/15 tot 25 jaar (aantal)": "k_15Tot25Jaar_9",
    "Bevolking/Leeftijdsgroepen/25 tot 45 jaar (aantal)": "k_25Tot45Jaar_10",
    "Bevolking/Leeftijdsgroepen/45 tot 65 jaar (aantal)": "k_45Tot65Jaar_11",
    "Bevolking/Leeftijdsgroepen/65 jaar of ouder (aantal)": "k_65JaarOfOuder_12",
}
HEADER = ";".join(f'"{h}"' for h in list(ODATA_KEYS)[:8])
GOOD_ROWS = [  # invented figures for an invented gemeente
    '"Nederland";"Nederland      ";"Land      ";"NL00      ";".";1000;490;510',
    '"Teststad";"Teststad       ";"Gemeente  ";"GM9901    ";"1";300;140;160',
    '"Wijk 00 Centrum";"Teststad       ";"Wijk      ";"WK990100  ";"1";300;140;160',
    '"Binnenstad";"Teststad       ";"Buurt     ";"BU99010000";"1";200;90;110',
    '"Oost";"Teststad       ";"Buurt     ";"BU99010001";"3";100;50;50',
]


def csv_text(rows=GOOD_ROWS, header=HEADER):
    return "\r\n".join([header, *rows]) + "\r\n"


def write(tmp_path, text, name="kwb.csv", encoding="utf-8-sig"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def snapshot():
    return tuple(model.objects.count() for model in (
        Observation, ObservationRevision, ImportBatch, Area, AreaVersion, Indicator,
        AuditEntry)) + (sorted(Observation.objects.values_list(
            "indicator__code", "area__code", "period", "value", "status")),)


def value(code, area, period="2024"):
    return Observation.objects.get(indicator__code=code, area__code=area, period=period).value


def refused(path, **options):
    """Import that must fail; returns the problems and checks nothing was written."""
    before = snapshot()
    with pytest.raises(ImportFailed) as failed:
        import_file(kind="kwb", path=path, options=options)
    assert snapshot() == before
    return failed.value.problems


@pytest.fixture
def loaded(tmp_path):
    """A database holding one small import, so 'unchanged' is not trivially empty."""
    import_file(kind="kwb", path=write(tmp_path, csv_text(), "base.csv"), options={"year": 2023})
    assert Observation.objects.count() == 5 * 4


@pytest.fixture(scope="module")
def kwb_dir(shared_data) -> Path:
    return shared_data / "cbs-kwb"


@pytest.fixture(scope="module")
def national(kwb_dir):
    """The 2024 national file, parsed once for the checks that need no database."""
    seen = []
    parsed = kwb.parse(kwb_dir / "kwb-2024-nl-bevolking-statline.csv", {"year": 2024},
                       seen.append)
    return parsed, sum(seen)


def odata_records(kwb_dir, gemeente="0014", names=False):
    """The Groningen rows of the real 2024 CSV as a TypedDataSet: keys, padded strings,
    numbers as JSON numbers, null for '.'."""
    frame = pd.read_csv(kwb_dir / "kwb-2024-nl-bevolking-statline.csv", sep=";", dtype=str,
                        keep_default_na=False, encoding="utf-8-sig")
    code = frame["Regioaanduiding/Codering (code)"].str.strip()
    frame = frame[(code.str[2:6] == gemeente) | (code == "NL00")]
    records = []
    for n, row in enumerate(frame.to_dict("records")):
        record = {"ID": n, "WijkenEnBuurten": row["Wijken en buurten"] if names
                  else row["Regioaanduiding/Codering (code)"]}
        for header, key in ODATA_KEYS.items():
            if key is None:
                continue
            raw = row[header]
            if key.startswith(("Gemeentenaam", "SoortRegio", "Codering", "Indeling")):
                record[key] = raw
            else:
                record[key] = None if raw.strip() == "." else int(raw)
        records.append(record)
    return records


# --- the column dictionary ---------------------------------------------------------------

@pytest.mark.parametrize("header, title, unit, norm", [
    ("Bevolking/Aantal inwoners (aantal)", "Aantal inwoners", "aantal",
     "bevolking aantal inwoners"),
    ("Bevolking.Aantal.inwoners..aantal.", "Aantal inwoners", "aantal",
     "bevolking aantal inwoners"),
    ("Bevolking/Bevolking naar herkomst/Herkomstland/Europa (exclusief Nederland)  (aantal)",
     "Europa (exclusief Nederland)", "aantal",
     "bevolking bevolking naar herkomst herkomstland europa exclusief nederland"),
    ("Inkomen.Inkomen.van.personen.Gemiddeld.inkomen.per.inwoner...x.1.000.euro.",
     "Inkomen van personen Gemiddeld inkomen per inwoner", "x 1 000 euro",
     "inkomen inkomen van personen gemiddeld inkomen per inwoner"),
    ("Bevolking.Bevolkingsdichtheid..aantal.inwoners.per.km..", "Bevolkingsdichtheid",
     "aantal inwoners per km²", "bevolking bevolkingsdichtheid"),
    ("Energie.Gemiddeld.aardgasverbruik.Naar.eigendom.Huurwoning..m..",
     "Gemiddeld aardgasverbruik Naar eigendom Huurwoning", "m³",
     "energie gemiddeld aardgasverbruik naar eigendom huurwoning"),
    ("Criminaliteit.Totaal.diefstal.uit.woning.schuur.e.d...per.1.000.inwoners.",
     "Totaal diefstal uit woning schuur e d", "per 1 000 inwoners",
     "criminaliteit totaal diefstal uit woning schuur e d"),
])
def test_headers_split_into_title_unit_and_label(header, title, unit, norm):
    parts = split_header(header)
    assert (parts.title, parts.unit, parts.norm) == (title, unit, norm)


def test_numbers_are_read_as_cbs_writes_them():
    text = pd.Series(["  12", "     2.2", ".", "x", "1,5", "veel", None, "inf", "", "-3"],
                     dtype="string")
    values, status, bad = kwb.parse_numbers(text)
    assert values[[0, 1, 4, 9]].tolist() == [12.0, 2.2, 1.5, -3.0]
    assert status.tolist() == ["value", "value", "missing", "suppressed", "value", "value",
                               "missing", "value", "missing", "value"]
    assert bad.tolist() == [False] * 5 + [True, False, True, False, False]


# --- real data: the 2024 national file --------------------------------------------------

def test_national_2024_parses_every_area_with_names_as_cbs_writes_them(national):
    parsed, progressed = national
    assert progressed == 18310
    levels = pd.Series([a.level for a in parsed.areas]).value_counts().to_dict()
    assert levels == {"land": 1, "gemeente": 342, "wijk": 3393, "buurt": 14574}
    by_code = {a.code: a for a in parsed.areas}
    assert by_code["WK168000"].name == "Wijk 00 Annen"
    assert by_code["NL00"].level == "land" and by_code["NL00"].year == 2024
    # Amsterdam's wijk and buurt codes carry letters since 2022; they are CBS codes too.
    assert by_code["BU0363AA01"].parent_code == "WK0363AA"
    assert by_code["WK0363AA"].parent_code == "GM0363"
    obs = parsed.observations
    assert len(obs) == 18310 * 9 and set(obs["period"]) == {"2024"}
    assert sorted(obs["indicator"].unique()) == sorted([
        "inwoners", "mannen", "vrouwen", "inwoners_0_14", "inwoners_15_24", "inwoners_25_44",
        "inwoners_45_64", "inwoners_65plus", "kwb.indelingswijziging"])
    nl = obs[(obs["area"] == "NL00") & (obs["indicator"] == "kwb.indelingswijziging")]
    assert nl["status"].tolist() == ["missing"] and nl["value"].isna().all()


def test_national_2024_loads_round_trips_and_reimports_as_unchanged(kwb_dir):
    path = kwb_dir / "kwb-2024-nl-bevolking-statline.csv"
    first = import_file(kind="kwb", path=path, options={"year": 2024})
    # NL00 exists before the file's areas are created, so 18,309 of its 18,310 are new.
    assert (first.created, first.updated, first.areas_created) == (18310 * 9, 0, 18309)
    counts = {lv: Area.objects.filter(level=lv).count()
              for lv in ("land", "gemeente", "wijk", "buurt")}
    assert counts == {"land": 1, "gemeente": 342, "wijk": 3393, "buurt": 14574}
    assert value("inwoners", "NL00") == 17942942
    assert value("inwoners", "GM0014") == 243768
    # Binnenstad-Noord, Groningen, straight from the file's row 6384.
    assert [value(code, "BU00140000") for code in (
        "inwoners", "mannen", "vrouwen", "inwoners_0_14", "inwoners_15_24", "inwoners_25_44",
        "inwoners_45_64", "inwoners_65plus", "kwb.indelingswijziging")] == [
        4745, 2470, 2270, 55, 2365, 1540, 455, 330, 1]
    assert AreaVersion.objects.get(area__code="BU0363AA01", year=2024).parent_code == "WK0363AA"
    assert Area.objects.get(code="WK168000").name == "Wijk 00 Annen"
    before = snapshot()
    again = import_file(kind="kwb", path=path, options={"year": 2024})
    assert (again.created, again.updated, again.unchanged) == (0, 0, 18310 * 9)
    assert again.batch_id is None and snapshot() == before


def test_within_imports_one_gemeente_its_wijken_and_buurten(kwb_dir):
    result = import_file(kind="kwb", path=kwb_dir / "kwb-2024-nl-bevolking-statline.csv",
                         options={"year": 2024, "within": "gm0014"})
    counts = {lv: Area.objects.filter(level=lv).count()
              for lv in ("land", "gemeente", "wijk", "buurt")}
    assert counts == {"land": 1, "gemeente": 1, "wijk": 20, "buurt": 151}
    assert result.created == (1 + 1 + 20 + 151) * 9
    assert set(Area.objects.filter(level="buurt").values_list("gemeentecode", flat=True)) == {
        "GM0014"}
    assert Area.objects.get(code="BU00140000").parent.code == "WK001400"
    assert value("inwoners_65plus", "WK001400") == 2155


# --- real data: the 2017 Amsterdam file, R-mangled headers --------------------------------

def test_2017_amsterdam_reads_all_110_columns(kwb_dir):
    path = kwb_dir / "kwb-2017-amsterdam-statline.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        assert len(next(csv.reader(handle))) == 110
    parsed = kwb.parse(path, {"year": 2017}, lambda n: None)
    specs = {s.code: s for s in parsed.indicators}
    # 110 = index + name + gemeentenaam + soort regio + codering + 2 postcode columns
    # + 103 number columns (one of them Indelingswijziging).
    assert len(specs) == 103
    # Codes stay within what the audit log can hold; long labels are shortened stably.
    assert max(len(code) for code in specs) == 80
    obs = parsed.observations
    antillen = obs.loc[obs["column"] == "Bevolking.Personen.met.een.migratieachtergrond.Niet."
                       "westers.Nederlandse.Antillen.en.Aruba..aantal.", "indicator"].unique()
    assert len(antillen) == 1 and len(antillen[0]) == 80
    assert specs[antillen[0]].name_nl.endswith("Nederlandse Antillen en Aruba")
    assert {"inwoners", "huishoudens", "woningen", "woz_waarde", "inkomen_per_inwoner",
            "laag_inkomen_hh_pct", "corporatiewoningen_pct"} <= set(specs)
    assert "bijstand_per_1000" not in specs  # KWB gives a count of people, not a rate
    bijstand = specs["kwb.sociale_zekerheid_personen_per_soort_uitkering_bijstand_aantal"]
    assert (bijstand.unit, bijstand.aggregation) == ("aantal", "sum")
    size = specs["kwb.bevolking_particuliere_huishoudens_gemiddelde_huishoudensgrootte_aantal"]
    assert (size.name_nl, size.aggregation, size.decimals) == (
        "Particuliere huishoudens Gemiddelde huishoudensgrootte", "none", 1)
    share = specs["kwb.wonen_woningen_naar_type_percentage_eengezinswoning"]
    assert (share.unit, share.aggregation, share.theme) == ("%", "none", "housing")
    assert specs["kwb.bevolking_burgerlijke_staat_ongehuwd_aantal"].source == (
        "CBS Kerncijfers wijken en buurten")


def test_2017_amsterdam_values_round_trip(kwb_dir):
    import_file(kind="kwb", path=kwb_dir / "kwb-2017-amsterdam-statline.csv",
                options={"year": 2017})
    assert Area.objects.filter(level="buurt").count() == 479
    assert value("inwoners", "GM0363", "2017") == 844947
    assert value("inwoners", "WK036300", "2017") == 4245
    size = "kwb.bevolking_particuliere_huishoudens_gemiddelde_huishoudensgrootte_aantal"
    assert value(size, "NL00", "2017") == 2.2  # written as "     2.2"
    assert value(size, "GM0363", "2017") == 1.8
    assert value("woz_waarde", "GM0363", "2017") == 290
    assert value("laag_inkomen_hh_pct", "GM0363", "2017") == 13.7
    hoek = Observation.objects.get(
        indicator__code="kwb.energie_gemiddeld_elektriciteitsverbruik_naar_woningtype_"
        "hoekwoning_kwh", area__code="BU03630002", period="2017")
    assert (hoek.value, hoek.status) == (None, "missing")  # "       ." in the file


def test_2017_modified_copy_updates_values_and_keeps_history(kwb_dir, tmp_path):
    path = kwb_dir / "kwb-2017-amsterdam-statline.csv"
    first = import_file(kind="kwb", path=path, options={"year": 2017})
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[1].startswith('"1","Nederland"') and ',"     2.2",' in lines[1]
    assert lines[2].startswith('"2","Amsterdam"') and ",844947," in lines[2]
    lines[1] = lines[1].replace(',"     2.2",', ',"     2.3",', 1)
    lines[2] = lines[2].replace(",844947,", ",844950,", 1)
    changed = write(tmp_path, "\n".join(lines), "kwb-2017-changed.csv", "utf-8")
    second = import_file(kind="kwb", path=changed, options={"year": 2017})
    assert (second.created, second.updated, second.unchanged) == (0, 2, first.created - 2)
    assert value("inwoners", "GM0363", "2017") == 844950
    old = dict(ObservationRevision.objects.values_list("indicator__code", "value"))
    assert old == {"inwoners": 844947,
                   "kwb.bevolking_particuliere_huishoudens_gemiddelde_huishoudensgrootte_aantal":
                   2.2}
    assert set(ObservationRevision.objects.values_list("batch_id", "replaced_by_id")) == {
        (first.batch_id, second.batch_id)}


def test_herkomst_file_without_codes_is_refused(kwb_dir):
    problems = refused(kwb_dir / "kwb-2024-nl-herkomst-statline.csv", year=2024)
    assert len(problems) == 1
    text = str(problems[0])
    assert "Codering" in text and "position" in text and "cannot be imported on" in text


# --- OData TypedDataSet JSON -------------------------------------------------------------

def test_odata_json_gives_exactly_the_csv_values(kwb_dir, tmp_path):
    props = kwb_dir / "kwb-2024-odata-DataProperties.json"
    records = odata_records(kwb_dir)
    assert len(records) == 1 + 1 + 20 + 151
    path = write(tmp_path, json.dumps({"odata.metadata": "x", "value": records}), "t.json",
                 "utf-8")
    from_csv = import_file(kind="kwb", path=kwb_dir / "kwb-2024-nl-bevolking-statline.csv",
                           options={"year": 2024, "within": "GM0014"})
    before = snapshot()
    # No --year: the DataProperties' MapYear says 2024. Same codes, values and areas.
    from_json = import_file(kind="kwb", path=path, options={"properties": str(props)})
    assert (from_json.created, from_json.updated, from_json.unchanged) == (
        0, 0, from_csv.created)
    assert from_json.areas_created == 0 and from_json.areas_updated == 0
    assert snapshot() == before
    assert Area.objects.get(code="BU00140000").name == "Binnenstad-Noord"


def test_odata_plain_list_with_names_parses_like_the_csv(kwb_dir, tmp_path):
    path = write(tmp_path, json.dumps(odata_records(kwb_dir, names=True)), "t.json", "utf-8")
    parsed = kwb.parse(path, {"year": 2024}, lambda n: None)
    from_csv = kwb.parse(kwb_dir / "kwb-2024-nl-bevolking-statline.csv",
                         {"year": 2024, "within": "GM0014"}, lambda n: None)
    key = ["indicator", "area", "period"]
    left = parsed.observations.sort_values(key).reset_index(drop=True)
    right = from_csv.observations.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(left[key + ["value", "status"]],
                                  right[key + ["value", "status"]])
    assert [(a.code, a.name, a.level) for a in parsed.areas] == [
        (a.code, a.name, a.level) for a in from_csv.areas]


def test_odata_other_keys_are_kept_under_their_cbs_key(kwb_dir, tmp_path):
    records = [{"WijkenEnBuurten": "GM9901    ", "Codering_3": "GM9901    ",
                "AantalInwoners_5": 300, "Ongehuwd_13": 120, "GemiddeldeHuishoudensgrootte_33":
                2.1, "HuishoudensMetEenLaagInkomen_89": None}]
    path = write(tmp_path, json.dumps({"value": records}), "t.json", "utf-8")
    props = kwb_dir / "kwb-2024-odata-DataProperties.json"
    specs = {s.code: s for s in kwb.parse(path, {"properties": str(props)},
                                          lambda n: None).indicators}
    assert set(specs) == {"inwoners", "cbs.Ongehuwd_13", "cbs.GemiddeldeHuishoudensgrootte_33",
                          "laag_inkomen_hh_pct"}
    assert (specs["cbs.Ongehuwd_13"].name_nl, specs["cbs.Ongehuwd_13"].aggregation) == (
        "Ongehuwd", "sum")
    assert specs["cbs.GemiddeldeHuishoudensgrootte_33"].aggregation == "none"
    assert "burgerlijke staat ongehuwd" in specs["cbs.Ongehuwd_13"].description.lower()
    # Without the DataProperties the unit is unknown: kept, never summed; --year needed.
    problems = refused(path)
    assert "--year" in str(problems[0])
    bare = {s.code: s for s in kwb.parse(path, {"year": 2024}, lambda n: None).indicators}
    assert bare["cbs.Ongehuwd_13"].aggregation == "none"


def test_csv_columns_take_their_key_from_the_data_properties(kwb_dir, tmp_path):
    header = HEADER + ';"Bevolking/Burgerlijke staat/Ongehuwd (aantal)"'
    path = write(tmp_path, csv_text([r + ";40" for r in GOOD_ROWS], header))
    props = kwb_dir / "kwb-2024-odata-DataProperties.json"
    with_props = kwb.parse(path, {"year": 2024, "properties": str(props)}, lambda n: None)
    assert "cbs.Ongehuwd_13" in {s.code for s in with_props.indicators}
    without = kwb.parse(path, {"year": 2024}, lambda n: None)
    assert "kwb.bevolking_burgerlijke_staat_ongehuwd_aantal" in {
        s.code for s in without.indicators}


# --- formats that must be accepted -------------------------------------------------------

def test_comma_separated_r_style_export_with_padded_numbers(loaded, tmp_path):
    text = ('"","Wijken.en.buurten","Regioaanduiding.Soort.regio..omschrijving.",'
            '"Regioaanduiding.Codering..code.","Bevolking.Aantal.inwoners..aantal.",'
            '"Bevolking.Particuliere.huishoudens.Gemiddelde.huishoudensgrootte..aantal.",'
            '"Criminaliteit.Vernieling..misdrijf.tegen.openbare.orde..per.1.000.inwoners."\n'
            '"1","Teststad","Gemeente  ","GM9901    ",300,"     2.2",""\n'
            '"2","Oost","Buurt     ","BU99010001",100,"       .",""\n')
    result = import_file(kind="kwb", path=write(tmp_path, text, encoding="utf-8"),
                         options={"year": 2023})
    assert result.updated == 0 and result.unchanged == 2
    size = "kwb.bevolking_particuliere_huishoudens_gemiddelde_huishoudensgrootte_aantal"
    assert value(size, "GM9901", "2023") == 2.2
    # An entirely empty column is no error: every value is missing.
    crime = Observation.objects.filter(indicator__code__startswith="kwb.criminaliteit")
    assert set(crime.values_list("status", "value")) == {("missing", None)}
    assert Indicator.objects.get(code=size).aggregation == "none"


def test_cp1252_file_falls_back_with_a_note(tmp_path):
    rows = [GOOD_ROWS[0], '"Súdwest-Fryslân";"Súdwest-Fryslân";"Gemeente  ";"GM1900    ";"1";'
            "90000;45000;45000"]
    result = import_file(kind="kwb", path=write(tmp_path, csv_text(rows), encoding="cp1252"),
                         options={"year": 2024})
    assert Area.objects.get(code="GM1900").name == "Súdwest-Fryslân"
    assert any("cp1252" in note and "line 3" in note for note in result.notes)


def test_command_line_imports_with_options(tmp_path, capsys):
    from django.core.management import call_command

    call_command("import_data", "kwb", str(write(tmp_path, csv_text())), "--year", "2024",
                 "--within", "GM9901", "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["created"] == 5 * 4 and out["areas_created"] == 4  # NL00 existed


# --- malformed input: refused whole, the database exactly as it was ----------------------

def test_empty_and_blank_files_are_refused(loaded, tmp_path):
    assert "empty" in str(refused(write(tmp_path, b"", "empty.csv"), year=2024)[0])
    assert "white space" in str(refused(write(tmp_path, "\ufeff\r\n  \r\n"), year=2024)[0])
    assert "no data rows" in str(refused(write(tmp_path, HEADER + "\r\n"), year=2024)[0])


def test_truncated_file_names_the_cut_row(loaded, tmp_path):
    text = csv_text()
    problems = refused(write(tmp_path, text[:text.rindex(";100;") + 3]), year=2024)
    assert [(p.row, p.file) for p in problems] == [(6, "kwb.csv")]
    assert "8 fields" in problems[0].expected and "cut off" in problems[0].expected
    cut_in_quotes = text[:text.rindex('"Oost";"Teststad') + 12]
    problems = refused(write(tmp_path, cut_in_quotes), year=2024)
    assert problems[0].row == 6 and "cut off" in problems[0].expected


def test_tab_separated_file_is_refused(loaded, tmp_path):
    text = csv_text().replace(";", "\t")
    problems = refused(write(tmp_path, text), year=2024)
    assert problems[0].row == 1 and "separated by tabs" in problems[0].expected


def test_file_that_parses_into_one_column_is_refused(loaded, tmp_path):
    problems = refused(write(tmp_path, "Kerncijfers wijken en buurten\r\nGM9901 300\r\n"),
                       year=2024)
    assert "does not split into columns" in problems[0].expected


def test_invalid_utf8_with_explicit_encoding_is_refused(loaded, tmp_path):
    path = write(tmp_path, csv_text().replace("Oost", "Noordoosté"), encoding="cp1252")
    problems = refused(path, year=2024, encoding="utf-8")
    assert problems[0].row == 6 and "0xe9" in problems[0].found


def test_utf16_file_is_refused(loaded, tmp_path):
    problems = refused(write(tmp_path, csv_text(), encoding="utf-16"), year=2024)
    assert "UTF-16" in problems[0].expected


def test_text_in_a_number_column_names_row_column_and_text(loaded, tmp_path):
    rows = list(GOOD_ROWS)
    rows[3] = rows[3].replace(";200;", ";veel;")
    problems = refused(write(tmp_path, csv_text(rows)), year=2024)
    assert [(p.row, p.column, p.found) for p in problems] == [
        (5, "Bevolking/Aantal inwoners (aantal)", "veel")]
    assert "kwb.csv, row 5, column 'Bevolking/Aantal inwoners (aantal)'" in str(problems[0])


def test_malformed_area_code_is_refused(loaded, tmp_path):
    rows = list(GOOD_ROWS)
    rows[3] = rows[3].replace("BU99010000", "BU0014    ")
    problems = refused(write(tmp_path, csv_text(rows)), year=2024)
    assert [(p.row, p.column, p.found.strip()) for p in problems] == [
        (5, "Regioaanduiding/Codering (code)", "BU0014")]
    assert "CBS area code" in problems[0].expected


def test_duplicate_rows_are_refused(loaded, tmp_path):
    problems = refused(write(tmp_path, csv_text([*GOOD_ROWS, GOOD_ROWS[3]])), year=2024)
    assert [(p.row, p.found) for p in problems] == [(7, "BU99010000")]
    assert "also on row 5" in problems[0].expected


def test_file_without_code_column_is_refused(loaded, tmp_path):
    header = '"Wijken en buurten";"Bevolking/Aantal inwoners (aantal)"'
    problems = refused(write(tmp_path, csv_text(['"Teststad";300'], header)), year=2024)
    assert "Codering" in problems[0].expected and "position" in problems[0].expected


def test_level_that_disagrees_with_the_code_is_refused(loaded, tmp_path):
    rows = list(GOOD_ROWS)
    rows[2] = rows[2].replace('"Wijk      "', '"Buurt     "')
    problems = refused(write(tmp_path, csv_text(rows)), year=2024)
    assert [(p.row, p.found) for p in problems] == [(4, "Buurt")]


@pytest.mark.parametrize("content, expected", [
    ('{"value": [{"Codering_3": "GM9901", ', "valid JSON"),
    ("not json at all", "valid JSON"),
    ('{"value": []}', "at least one record"),
    ('{"odata.metadata": "x"}', "'value' list"),
    ("[1, 2]", "each record a JSON object"),
])
def test_bad_json_is_refused(loaded, tmp_path, content, expected):
    problems = refused(write(tmp_path, content, "t.json", "utf-8"), year=2024)
    assert expected in problems[0].expected


def test_csv_without_year_and_bad_options_are_refused(loaded, tmp_path):
    path = write(tmp_path, csv_text())
    assert "StatLine CSV does not say" in str(refused(path)[0])
    assert "a year such as 2024" in str(refused(path, year="twenty")[0])
    assert "gemeente code" in str(refused(path, year=2024, within="WK990100")[0])
    assert "not in the file" in str(refused(path, year=2024, within="GM0014")[0])
    props = write(tmp_path, "[1]", "props.json", "utf-8")
    assert "DataProperties" in str(refused(path, year=2024, properties=str(props))[0])
