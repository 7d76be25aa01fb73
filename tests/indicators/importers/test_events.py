"""The events importer: point records counted per buurt and period.

Unit tests use hand-made squares in RD New (1 km each) whose counts are worked out by
hand; the real-data tests count the Groningen police file of bicycle thefts in the CBS
2017 buurten and check the counts against independent computations.
"""

import importlib.util
import io
import json
import time

import numpy as np
import pandas as pd
import pytest
import shapely
from django.core.management import call_command
from pyproj import Transformer
from shapely.geometry import Point, box, mapping

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.areas.geometry import RD_NEW, summarise, to_wgs84
from wijkbalans.areas.models import Area, AreaVersion
from wijkbalans.areas.services import areas_register
from wijkbalans.indicators import importers
from wijkbalans.indicators.importers import events
from wijkbalans.indicators.importers.base import AreaRecord, ImportFailed
from wijkbalans.indicators.models import ImportBatch, Indicator, Observation
from wijkbalans.indicators.services import import_file

pytestmark = pytest.mark.django_db

A, B, C = "BU00140001", "BU00140002", "BU00150001"
# Squares in RD New: A and B share the border x = 231000; C lies 10 km east, in GM0015.
SQUARES = {A: box(230_000, 580_000, 231_000, 581_000),
           B: box(231_000, 580_000, 232_000, 581_000),
           C: box(240_000, 580_000, 241_000, 581_000)}
# Worked out by hand: A has 3 points in 2016 plus the corner it shares with B (which goes
# to A, the lower code), and 1 in 2017; B has 2 in 2016 and none in 2017; C has none.
# One point lies in no square.
ROWS = [
    ("230100", "580100", "1-3-2016 10:00"),   # A, 2016-Q1
    ("230500", "580500", "20-9-2016 17:30"),  # A, 2016-Q3
    ("230900", "580900", "31-12-2016 23:59"),  # A, 2016-Q4
    ("231000", "581000", "2-5-2016 8:15"),    # corner of A and B -> A, 2016-Q2
    ("230200", "580700", "15-1-2017 12:00"),  # A, 2017-Q1
    ("231500", "580500", "5-5-2016 9:00"),    # B, 2016-Q2
    ("231800", "580200", "6-6-2016 9:00"),    # B, 2016-Q2
    ("250000", "600000", "7-7-2016 9:00"),    # no buurt
]
EXPECTED_YEAR = {(A, "2016"): 4, (A, "2017"): 1, (B, "2016"): 2, (B, "2017"): 0,
                 (C, "2016"): 0, (C, "2017"): 0}


def register(squares=SQUARES, year=2020):
    records = []
    for code, square in squares.items():
        geom = to_wgs84(square, RD_NEW)
        centre, hectares = summarise(geom)
        records.append(AreaRecord(code=code, name=f"Buurt {code[-2:]}", level="buurt",
                                  year=year, geometry=mapping(geom), centroid=centre,
                                  land_area_ha=hectares))
    areas_register(records=records)


def write(tmp_path, rows=ROWS, header="X;Y;Datum", sep=";", name="events.csv"):
    path = tmp_path / name
    lines = [header] + [sep.join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def snapshot():
    return tuple(model.objects.count() for model in
                 (Observation, ImportBatch, Indicator, Area, AreaVersion, AuditEntry))


def counts(code="fietsdiefstal"):
    return {(o.area.code, o.period): o.value for o in
            Observation.objects.filter(indicator__code=code).select_related("area")}


def parse(path, **options):
    return events.parse(path, {"name": "fietsdiefstal", **options}, lambda n: None)


def failing(path, **options):
    register()
    before = snapshot()
    with pytest.raises(ImportFailed) as failed:
        import_file(kind="events", path=path, options={"name": "fietsdiefstal", **options})
    assert snapshot() == before
    return failed.value.problems


# --- counting ---------------------------------------------------------------------------

def test_counts_per_buurt_and_year_by_hand(tmp_path):
    register()
    result = import_file(kind="events", path=write(tmp_path),
                         options={"name": "fietsdiefstal", "label": "Fietsdiefstal",
                                  "source": "Politie", "licence": "open data"})
    assert (result.created, result.rejected) == (6, 1)
    assert counts() == EXPECTED_YEAR
    spec = Indicator.objects.get(code="fietsdiefstal")
    assert (spec.name_nl, spec.unit, spec.aggregation, spec.theme, spec.polarity,
            spec.source, spec.licence) == ("Fietsdiefstal", "aantal", "sum", "safety",
                                           "higher_worse", "Politie", "open data")
    assert result.rejected_examples[0]["row"] == 9
    assert result.rejected_examples[0]["found"] == "250000, 600000"
    again = import_file(kind="events", path=write(tmp_path),
                        options={"name": "fietsdiefstal"})
    assert (again.created, again.unchanged, again.batch_id) == (0, 6, None)


def test_quarters_fill_zeros_inside_the_range_only(tmp_path):
    register()
    parsed = parse(write(tmp_path), period="quarter")
    obs = parsed.observations
    assert sorted(obs["period"].unique()) == ["2016-Q1", "2016-Q2", "2016-Q3", "2016-Q4",
                                             "2017-Q1"]
    got = {(r.area, r.period): r.value for r in obs.itertuples()}
    assert got[(A, "2016-Q2")] == 1 and got[(B, "2016-Q2")] == 2 and got[(A, "2017-Q1")] == 1
    assert got[(C, "2016-Q3")] == 0
    assert len(obs) == 3 * 5 and obs["value"].sum() == 7


def test_months_include_empty_months_between(tmp_path):
    register()
    rows = [("230100", "580100", "1-3-2016 10:00"), ("230100", "580100", "2-6-2016 10:00")]
    obs = parse(write(tmp_path, rows), period="month").observations
    assert sorted(obs["period"].unique()) == ["2016-03", "2016-04", "2016-05", "2016-06"]
    assert obs[(obs["area"] == A) & (obs["period"] == "2016-04")]["value"].item() == 0


def test_within_gemeente_and_area_year(tmp_path):
    register(year=2020)
    # In 2018 A also covered B's square (and a strip north of both); B did not exist.
    register({A: box(230_000, 580_000, 232_000, 581_500)}, year=2018)
    latest = parse(write(tmp_path), within="GM0014").observations
    assert set(latest["area"]) == {A, B}
    older = parse(write(tmp_path), area_year=2018).observations
    assert {(r.area, r.period): r.value for r in older.itertuples()} == {
        (A, "2016"): 6, (A, "2017"): 1}


def test_iso_dates_with_format_and_wgs84_points(tmp_path):
    register()
    to_lonlat = Transformer.from_crs(RD_NEW, "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform(230_500, 580_500)
    rows = [(f"{lon:.7f}", f"{lat:.7f}", "2016-09-20")]
    obs = parse(write(tmp_path, rows, header="lon,lat,when", sep=","), x="lon", y="lat",
                crs="EPSG:4326", date="when", date_format="%Y-%m-%d").observations
    assert obs[obs["area"] == A]["value"].item() == 1


def test_workbook_with_date_cells(tmp_path):
    register()
    path = tmp_path / "meldingen.xlsx"
    pd.DataFrame({"X": [230_100, 231_500.0], "Y": [580_100, 580_500.0],
                  "Meldingsdatum": pd.to_datetime(["2016-03-01 10:00", "2016-11-30 8:00"])}
                 ).to_excel(path, index=False)
    obs = parse(path, period="month").observations
    got = {(r.area, r.period): r.value for r in obs.itertuples() if r.value}
    assert got == {(A, "2016-03"): 1, (B, "2016-11"): 1}
    assert len(obs) == 3 * 9


def test_skip_incomplete_rejects_with_reason(tmp_path):
    register()
    rows = ROWS + [("230100", "", "1-1-2016 0:00"), ("230100", "580100", "gisteren")]
    result = import_file(kind="events", path=write(tmp_path, rows),
                         options={"name": "fietsdiefstal", "skip_incomplete": True})
    assert result.rejected == 3
    reasons = {(e["row"], e["column"]) for e in result.rejected_examples}
    assert {(10, "Y"), (11, "Datum"), (9, "X/Y")} == reasons
    assert counts() == EXPECTED_YEAR


def test_command_reports_rejected_points(tmp_path, monkeypatch):
    # The command lists every kind; leave out those whose module is not there (yet).
    for kind, module in list(importers.KINDS.items()):
        if importlib.util.find_spec(module) is None:
            monkeypatch.delitem(importers.KINDS, kind)
    register()
    out = io.StringIO()
    call_command("import_data", "events", str(write(tmp_path)), "--name", "fietsdiefstal",
                 stdout=out)
    text = out.getvalue()
    assert "created 6" in text and "rejected 1" in text
    assert "rejected: " in text and "250000, 600000" in text
    out = io.StringIO()
    call_command("import_data", "events", str(write(tmp_path)), "--name", "fietsdiefstal",
                 "--format", "json", stdout=out)
    payload = json.loads(out.getvalue())
    assert (payload["ok"], payload["unchanged"], payload["rejected"]) == (True, 6, 1)


# --- malformed input: each is refused and leaves the database as it was -----------------

def test_missing_x_column(tmp_path):
    problems = failing(write(tmp_path, header="Xco;Y;Datum"))
    assert (problems[0].row, problems[0].column) == (1, "X")
    assert "Xco" in problems[0].expected


def test_row_with_x_but_no_y(tmp_path):
    problems = failing(write(tmp_path, ROWS + [("230100", "", "1-1-2016 0:00")]))
    assert [(p.row, p.column, p.found) for p in problems] == [(10, "Y", "")]
    assert "coordinate" in problems[0].expected


def test_coordinate_that_is_no_number(tmp_path):
    problems = failing(write(tmp_path, [("230100", "580.100,5", "1-1-2016 0:00")]))
    assert [(p.row, p.column, p.found) for p in problems] == [(2, "Y", "580.100,5")]


def test_unparseable_date(tmp_path):
    problems = failing(write(tmp_path, ROWS + [("230100", "580100", "31-2-2016")]))
    assert [(p.row, p.column, p.found) for p in problems] == [(10, "Datum", "31-2-2016")]


def test_points_in_the_wrong_coordinate_system(tmp_path):
    rows = [("6.5665", "53.2194", "1-1-2016 0:00"), ("6.5701", "53.2120", "2-1-2016 0:00")]
    problems = failing(write(tmp_path, rows))
    assert len(problems) == 1
    assert "all 2 points lie outside" in problems[0].expected
    assert "EPSG:28992" in problems[0].expected and "EPSG:4326" in problems[0].expected


def test_rd_points_declared_as_lon_lat(tmp_path):
    problems = failing(write(tmp_path), crs="EPSG:4326")
    assert "they look like RD New: give --crs EPSG:28992" in problems[0].expected
    assert problems[0].found == "X 230100 to 250000, Y 580100 to 600000"


def test_no_buurt_geometry_in_the_registry(tmp_path):
    before = snapshot()
    with pytest.raises(ImportFailed) as failed:
        import_file(kind="events", path=write(tmp_path), options={"name": "fietsdiefstal"})
    assert "import the boundaries first" in str(failed.value)
    assert snapshot() == before


def test_area_year_without_geometry(tmp_path):
    problems = failing(write(tmp_path), area_year=2011)
    assert "geometry only for the years 2020" in problems[0].found


def test_no_point_in_the_chosen_buurten(tmp_path):
    problems = failing(write(tmp_path), within="GM0015")
    assert "none of the 8 points" in problems[0].found


def test_empty_file(tmp_path):
    path = tmp_path / "leeg.csv"
    path.write_bytes(b"")
    assert "empty" in failing(path)[0].expected
    header_only = write(tmp_path, rows=[], name="kop.csv")
    assert "at least one record" in failing(header_only)[0].expected


def test_wrong_separator(tmp_path):
    problems = failing(write(tmp_path, sep="|", header="X|Y|Datum"))
    assert problems[0].row == 1 and "one column" in problems[0].expected
    assert problems[0].found == "X|Y|Datum"


def test_bad_options(tmp_path):
    problems = failing(write(tmp_path), name="Fiets diefstal!", within="Groningen")
    assert {p.column for p in problems} >= {"--name", "--within"}


# --- the real police file in the CBS 2017 buurten of Groningen ---------------------------

@pytest.fixture(scope="module")
def police(shared_data):
    """The police file read independently with pandas."""
    path = shared_data / "politie-fietsdiefstal-groningen" / "fietsdiefstal-2013-2017.csv"
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    frame["year"] = pd.to_datetime(frame["Begin-pleegdatum/tijd"],
                                   format="%d-%m-%Y %H:%M").dt.year
    return path, frame


@pytest.fixture(scope="module")
def buurten_2017(shared_data):
    """The CBS 2017 buurten of Groningen (WKT in WGS84), read independently."""
    frame = pd.read_csv(shared_data / "cbs-wijkbuurtkaart-2017-groningen" / "buurt2017.csv",
                        dtype=str, keep_default_na=False)
    frame["shape"] = shapely.from_wkt(frame["geometry"].to_numpy())
    return frame.sort_values("BU_CODE").reset_index(drop=True)


def register_groningen(buurten):
    areas_register(records=[
        AreaRecord(code=row.BU_CODE, name=row.BU_NAAM, level="buurt", year=2017,
                   parent_code=row.WK_CODE, geometry=mapping(row.shape))
        for row in buurten.itertuples()])


def test_real_police_file_counts(police, buurten_2017):
    path, frame = police
    register_groningen(buurten_2017)
    started = time.perf_counter()
    result = import_file(kind="events", path=path,
                         options={"name": "fietsdiefstal", "within": "GM0014"})
    seconds = time.perf_counter() - started
    print(f"\nevents import of {len(frame)} incidents: {seconds:.2f} s")
    assert len(frame) == 15_947
    # 16 incidents, all at RD (230012, 579732) in Noorderhoogebrug, lie just outside
    # the 2017 municipality border: rejected, not lost silently.
    assert result.rejected == 16
    assert {(e["found"]) for e in result.rejected_examples} == {"230012, 579732"}
    assert result.created == 108 * 5  # 108 buurten x 2013..2017
    rejected_rows = [e["row"] for e in ImportBatch.objects.get().report["rejected"]]
    rejected_per_year = frame.loc[[r - 2 for r in rejected_rows], "year"].value_counts()
    assert rejected_per_year.to_dict() == {2014: 7, 2015: 4, 2016: 3, 2013: 2}
    stored = pd.DataFrame(Observation.objects.values("period", "value"))
    per_year = stored.groupby("period")["value"].sum()
    expected = frame["year"].value_counts().sub(rejected_per_year, fill_value=0)
    assert {int(k): v for k, v in per_year.items()} == expected.to_dict()
    assert per_year["2017"] == 1737 and per_year["2016"] == 3483 - 3
    assert "only partly covered by the file, so not counts for the whole period: 2017" in (
        result.notes)


def test_real_points_agree_with_a_plain_shapely_loop(police, buurten_2017):
    path, frame = police
    register_groningen(buurten_2017)
    parsed = events.parse(path, {"name": "fietsdiefstal"}, lambda n: None)
    assert len(parsed.observations) == 108 * 5
    assert parsed.observations["value"].sum() + len(parsed.rejected) == 15_947
    # Independently: transform a fixed sample of 500 points and test every polygon.
    sample = frame.sample(500, random_state=20170920)
    to_lonlat = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform(sample["X"].astype(float).to_numpy(),
                                   sample["Y"].astype(float).to_numpy())
    slow = []
    shapes = [(row.BU_CODE, row.shape, row.shape.bounds) for row in buurten_2017.itertuples()]
    for x, y in zip(lon, lat, strict=True):
        point = Point(x, y)
        inside = [code for code, shape, (x0, y0, x1, y1) in shapes
                  if x0 <= x <= x1 and y0 <= y <= y1 and shape.contains(point)]
        assert len(inside) <= 1
        slow.append(inside[0] if inside else "")
    hit = events._locate(np.array(buurten_2017["shape"].tolist()), lon, lat)
    fast = [buurten_2017["BU_CODE"][i] if i >= 0 else "" for i in hit]
    assert fast == slow
    assert sum(1 for code in slow if code) >= 495


def test_real_binnenstad_zuid_2016_against_the_police_names(police, buurten_2017):
    path, frame = police
    register_groningen(buurten_2017)
    import_file(kind="events", path=path, options={"name": "fietsdiefstal"})
    ours = Observation.objects.get(area__code="BU00140001", period="2016").value
    assert ours == 681
    # The police name 732 thefts of 2016 'Binnenstad-Zuid'. 675 of them lie in the CBS
    # buurt of that name; the other 57 lie on its border streets, which CBS 2017 draws in
    # the neighbouring buurten: 55 on the Grote Markt (Binnenstad-Noord), 2 on the
    # Schuitendiep (Binnenstad-Oost). 6 thefts the police place elsewhere fall inside it.
    y2016 = frame[frame["year"] == 2016]
    police_named = y2016[y2016["Pleegbuurt"] == "Binnenstad-Zuid"]
    assert len(police_named) == 732
    polygon = buurten_2017.set_index("BU_CODE").at["BU00140001", "shape"]
    to_lonlat = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform(police_named["X"].astype(float).to_numpy(),
                                   police_named["Y"].astype(float).to_numpy())
    inside = np.array([polygon.contains(Point(x, y)) for x, y in zip(lon, lat, strict=True)])
    assert inside.sum() == 675
    assert police_named.loc[~inside, "Pleegstraatnaam"].value_counts().to_dict() == {
        "Grote Markt": 55, "Schuitendiep": 2}
    assert ours == 675 + 6
