"""The RIVM Gezondheidsmonitor importer: the three national files, small tables, and
malformed input."""

import json
import os
import time

import openpyxl
import pandas as pd
import pytest
from django.core.management import call_command
from django.db.models import Count

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.areas.models import Area, AreaVersion
from wijkbalans.areas.services import areas_register
from wijkbalans.indicators.importers import rivm
from wijkbalans.indicators.importers.base import AreaRecord, ImportFailed, no_progress
from wijkbalans.indicators.models import ImportBatch, Indicator, Observation
from wijkbalans.indicators.services import import_file

pytestmark = pytest.mark.django_db

YEARS = (2012, 2016, 2020)
HEADER = ["ID", "Leeftijd", "Marges", "WijkenEnBuurten", "Perioden", "Gemeentenaam_1",
          "SoortRegio_2", "Codering_3", "ErvarenGezondheidGoedZeerGoed_4", "Roker_11",
          "LopenNaarSchoolOfWerk_35"]


def name_of(year):
    return f"RIVM_gezondheid{year}_18plus.xlsx"


@pytest.fixture(scope="module")
def frames(shared_data):
    """Each national file read once for the module (calamine, about a second each)."""
    folder = shared_data / "rivm-gezondheidsmonitor"
    return {name_of(y): rivm.read_table(folder / name_of(y)) for y in YEARS}


@pytest.fixture
def national(frames, shared_data, monkeypatch):
    """The national files' paths, their reading served from the module's copies."""
    real = rivm.read_table
    monkeypatch.setattr(rivm, "read_table", lambda path: frames[path.name].copy()
                        if path.name in frames else real(path))
    return {y: shared_data / "rivm-gezondheidsmonitor" / name_of(y) for y in YEARS}


def snapshot():
    return tuple(model.objects.count() for model in
                 (Observation, ImportBatch, Area, AreaVersion, Indicator, AuditEntry))


def value(code, area, period="2020"):
    return Observation.objects.get(indicator__code=code, area__code=area, period=period).value


def line(code, soort, gemeente="Groningen", period="2020JJ00", health="79.9", roker="24.1",
         marges="MW00000", age="20300", walk=""):
    """A row as the OData dump writes it: codes and names padded."""
    return [1, age, marges, code.ljust(10), period, gemeente.ljust(40), soort.ljust(10),
            code.ljust(20), health, roker, walk]


def write_csv(tmp_path, rows, name="rivm.csv", header=HEADER, sep=";"):
    path = tmp_path / name
    text = "\n".join(sep.join(str(c) for c in r) for r in [header] + rows) + "\n"
    path.write_text("\ufeff" + text, encoding="utf-8")
    return path


def write_xlsx(tmp_path, rows, name="rivm.xlsx", header=HEADER):
    path = tmp_path / name
    book = openpyxl.Workbook()
    for r in [header] + rows if header else rows:
        book.active.append(r)
    book.save(path)
    return path


@pytest.fixture
def seeded(tmp_path):
    """A database with RIVM figures in it, so a refused file must leave it exactly so."""
    import_file(kind="rivm", path=write_csv(tmp_path, [line("GM0014", "Gemeente"),
                                                        line("BU00140000", "Buurt")],
                                            name="seed.csv"))
    return snapshot()


def refused(path, seeded, **options):
    with pytest.raises(ImportFailed) as failed:
        import_file(kind="rivm", path=path, options=options)
    assert snapshot() == seeded
    return failed.value.problems


# -- the national files -----------------------------------------------------------------

def test_2020_file_has_one_area_per_row_at_every_level(frames):
    frame = frames[name_of(2020)]
    by_kind = frame["SoortRegio_2"].str.strip().value_counts().to_dict()
    assert by_kind == {"Buurt": 13808, "Wijk": 3177, "Gemeente": 355, "Land": 1}
    parsed = rivm.parse_frame(frame.copy(), name_of(2020), {}, no_progress)
    levels = pd.Series([a.level for a in parsed.areas]).value_counts().to_dict()
    assert levels == {"buurt": 13808, "wijk": 3177, "gemeente": 355, "land": 1}
    # 35 indicator columns, 3 of which hold no value in 2020 (walking/cycling to work).
    assert len(parsed.indicators) == 32 and len(parsed.observations) == 17341 * 32
    assert (parsed.observations["status"] == "missing").sum() == 24608  # the '.' cells


def test_2020_file_loads_on_a_registry_without_its_areas(national):
    areas_register(records=[AreaRecord(code="BU00140000", name="Binnenstad-Noord",
                                       level="buurt", year=2024)])
    started = time.perf_counter()
    result = import_file(kind="rivm", path=national[2020])
    seconds = time.perf_counter() - started
    assert result.created == 17341 * 32
    assert result.areas_created == 17341 - 2  # BU00140000 and the country were known
    counts = dict(Area.objects.values_list("level").annotate(n=Count("id")))
    assert counts == {"land": 1, "gemeente": 355, "wijk": 3177, "buurt": 13808}
    assert value("ervaren_gezondheid_pct", "GM0014") == 79.9
    assert value("ervaren_gezondheid_pct", "BU00140000") == 86.2
    assert value("ervaren_gezondheid_pct", "NL00") == 78.4
    assert value("moeite_rondkomen_pct", "GM0014") == 17.5
    assert value("rivm.Roker_11", "BU00140001") == 34.6
    assert Area.objects.get(code="BU00140000").name == "Binnenstad-Noord"
    assert Area.objects.get(code="BU00140001").name == "BU00140001"
    assert Area.objects.get(code="GM0014").name == "Groningen"
    assert Area.objects.get(code="BU00140001").parent.code == "WK001400"
    roker = Indicator.objects.get(code="rivm.Roker_11")
    assert (roker.name_nl, roker.unit, roker.aggregation, roker.denominator, roker.licence) == (
        "Roker (18+)", "%", "weighted_mean", "inwoners", "CC BY 4.0")
    print(f"\nRIVM 2020 national import: {seconds:.1f} s")


def test_three_years_give_three_periods_of_one_indicator(national, frames, monkeypatch):
    # The 2012 and 2016 files load on top of the 2020 one for Groningen's own rows:
    # the same one area division runs through all three years.
    def groningen_only(path):
        frame = frames[path.name]
        return frame[frame["Codering_3"].str.contains("0014")].copy()

    monkeypatch.setattr(rivm, "read_table", groningen_only)
    for year in YEARS:
        import_file(kind="rivm", path=national[year])
    series = Observation.objects.filter(indicator__code="ervaren_gezondheid_pct",
                                        area__code="GM0014").order_by("period")
    assert [(o.period, o.value) for o in series] == [("2012", 79.0), ("2016", 78.2),
                                                     ("2020", 79.9)]
    assert value("moeite_rondkomen_pct", "BU00140000", "2012") == 34.3
    # 2012 has no figures for volunteering: the column is left out, not loaded as missing.
    assert not Observation.objects.filter(indicator__code="vrijwilligerswerk_pct",
                                          period="2012").exists()
    assert ImportBatch.objects.count() == 3


# -- small tables -----------------------------------------------------------------------

def test_csv_margins_country_and_missing_values(tmp_path):
    path = write_csv(tmp_path, [
        line("NL01", "Land", gemeente="Nederland", health="78,4"),
        line("NL01", "Land", gemeente="Nederland", marges="MOG00095", health="78,0"),
        line("GM0014", "Gemeente", health="."),
        line("WK001400", "Wijk", roker="       ."),
    ], sep=";")
    result = import_file(kind="rivm", path=path)
    assert value("ervaren_gezondheid_pct", "NL00") == 78.4
    assert not Area.objects.filter(code="NL01").exists()
    missing = Observation.objects.get(indicator__code="ervaren_gezondheid_pct",
                                      area__code="GM0014")
    assert (missing.value, missing.status) == (None, "missing")
    assert result.created == 3 * 2  # LopenNaarSchoolOfWerk_35 holds no value at all
    notes = " ".join(result.notes)
    assert "skipped 1 rows of confidence margins" in notes and "NL01" in notes
    assert "LopenNaarSchoolOfWerk_35" in notes


def test_another_age_group_gets_its_own_codes(tmp_path):
    path = write_xlsx(tmp_path, [line("GM0014", "Gemeente", age="53115"),
                                 line("GM0014", "Gemeente")])
    import_file(kind="rivm", path=path, options={"age": "53115"})
    assert value("rivm.ErvarenGezondheidGoedZeerGoed_4.53115", "GM0014") == 79.9
    assert not Observation.objects.filter(indicator__code="ervaren_gezondheid_pct").exists()
    assert "leeftijd 53115" in Indicator.objects.get(code="rivm.Roker_11.53115").name_nl


def test_key_words_split_camel_case():
    assert rivm.key_words("HeelVeelStressInAfgelopen4Weken_26") == \
        "Heel veel stress in afgelopen 4 weken"
    assert rivm.key_words("ErvarenGezondheidGoedZeerGoed_4") == \
        "Ervaren gezondheid goed zeer goed"


def test_cli_with_year(tmp_path, capsys):
    path = write_csv(tmp_path, [line("BU00140000", "Buurt")], sep=",")
    call_command("import_data", "rivm", str(path), "--year", "2022", "--format", "json")
    assert json.loads(capsys.readouterr().out)["areas_created"] == 1
    assert AreaVersion.objects.get(area__code="BU00140000").year == 2022


# -- malformed input: a clear problem, and the database as it was ----------------------

def test_sheet_without_codering_column_is_refused(tmp_path, seeded):
    header = [c for c in HEADER if c != "Codering_3"]
    rows = [[c for i, c in enumerate(line("GM0014", "Gemeente")) if i != 7]]
    problems = refused(write_xlsx(tmp_path, rows, header=header), seeded)
    assert [(p.file, p.row, p.column) for p in problems] == [("rivm.xlsx", 1, "Codering_3")]


def test_text_in_a_number_column_is_refused(tmp_path, seeded):
    path = write_xlsx(tmp_path, [line("GM0014", "Gemeente"),
                                 line("BU00140000", "Buurt", roker="veel")])
    problems = refused(path, seeded)
    assert [(p.row, p.column, p.found) for p in problems] == [(3, "Roker_11", "veel")]
    assert "rivm.xlsx, row 3, column 'Roker_11': expected a number" in str(problems[0])


def test_malformed_period_is_refused(tmp_path, seeded):
    path = write_csv(tmp_path, [line("GM0014", "Gemeente", period="2020XX00")])
    problems = refused(path, seeded)
    assert [(p.row, p.column, p.found) for p in problems] == [(2, "Perioden", "2020XX00")]


def test_duplicate_area_rows_are_refused(tmp_path, seeded):
    path = write_xlsx(tmp_path, [line("GM0014", "Gemeente"), line("BU00140000", "Buurt"),
                                 line("GM0014", "Gemeente", health="80.0")])
    problems = refused(path, seeded)
    assert [(p.row, p.column, p.found) for p in problems] == [(4, "Codering_3", "GM0014")]
    assert "also row 2" in problems[0].expected


def test_empty_workbook_is_refused(tmp_path, seeded):
    problems = refused(write_xlsx(tmp_path, [], header=None), seeded)
    assert problems[0].found == "an empty sheet" and problems[0].row == 1


def test_file_that_is_no_workbook_is_refused(tmp_path, seeded):
    path = tmp_path / "rivm.xlsx"
    path.write_bytes(os.urandom(4096))
    problems = refused(path, seeded)
    assert problems[0].expected == "an Excel workbook (.xlsx)"


def test_text_as_area_code_is_refused(tmp_path, seeded):
    path = write_csv(tmp_path, [line("Groningen", "Gemeente")])
    problems = refused(path, seeded)
    assert [(p.row, p.column, p.found) for p in problems] == [(2, "Codering_3", "GRONINGEN")]


def test_several_age_groups_without_choice_are_refused(tmp_path, seeded):
    path = write_csv(tmp_path, [line("GM0014", "Gemeente"),
                                line("GM0014", "Gemeente", age="53115")])
    problems = refused(path, seeded)
    assert [(p.column, p.found) for p in problems] == [("Leeftijd", "20300, 53115")]


def test_kind_of_area_contradicting_the_code_is_refused(tmp_path, seeded):
    path = write_csv(tmp_path, [line("BU00140000", "Wijk")])
    problems = refused(path, seeded)
    assert [(p.row, p.column, p.found) for p in problems] == [(2, "SoortRegio_2", "Wijk")]
    assert problems[0].expected == "Buurt, as the code BU00140000 says"


def test_margins_only_are_refused(tmp_path, seeded):
    path = write_csv(tmp_path, [line("GM0014", "Gemeente", marges="MOG00095")])
    problems = refused(path, seeded)
    assert [(p.column, p.found) for p in problems] == [("Marges", "none")]
