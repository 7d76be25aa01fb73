"""The Leefbaarometer importer: the real BZK score files, flat tables, and malformed input."""

import json
import os
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.areas.models import Area, AreaVersion
from wijkbalans.indicators.importers import leefbaarometer
from wijkbalans.indicators.importers.base import ImportFailed, no_progress
from wijkbalans.indicators.models import ImportBatch, Indicator, Observation
from wijkbalans.indicators.services import import_file

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def lbm(shared_data) -> Path:
    return shared_data / "leefbaarometer-2024"


@pytest.fixture(scope="module")
def groningen(lbm):
    """The Groningen province file, parsed once for the checks that need no database."""
    return leefbaarometer.parse(lbm / "buurten" / "20.geojson", {}, no_progress)


def snapshot():
    return tuple(model.objects.count() for model in
                 (Observation, ImportBatch, Area, AreaVersion, Indicator, AuditEntry))


def value(code, area, period="2024"):
    return Observation.objects.get(indicator__code=code, area__code=area, period=period).value


def feature(code="BU00140000", naam="Binnenstad-Noord", **raw):
    scores = {"kscore": 9, "kafw": 8, "afw": 0.189053, "kwon": 5, "kfys": 5, "kvrz": 9,
              "ksoc": 5, "konv": 3, "won": -0.011174, "fys": 0.0343143, "vrz": 0.310165,
              "soc": -0.0306654, "onv": -0.113587, "year": "2024"}
    scores.update(raw)
    props = {"code": code, "naam": naam, "gemeente": "Groningen", "klasse": scores["kscore"],
             "afw": 0.1891, "raw": scores}
    square = [[6.56, 53.21], [6.57, 53.21], [6.57, 53.22], [6.56, 53.22], [6.56, 53.21]]
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Polygon", "coordinates": [square]}}


def write_geojson(tmp_path, features, name="scores.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                    encoding="utf-8")
    return path


@pytest.fixture
def seeded(tmp_path):
    """A database with something in it, so a refused file must leave it exactly so."""
    import_file(kind="leefbaarometer", path=write_geojson(
        tmp_path, [feature(), feature("BU00140001", "Binnenstad-Zuid", kscore=8)], "seed.geojson"))
    return snapshot()


def refused(path, seeded, **options):
    with pytest.raises(ImportFailed) as failed:
        import_file(kind="leefbaarometer", path=path, options=options)
    assert snapshot() == seeded
    return failed.value.problems


# -- the real files ---------------------------------------------------------------------

def test_groningen_file_parses_510_buurten_104_of_them_in_the_city(groningen):
    assert len(groningen.areas) == 510
    assert sum(a.code.startswith("BU0014") for a in groningen.areas) == 104
    assert {a.level for a in groningen.areas} == {"buurt"}
    assert len(groningen.observations) == 510 * 12
    assert all(a.geometry is None for a in groningen.areas)


def test_groningen_file_loads_and_round_trips_binnenstad_noord(lbm):
    result = import_file(kind="leefbaarometer", path=lbm / "buurten" / "20.geojson")
    assert (result.created, result.areas_created, result.indicators_created) == (6120, 510, 12)
    assert Area.objects.filter(level="buurt").count() == 510
    assert value("lbm_klasse", "BU00140000") == 9
    assert value("lbm_afw", "BU00140000") == 0.189053  # raw.afw, not the rounded 0.1891
    assert value("lbm_onv", "BU00140000") == -0.113587
    assert value("lbm_klasse_vrz", "BU00140000") == 9
    area = Area.objects.get(code="BU00140000")
    assert (area.name, area.parent_id) == ("Binnenstad-Noord", None)
    assert AreaVersion.objects.get(area=area, year=2024).geometry is None
    classes = Indicator.objects.get(code="lbm_klasse_onv")
    assert (classes.aggregation, classes.polarity, classes.theme) == ("none", "higher_better",
                                                                      "safety")
    before = snapshot()
    again = import_file(kind="leefbaarometer", path=lbm / "buurten" / "20.geojson")
    assert (again.unchanged, again.batch_id) == (6120, None)
    assert snapshot() == before


def test_with_geometry_stores_the_polygons_and_reimports_unchanged(lbm):
    path = lbm / "buurten" / "20.geojson"
    import_file(kind="leefbaarometer", path=path, options={"with_geometry": True})
    version = AreaVersion.objects.get(area__code="BU00140000", year=2024)
    assert version.geometry["type"] == "Polygon"
    assert version.geometry["coordinates"][0][0] == [6.56757286, 53.22221807]
    assert 6.56 < version.centroid_lon < 6.58 and 53.21 < version.centroid_lat < 53.23
    assert 30 < version.land_area_ha < 50
    before = snapshot()
    again = import_file(kind="leefbaarometer", path=path, options={"with_geometry": True})
    assert again.batch_id is None and snapshot() == before


def test_gemeenten_file_has_342_gemeenten_and_groningen_full_precision(lbm):
    result = import_file(kind="leefbaarometer", path=lbm / "gemeenten.geojson")
    assert result.areas_created == 342
    assert Area.objects.filter(level="gemeente").count() == 342
    assert value("lbm_afw", "GM0014") == 0.0272893
    assert value("lbm_klasse", "GM0014") == 7
    assert Area.objects.get(code="GM0014").name == "Groningen"


def test_whole_buurten_folder_reads_12147_buurten(lbm):
    # Parsed, not loaded: loading 12,147 areas is the area registry's cost, not this
    # importer's; the one-batch load of a folder is shown on a small one below.
    parsed = leefbaarometer.parse(lbm / "buurten" / "index.json", {"directory": True},
                                  no_progress)
    assert len(parsed.areas) == 12147 and len(parsed.observations) == 12147 * 12
    assert len({a.code for a in parsed.areas}) == 12147
    # Amsterdam's lettered codes (since 2022) are buurten of their wijk.
    amsterdam = next(a for a in parsed.areas if a.code == "BU0363AA01")
    assert (amsterdam.level, amsterdam.parent_code) == ("buurt", "WK0363AA")


def test_folder_of_province_files_loads_as_one_batch(tmp_path):
    write_geojson(tmp_path, [feature()], "20.geojson")
    write_geojson(tmp_path, [feature("BU03630000", "Kop Zeedijk", kscore=5)], "27.geojson")
    (tmp_path / "index.json").write_text(json.dumps({
        "20": {"file": "buurten/20.geojson", "n_features": 1},
        "27": {"file": "buurten/27.geojson", "n_features": 1}}), encoding="utf-8")
    result = import_file(kind="leefbaarometer", path=tmp_path / "index.json",
                         options={"directory": True})
    assert (result.created, result.areas_created) == (24, 2)
    assert ImportBatch.objects.count() == 1
    assert value("lbm_klasse", "BU03630000") == 5
    by_folder = leefbaarometer.parse(tmp_path, {"directory": True}, no_progress)
    assert len(by_folder.observations) == 24


def test_provinces_file_is_refused_with_a_clear_message(lbm, seeded):
    problems = refused(lbm / "provincies.geojson", seeded)
    assert "provinces only" in problems[0].expected
    assert problems[0].file == "provincies.geojson"


def test_provinces_among_other_areas_are_skipped_and_reported(tmp_path):
    path = write_geojson(tmp_path, [feature(), feature("24", "Flevoland")])
    result = import_file(kind="leefbaarometer", path=path)
    assert result.rejected == 1 and result.areas_created == 1
    assert any("skipped 1 provinces" in note for note in result.notes)


def test_cli_takes_the_options(lbm, capsys):
    call_command("import_data", "leefbaarometer", str(lbm / "gemeenten.geojson"),
                 "--with-geometry", "--period", "2024", "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["areas_created"] == 342
    assert AreaVersion.objects.get(area__code="GM0014").geometry is not None


# -- flat tables as BZK publishes them --------------------------------------------------

def test_csv_table_with_semicolons_and_decimal_commas(tmp_path):
    path = tmp_path / "lbm.csv"
    path.write_text("bu_code;jaar;kscore;afw;won;fys;vrz;soc;onv\n"
                    "BU00140000;2022;9;0,189053;-0,01;0,03;0,31;-0,03;-0,11\n"
                    "BU00140001;2022;8;0,1;;0;0;0;0\n", encoding="utf-8")
    result = import_file(kind="leefbaarometer", path=path)
    assert result.created == 2 * 7  # no class columns for the dimensions in this table
    assert value("lbm_afw", "BU00140000", "2022") == 0.189053
    missing = Observation.objects.get(indicator__code="lbm_won", area__code="BU00140001")
    assert (missing.value, missing.status) == (None, "missing")
    assert Area.objects.get(code="BU00140000").name == "BU00140000"


def test_xlsx_table_with_period_option(tmp_path):
    path = tmp_path / "lbm.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["gm_code", "gm_naam", "klasse", "afw"])
    book.active.append(["GM0014", "Groningen", 7, 0.0272893])
    book.save(path)
    import_file(kind="leefbaarometer", path=path, options={"period": "2020"})
    assert value("lbm_klasse", "GM0014", "2020") == 7
    assert value("lbm_afw", "GM0014", "2020") == 0.0272893


# -- malformed input: a clear problem, and the database as it was ----------------------

def test_not_json_is_refused(tmp_path, seeded):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [', encoding="utf-8")
    problems = refused(path, seeded)
    assert problems[0].file == "broken.geojson" and problems[0].row == 2
    assert "JSON" in problems[0].expected


def test_feature_collection_without_features_is_refused(tmp_path, seeded):
    path = tmp_path / "empty.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    problems = refused(path, seeded)
    assert problems[0].column == "features" and problems[0].found == "an empty 'features' list"


def test_feature_without_code_is_refused(tmp_path, seeded):
    nameless = feature()
    del nameless["properties"]["code"]
    problems = refused(write_geojson(tmp_path, [feature("BU00140002"), nameless]), seeded)
    assert [(p.row, p.column) for p in problems] == [(2, "code")]


def test_class_outside_one_to_nine_is_refused(tmp_path, seeded):
    problems = refused(write_geojson(tmp_path, [feature(kscore=10)]), seeded)
    assert [(p.row, p.column, p.expected, p.found) for p in problems] == [
        (1, "raw.kscore", "a class 1 to 9", "10")]


def test_class_as_text_is_refused(tmp_path, seeded):
    problems = refused(write_geojson(tmp_path, [feature(), feature("BU00140002", kvrz="hoog")]),
                       seeded)
    assert [(p.row, p.column, p.found) for p in problems] == [(2, "raw.kvrz", "hoog")]


def test_score_as_text_is_refused(tmp_path, seeded):
    problems = refused(write_geojson(tmp_path, [feature(won="veel")]), seeded)
    assert [(p.file, p.row, p.column, p.expected) for p in problems] == [
        ("scores.geojson", 1, "raw.won", "a number")]


def test_duplicate_codes_are_refused(tmp_path, seeded):
    problems = refused(write_geojson(tmp_path, [feature(), feature("BU00140002"), feature()]),
                       seeded)
    assert [(p.row, p.found) for p in problems] == [(3, "BU00140000")]
    assert "already in scores.geojson, row 1" in problems[0].expected


def test_xlsx_that_is_no_workbook_is_refused(tmp_path, seeded):
    path = tmp_path / "scores.xlsx"
    path.write_bytes(os.urandom(2048))
    problems = refused(path, seeded)
    assert problems[0].file == "scores.xlsx"
    assert problems[0].expected == "an Excel workbook (.xlsx)"


def test_index_promising_other_files_is_refused(tmp_path, seeded):
    write_geojson(tmp_path, [feature()], "20.geojson")
    (tmp_path / "index.json").write_text(json.dumps({
        "20": {"file": "buurten/20.geojson", "n_features": 2},
        "21": {"file": "buurten/21.geojson", "n_features": 1}}), encoding="utf-8")
    problems = refused(tmp_path / "index.json", seeded, directory=True)
    assert {(p.file, p.column, p.found) for p in problems} == {
        ("index.json", "21", "21.geojson"), ("20.geojson", None, "1")}


def test_missing_year_without_period_option_is_refused(tmp_path, seeded):
    problems = refused(write_geojson(tmp_path, [feature(year="")]), seeded)
    assert [(p.row, p.column) for p in problems] == [(1, "raw.year")]


def test_folder_path_imports_as_one_batch_from_the_command_line(db, tmp_path):
    """``wijkbalans import leefbaarometer buurten/ --directory`` takes the folder itself."""
    from django.core.management import call_command

    from wijkbalans.indicators.models import ImportBatch

    folder = tmp_path / "buurten"
    folder.mkdir()
    feature = {"type": "Feature", "geometry": None,
               "properties": {"code": "BU00140000", "naam": "Binnenstad-Noord",
                              "gemeente": "Groningen", "klasse": 9, "afw": 0.19,
                              "raw": {"kscore": 9, "afw": 0.189053, "year": "2024"}}}
    (folder / "20.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    (folder / "index.json").write_text(json.dumps({"20": {"file": "buurten/20.geojson"}}),
                                       encoding="utf-8")
    call_command("import_data", "leefbaarometer", str(folder), "--directory")
    batch = ImportBatch.objects.get()
    assert batch.file_name == "buurten" and len(batch.file_sha256) == 64
