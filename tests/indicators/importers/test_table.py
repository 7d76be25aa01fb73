"""The table importer (and the CSV/XLSX reading it shares): wide and long tables of
values per area and period, their malformed variants, and two real national files."""

import importlib.util
import io
import json
import math
import time

import pandas as pd
import pytest
from django.core.management import call_command

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.areas.models import Area, AreaVersion
from wijkbalans.areas.services import areas_register
from wijkbalans.indicators import importers
from wijkbalans.indicators.importers import table, tabular
from wijkbalans.indicators.importers.base import AreaRecord, ImportFailed, parse_number
from wijkbalans.indicators.models import ImportBatch, Indicator, Observation
from wijkbalans.indicators.services import import_file

pytestmark = pytest.mark.django_db

GM, WK, BU1, BU2 = "GM0014", "WK001401", "BU00140101", "BU00140102"
WIDE = ("buurtcode;naam;jaar;inwoners;Aandeel groen (%);Woningen per ha\n"
        "BU00140101  ;Oosterpoort;2024;1200;12,5;.\n"
        "bu00140102;Zeeheldenbuurt;2024;800;x;40\n"
        "GM0014;Groningen;2023;243000;7,25;12\n")


def register():
    areas_register(records=[AreaRecord(code=c, name=c, level=lvl, year=2024) for c, lvl in
                            ((GM, "gemeente"), (WK, "wijk"), (BU1, "buurt"), (BU2, "buurt"))])


def write(tmp_path, text, name="tabel.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def snapshot():
    return tuple(model.objects.count() for model in
                 (Observation, ImportBatch, Indicator, Area, AreaVersion, AuditEntry))


def stored():
    return {(o.indicator.code, o.area.code, o.period): (o.value, o.status) for o in
            Observation.objects.select_related("indicator", "area")}


def parse(path, **options):
    return table.parse(path, options, lambda n: None)


def failing(path, **options):
    register()
    before = snapshot()
    with pytest.raises(ImportFailed) as failed:
        import_file(kind="table", path=path, options=options)
    assert snapshot() == before
    return failed.value.problems


# --- reading ---------------------------------------------------------------------------

def test_sniff_separator_and_periods():
    assert tabular.sniff_separator("a;b;c\n1;2;3") == (";", 3)
    assert tabular.sniff_separator('"a,b";c\n') == (";", 2)
    assert tabular.sniff_separator("a\tb\n") == ("\t", 2)
    assert tabular.sniff_separator("a,b,c\n") == (",", 3)
    got = [tabular.normalise_period(p) for p in
           ("2024", "2024-Q1", "2024q1", "2024KW04", "2024-03", "2024MM12", "2024JJ00", 2024.0,
            "2024-13", "2024-Q5", "24", "1850", "")]
    assert got == ["2024", "2024-Q1", "2024-Q1", "2024-Q4", "2024-03", "2024-12", "2024",
                   "2024", None, None, None, None, None]


def test_parse_numbers_agrees_with_parse_number():
    cells = pd.Series(["12,5", " 3 ", ".", "", "x", "veel", "1.234", "-2", None, float("nan"),
                       7, 2.5, "1.234,5", "NA"], dtype=object)
    values, statuses = tabular.parse_numbers(cells)
    for cell, value, status in zip(cells, values, statuses, strict=True):
        want_value, want_status = parse_number(cell)
        assert status == want_status
        assert (math.isnan(value) and want_value is None) or value == want_value


# --- wide and long files -----------------------------------------------------------------

def test_wide_csv_with_decimal_comma_missing_and_suppressed(tmp_path):
    register()
    result = import_file(kind="table", path=write(tmp_path, WIDE),
                         options={"source": "Gemeente Groningen"})
    assert result.created == 9 and result.rejected == 0
    got = stored()
    assert got[("inwoners", BU1, "2024")] == (1200.0, "value")
    assert got[("table.aandeel_groen", BU1, "2024")] == (12.5, "value")
    assert got[("table.aandeel_groen", BU2, "2024")] == (None, "suppressed")
    assert got[("table.woningen_per_ha", BU1, "2024")] == (None, "missing")
    assert got[("table.aandeel_groen", GM, "2023")] == (7.25, "value")
    assert any("naam" in note for note in result.notes)
    # 'inwoners' is a catalogue code: its definition, not a new one.
    assert Indicator.objects.get(code="inwoners").aggregation == "sum"
    new = Indicator.objects.get(code="table.aandeel_groen")
    assert (new.name_nl, new.source, new.aggregation) == ("Aandeel groen (%)",
                                                          "Gemeente Groningen", "none")
    again = import_file(kind="table", path=write(tmp_path, WIDE))
    assert (again.created, again.unchanged, again.batch_id) == (0, 9, None)


def test_long_csv_normalises_periods(tmp_path):
    register()
    text = ("gebiedcode,periode,indicator,waarde\n"
            "BU00140101,2024,Meldingen overlast,3\n"
            "BU00140101,2024-Q1,Meldingen overlast,1\n"
            "BU00140101,2024Q2,Meldingen overlast,2\n"
            "BU00140101,2024-03,Meldingen overlast,1\n"
            "BU00140102,2023JJ00,Meldingen overlast,4\n"
            "BU00140102,2023JJ00,inwoners,800\n")
    parsed = parse(write(tmp_path, text), indicator_column="indicator", prefix="gem.")
    obs = parsed.observations
    assert obs["period"].tolist() == ["2024", "2024-Q1", "2024-Q2", "2024-03", "2023", "2023"]
    assert obs["indicator"].tolist() == ["gem.meldingen_overlast"] * 5 + ["inwoners"]
    assert obs["row"].tolist() == [2, 3, 4, 5, 6, 7]
    assert set(obs["column"]) == {"waarde"}


def test_fixed_period_and_indicators_file(tmp_path):
    register()
    spec_file = tmp_path / "indicatoren.json"
    spec_file.write_text(json.dumps([
        {"code": "groen_pct", "column": "Aandeel groen (%)", "name_nl": "Aandeel groen",
         "name_en": "Green space", "unit": "%", "polarity": "higher_better",
         "aggregation": "weighted_mean", "denominator": "inwoners", "theme": "physical",
         "decimals": 1}]), encoding="utf-8")
    text = ("code;Aandeel groen (%);Woningen;Bomen\n"
            "BU00140101;12,5;500;12\nBU00140102;30;400;7\n")
    result = import_file(kind="table", path=write(tmp_path, text),
                         options={"period": "2024Q3", "indicators_file": str(spec_file)})
    assert result.created == 6
    assert stored()[("groen_pct", BU2, "2024-Q3")] == (30.0, "value")
    assert stored()[("table.bomen", BU1, "2024-Q3")] == (12.0, "value")
    # 'Woningen' slugs to the catalogue code 'woningen': the catalogue's definition.
    assert stored()[("woningen", BU1, "2024-Q3")] == (500.0, "value")
    assert Indicator.objects.get(code="woningen").name_nl == "Woningvoorraad"
    spec = Indicator.objects.get(code="groen_pct")
    assert (spec.polarity, spec.aggregation, spec.denominator, spec.decimals) == (
        "higher_better", "weighted_mean", "inwoners", 1)


def test_indicators_file_as_csv(tmp_path):
    specs = write(tmp_path, "code;name_nl;unit;aggregation\ntable.bomen;Bomen;aantal;sum\n",
                  name="specs.csv")
    parsed = parse(write(tmp_path, "code;Bomen\nBU00140101;500\n"), period="2024",
                   indicators_file=str(specs))
    assert [(s.code, s.name_nl, s.aggregation) for s in parsed.indicators] == [
        ("table.bomen", "Bomen", "sum")]


def test_xlsx_with_sheet_and_numbers(tmp_path):
    register()
    path = tmp_path / "tabel.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="Toelichting", index=False)
        pd.DataFrame({"Codering": [BU1, BU2], "Perioden": [2024, 2024],
                      "Score": [0.25, None]}).to_excel(writer, sheet_name="Data", index=False)
    result = import_file(kind="table", path=path, options={"sheet": "Data"})
    assert result.created == 2
    assert stored()[("table.score", BU1, "2024")] == (0.25, "value")
    assert stored()[("table.score", BU2, "2024")] == (None, "missing")


def test_windows_1252_file_is_read_with_a_note(tmp_path):
    text = "code;periode;Café's per 1.000 inwoners\nBU00140101;2024;2,5\n"
    parsed = parse(write(tmp_path, text, encoding="cp1252"))
    assert parsed.indicators[0].name_nl == "Café's per 1.000 inwoners"
    assert parsed.indicators[0].code == "table.cafe_s_per_1_000_inwoners"
    assert any("Windows-1252" in note for note in parsed.notes)


def test_command_json(tmp_path, monkeypatch):
    for kind, module in list(importers.KINDS.items()):
        if importlib.util.find_spec(module) is None:
            monkeypatch.delitem(importers.KINDS, kind)
    register()
    out = io.StringIO()
    call_command("import_data", "table", str(write(tmp_path, WIDE)), "--format", "json",
                 "--skip-columns", "Woningen per ha", stdout=out)
    payload = json.loads(out.getvalue())
    assert (payload["ok"], payload["created"]) == (True, 6)


# --- malformed input: each is refused and leaves the database as it was -----------------

def test_unknown_area_code_names_row_and_code(tmp_path):
    problems = failing(write(tmp_path, WIDE.replace("bu00140102", "BU00149999")))
    assert {(p.row, p.found) for p in problems} == {(3, "BU00149999")}
    assert "import the areas first" in problems[0].expected


def test_malformed_area_code(tmp_path):
    problems = failing(write(tmp_path, WIDE.replace("GM0014;", "Groningen;")))
    assert [(p.row, p.column, p.found) for p in problems] == [(4, "buurtcode", "Groningen")]


def test_text_in_a_number_column(tmp_path):
    problems = failing(write(tmp_path, WIDE.replace(";40\n", ";veertig\n")))
    assert [(p.row, p.column, p.found) for p in problems] == [(3, "Woningen per ha",
                                                               "veertig")]


def test_malformed_period(tmp_path):
    problems = failing(write(tmp_path, WIDE.replace(";2023;", ";23-24;")))
    assert [(p.row, p.column, p.found) for p in problems] == [(4, "jaar", "23-24")]
    bad_fixed = failing(write(tmp_path, "code;v\nBU00140101;1\n"), period="vorig jaar")
    assert bad_fixed[0].column == "--period"


def test_missing_area_column(tmp_path):
    problems = failing(write(tmp_path, "wijk;jaar;v\nOosterpoort;2024;1\n"))
    assert problems[0].row == 1 and "area codes" in problems[0].expected
    named = failing(write(tmp_path, WIDE), area_column="gebied")
    assert (named[0].column, named[0].found) == ("gebied", "no such column")


def test_missing_period(tmp_path):
    problems = failing(write(tmp_path, "code;v\nBU00140101;1\n"))
    assert "--period" in problems[0].expected


def test_duplicate_rows(tmp_path):
    problems = failing(write(tmp_path, WIDE + "BU00140101;Oosterpoort;2024;1;2;3\n"))
    assert {p.row for p in problems} == {5}
    assert all("duplicate" in p.expected for p in problems)


def test_header_only(tmp_path):
    problems = failing(write(tmp_path, WIDE.splitlines()[0] + "\n"))
    assert "at least one record" in problems[0].expected


def test_latin1_bytes_with_utf8_forced(tmp_path):
    text = "code;periode;v\nBU00140101;2024;1\nBU00140102;2024;Café\n"
    problems = failing(write(tmp_path, text, encoding="latin-1"), encoding="utf-8")
    assert (problems[0].row, problems[0].found) == (3, "\\xe9\\n")
    assert "utf-8" in problems[0].expected


def test_utf16_file(tmp_path):
    problems = failing(write(tmp_path, WIDE, encoding="utf-16"))
    assert "UTF-16" in problems[0].expected


def test_xlsx_that_is_not_an_xlsx(tmp_path):
    problems = failing(write(tmp_path, WIDE, name="tabel.xlsx"))
    assert "workbook" in problems[0].expected


def test_unknown_sheet(tmp_path):
    path = tmp_path / "tabel.xlsx"
    pd.DataFrame({"code": [BU1], "jaar": [2024], "v": [1]}).to_excel(path, index=False)
    problems = failing(path, sheet="Data")
    assert (problems[0].found, "sheet" in problems[0].expected) == ("Data", True)


def test_wide_file_without_numeric_columns(tmp_path):
    problems = failing(write(tmp_path, "code;jaar;naam\nBU00140101;2024;Oosterpoort\n"))
    assert "at least one column of numbers" in problems[0].expected
    assert "naam" in problems[0].found


def test_bad_indicators_file(tmp_path):
    specs = write(tmp_path, "code,name_nl,polarity\ngroen,Groen,better\n", name="specs.csv")
    problems = failing(write(tmp_path, WIDE), indicators_file=str(specs))
    assert [(p.file, p.row, p.column, p.found) for p in problems] == [
        ("specs.csv", 2, "polarity", "better")]


def test_columns_that_give_the_same_code(tmp_path):
    problems = failing(write(tmp_path, "code;jaar;A b;a-b\nBU00140101;2024;1;2\n"))
    assert [(p.column, p.found) for p in problems] == [("a-b", "table.a_b")]


# --- real national files ----------------------------------------------------------------

def test_real_rivm_workbook(shared_data, tmp_path):
    path = shared_data / "rivm-gezondheidsmonitor" / "RIVM_gezondheid2020_18plus.xlsx"
    raw = pd.read_excel(path, engine="calamine", dtype=object,
                        usecols=["Codering_3", "ErvarenGezondheidGoedZeerGoed_4"])
    specs = write(tmp_path, "column,code,name_nl\nMoeiteMetRondkomen_38,moeite_rondkomen_pct,"
                  "Moeite met rondkomen\n", name="specs.csv")
    started = time.perf_counter()
    parsed = parse(path, skip_columns="ID,Leeftijd", indicators_file=str(specs))
    print(f"\nparse of the RIVM 2020 workbook: {time.perf_counter() - started:.2f} s")
    obs = parsed.observations
    # Of the 43 columns, 11 are not indicators: ID and Leeftijd (skipped), the period,
    # the code, four text columns, and three columns that are empty in 2020.
    assert len(parsed.indicators) == 32 and len(obs) == 17_341 * 32
    assert ("skipped empty columns: LopenEnOfFietsenNaarSchoolOfWerk_34, "
            "LopenNaarSchoolOfWerk_35, FietsenNaarSchoolOfWerk_36") in parsed.notes
    assert ("skipped columns without numbers: Marges, WijkenEnBuurten, Gemeentenaam_1, "
            "SoortRegio_2") in parsed.notes
    assert set(obs["period"]) == {"2020"}
    assert "NL01" not in set(obs["area"]) and "NL00" in set(obs["area"])
    groningen = obs[(obs["area"] == "GM0014")].set_index("indicator")
    assert groningen.at["table.ervarengezondheidgoedzeergoed_4", "value"] == 79.9
    # Mapped onto the catalogue code, whose definition (weighted mean) is used.
    assert groningen.at["moeite_rondkomen_pct", "value"] == 17.5
    by_code = {spec.code: spec for spec in parsed.indicators}
    assert by_code["moeite_rondkomen_pct"].aggregation == "weighted_mean"
    assert groningen.at["table.ernstigegeluidhinderdoorburen_37", "value"] == 9.5
    column = "table.ervarengezondheidgoedzeergoed_4"
    missing = (obs["indicator"] == column) & (obs["status"] == "missing")
    cells = raw["ErvarenGezondheidGoedZeerGoed_4"]
    assert missing.sum() == (cells.isna() | (cells.astype(str).str.strip() == ".")).sum()


def test_real_statline_csv_national(shared_data):
    path = shared_data / "cbs-kwb" / "kwb-2024-nl-bevolking-statline.csv"
    raw = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    started = time.perf_counter()
    parsed = parse(path, period="2024", skip_columns=[
        "Regioaanduiding/Indelingswijziging gemeente, wijk, buurt (code)"])
    print(f"\nparse of the national StatLine file: {time.perf_counter() - started:.2f} s")
    obs = parsed.observations
    assert len(raw) == 18_310 and len(obs) == 18_310 * 8
    assert (obs["status"] == "value").all()
    # Amsterdam's codes carry letters (WK0363EM); they are CBS codes all the same.
    assert "BU0363EM01" in set(obs["area"])
    by_key = obs.set_index(["indicator", "area"])["value"]
    assert by_key["table.bevolking_aantal_inwoners_aantal", "GM0014"] == 243_768
    assert by_key["table.bevolking_leeftijdsgroepen_65_jaar_of_ouder_aantal", "NL00"] == (
        3_677_228)  # both checked by hand in the file
    column = "Bevolking/Geslacht/Vrouwen (aantal)"
    total = pd.to_numeric(raw.loc[raw["Regioaanduiding/Soort regio (omschrijving)"]
                                  .str.strip() == "Buurt", column]).sum()
    buurten = obs[obs["area"].str.startswith("BU") & (obs["column"] == column)]
    assert buurten["value"].sum() == total
