"""Area lineage: hand-made squares, and Groningen's buurten of 2017 and 2022."""

import json

import numpy as np
import pytest
import shapely
from django.core.management import call_command
from django.core.management.base import CommandError
from shapely import geometry as sg

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.areas.geometry import RD_NEW, WGS84, transformer
from wijkbalans.areas.lineage import LineageError, lineage_derive, lineage_links
from wijkbalans.areas.models import AreaLineage
from wijkbalans.areas.services import areas_register
from wijkbalans.indicators.importers import boundaries
from wijkbalans.indicators.importers.base import AreaRecord
from wijkbalans.indicators.services import import_file

BUURTEN_2017 = "cbs-wijkbuurtkaart-2017-groningen/buurt2017.csv"
BUURTEN_2022 = "cbs-wijkbuurtkaart-2022-groningen/groningen_buurten_2022.geojson"
# A corner in the city of Groningen, in RD New metres.
X0, Y0 = 233_000.0, 582_000.0


def rd_box(x1, y1, x2, y2):
    return sg.box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


def _project(geom, source, target):
    project = transformer(source, target).transform
    return shapely.transform(geom, lambda xy: np.column_stack(project(xy[:, 0], xy[:, 1])))


def register(year, areas):
    """Register ``{code: RD polygon}`` as the buurten of ``year``."""
    records = [AreaRecord(code=code, name=f"Buurt {code[-2:]}", level="buurt", year=year,
                          geometry=sg.mapping(_project(geom, RD_NEW, WGS84)))
               for code, geom in areas.items()]
    areas_register(records=records)


def stored():
    return sorted(AreaLineage.objects.values_list("from_code", "to_code", "kind", "share",
                                                  "from_year", "to_year"))


def links(old, new, **kwargs):
    return lineage_links(old, new, **kwargs)


# --- the geometry alone ---------------------------------------------------------------------


def test_split_into_halves_gives_two_rows_of_half():
    rows = links({"BU00140001": rd_box(0, 0, 1000, 1000)},
                 {"BU00140002": rd_box(0, 0, 500, 1000), "BU00140003": rd_box(500, 0, 1000, 1000)})
    assert rows == [("BU00140001", "BU00140002", "split", 0.5),
                    ("BU00140001", "BU00140003", "split", 0.5)]


def test_merge_of_two_into_one():
    rows = links({"BU00140001": rd_box(0, 0, 500, 1000), "BU00140002": rd_box(500, 0, 1000, 1000)},
                 {"BU00140003": rd_box(0, 0, 1000, 1000)})
    assert rows == [("BU00140001", "BU00140003", "merged", 1.0),
                    ("BU00140002", "BU00140003", "merged", 1.0)]


def test_same_borders_new_code_is_recoded_and_same_code_needs_no_row():
    old = {"BU00140001": rd_box(0, 0, 1000, 1000), "BU00140002": rd_box(1000, 0, 2000, 1000)}
    new = {"BU00149901": rd_box(0, 0, 1000, 1000), "BU00140002": rd_box(1000, 0, 2000, 1000)}
    assert links(old, new) == [("BU00140001", "BU00149901", "recoded", 1.0)]


def test_moved_border():
    """A border moved 200 m east: A lies wholly in A' which also took a fifth of B."""
    old = {"BU00140001": rd_box(0, 0, 1000, 1000), "BU00140002": rd_box(1000, 0, 2000, 1000)}
    new = {"BU00140001": rd_box(0, 0, 1200, 1000), "BU00140002": rd_box(1200, 0, 2000, 1000)}
    assert links(old, new) == [("BU00140001", "BU00140001", "merged", 1.0),
                               ("BU00140002", "BU00140001", "redrawn", 0.2),
                               ("BU00140002", "BU00140002", "split", 0.8)]


def test_one_to_one_border_change_is_redrawn():
    rows = links({"BU00140001": rd_box(0, 0, 1000, 1000)},
                 {"BU00140001": rd_box(0, 0, 1000, 1300)})
    assert rows == [("BU00140001", "BU00140001", "redrawn", 1.0)]


def test_shares_below_one_percent_are_dropped():
    """A border moved 5 m: 0.5% of B changes side, under the 1% threshold and the 95% match."""
    old = {"BU00140001": rd_box(0, 0, 1000, 1000), "BU00140002": rd_box(1000, 0, 2000, 1000)}
    new = {"BU00140001": rd_box(0, 0, 1005, 1000), "BU00140002": rd_box(1005, 0, 2000, 1000)}
    assert links(old, new) == []
    # With a stricter match both differ; the 0.5% piece stays below the 1% threshold, so
    # each old buurt has one successor that has one predecessor: redrawn.
    assert links(old, new, match=0.999) == [("BU00140001", "BU00140001", "redrawn", 1.0),
                                            ("BU00140002", "BU00140002", "redrawn", 0.995)]


def test_tolerance_ignores_slivers_of_drawing_but_not_real_changes():
    """The new map drawn 60 m off: slivers at tolerance 0, nothing at 150 m; a real split
    survives the tolerance."""
    old = {"BU00140001": rd_box(0, 0, 1000, 1000), "BU00140002": rd_box(1000, 0, 2000, 1000)}
    shifted = {"BU00140001": rd_box(60, 0, 1060, 1000), "BU00140002": rd_box(1060, 0, 2060, 1000)}
    strict = links(old, shifted)
    assert ("BU00140002", "BU00140001", "redrawn", 0.06) in strict
    assert links(old, shifted, tolerance=150) == []
    split = {"BU00140001": rd_box(60, 0, 1060, 1000), "BU00140003": rd_box(1060, 0, 1500, 1000),
             "BU00140004": rd_box(1500, 0, 2060, 1000)}
    # The 60 m sliver of B in A' is left out: shares are of the remaining 940 m.
    assert links(old, split, tolerance=150) == [("BU00140002", "BU00140003", "split", 0.4681),
                                                ("BU00140002", "BU00140004", "split", 0.5319)]


def test_area_narrower_than_tolerance_keeps_its_own_code():
    old = {"BU00140001": rd_box(0, 0, 100, 1000), "BU00140002": rd_box(100, 0, 1100, 1000)}
    new = {"BU00140001": rd_box(40, 0, 120, 1000), "BU00140002": rd_box(120, 0, 1100, 1000)}
    assert links(old, new, tolerance=200) == []


# --- the stored rows --------------------------------------------------------------------------


def test_derive_writes_rows_once_with_one_audit_entry(db):
    register(2017, {"BU00140001": rd_box(0, 0, 1000, 1000),
                    "BU00140002": rd_box(1000, 0, 2000, 1000)})
    register(2022, {"BU00140001": rd_box(0, 0, 500, 1000),
                    "BU00140003": rd_box(500, 0, 1000, 1000),
                    "BU00140002": rd_box(1000, 0, 2000, 1000)})
    audits = AuditEntry.objects.count()
    result = lineage_derive(from_year=2017, to_year=2022)
    assert [(link.from_code, link.to_code, link.kind) for link in result] == [
        ("BU00140001", "BU00140001", "split"), ("BU00140001", "BU00140003", "split")]
    assert stored() == [("BU00140001", "BU00140001", "split", 0.5, 2017, 2022),
                        ("BU00140001", "BU00140003", "split", 0.5, 2017, 2022)]
    entry = AuditEntry.objects.latest("pk")
    assert AuditEntry.objects.count() == audits + 1 and entry.action == "area_lineage.derive"
    assert entry.after["counts"]["split"] == 2 and len(entry.after["rows"]) == 2

    again = lineage_derive(from_year=2017, to_year=2022)
    assert again == result
    assert AuditEntry.objects.count() == audits + 1

    # CBS redraws 2022 after all: the split is gone, the rows go with it, audited.
    register(2022, {"BU00140001": rd_box(0, 0, 1000, 1000),
                    "BU00140003": rd_box(3000, 0, 3500, 1000)})
    assert lineage_derive(from_year=2017, to_year=2022) == []
    assert stored() == []
    assert AuditEntry.objects.count() == audits + 2
    assert len(AuditEntry.objects.latest("pk").before["rows"]) == 2


def test_within_limits_the_old_areas(db):
    register(2017, {"BU00140001": rd_box(0, 0, 1000, 1000),
                    "BU00170001": rd_box(1000, 0, 2000, 1000)})
    register(2022, {"BU00140002": rd_box(0, 0, 1000, 1000),
                    "BU00140003": rd_box(1000, 0, 2000, 1000)})
    lineage_derive(from_year=2017, to_year=2022, within="GM0014")
    assert [row[:3] for row in stored()] == [("BU00140001", "BU00140002", "recoded")]
    lineage_derive(from_year=2017, to_year=2022)
    assert [row[:3] for row in stored()] == [("BU00140001", "BU00140002", "recoded"),
                                            ("BU00170001", "BU00140003", "recoded")]


@pytest.mark.parametrize("kwargs, message", [
    ({"from_year": 2022, "to_year": 2017}, "earlier year"),
    ({"from_year": 2017, "to_year": 2022, "within": "WK001400"}, "gemeente code"),
    ({"from_year": 2017, "to_year": 2022, "tolerance": -1}, "0 or more"),
    ({"from_year": 2015, "to_year": 2016}, "no areas have a geometry"),
])
def test_derive_refuses(db, kwargs, message):
    with pytest.raises(LineageError, match=message):
        lineage_derive(**kwargs)
    assert AreaLineage.objects.count() == 0 and AuditEntry.objects.count() == 0


# --- Groningen, 2017 to 2022 ------------------------------------------------------------------


def _rd_geometries(parsed):
    return {a.code: _project(sg.shape(a.geometry), WGS84, RD_NEW) for a in parsed.areas}


@pytest.fixture(scope="module")
def groningen(shared_data):
    old = boundaries.parse(shared_data / BUURTEN_2017, {"year": 2017}, lambda n: None)
    new = boundaries.parse(shared_data / BUURTEN_2022, {}, lambda n: None)
    return _rd_geometries(old), _rd_geometries(new)


def test_groningen_strictly_every_generalised_border_differs(groningen):
    """All 108 codes of 2017 are still there in 2022 (the merger of 2019 added 42 buurten of
    Haren and Ten Boer; it did not renumber the city's), but the 2022 map is generalised to
    0.001 degrees, so at tolerance 0 nearly every border 'moved'."""
    old, new = groningen
    assert set(old) < set(new) and len(new) - len(old) == 42
    rows = links(old, new)
    kinds = [kind for _, _, kind, _ in rows]
    assert len(rows) == 328 and len({row[0] for row in rows}) == 106
    assert (kinds.count("recoded"), kinds.count("split"), kinds.count("merged"),
            kinds.count("redrawn")) == (0, 26, 4, 298)
    paddepoel = [row for row in rows if row[0] == "BU00141002"]
    assert paddepoel == [("BU00141002", "BU00141001", "redrawn", pytest.approx(0.022, abs=0.001)),
                         ("BU00141002", "BU00141002", "redrawn", pytest.approx(0.974, abs=0.001))]


def test_groningen_with_tolerance_finds_the_meerstad_split(groningen):
    """At 300 m, what remains is four buurten: Meerstad split, Westpoort giving a seventh
    to Hoogkerk-Zuid, and Dorkwerd on the municipal border."""
    old, new = groningen
    rows = links(old, new, tolerance=300)
    kinds = [kind for _, _, kind, _ in rows]
    assert len(rows) == 10
    assert {row[0] for row in rows} == {"BU00141400", "BU00140801", "BU00140802", "BU00140905"}
    assert (kinds.count("recoded"), kinds.count("split"), kinds.count("merged"),
            kinds.count("redrawn")) == (0, 6, 1, 3)
    assert ("BU00140802", "BU00140801", "redrawn", pytest.approx(0.144, abs=0.002)) in rows
    # Paddepoel-Noord continues as itself: no row.
    assert not [row for row in rows if row[0] == "BU00141002"]
    # Meerstad (343 ha in 2017) was divided in 2022 into Meeroevers (keeping the code) and
    # four new buurten; a tenth went to Harkstede GN.
    meerstad = {to: (kind, share) for frm, to, kind, share in rows if frm == "BU00141400"}
    assert set(meerstad) == {"BU00141400", "BU00141401", "BU00141403", "BU00141404",
                             "BU00141405", "BU00141406"}
    assert meerstad["BU00141401"][0] == "redrawn"
    assert {meerstad[c][0] for c in meerstad if c != "BU00141401"} == {"split"}
    assert sum(share for _, share in meerstad.values()) == pytest.approx(1.0, abs=0.001)
    # By hand: the new buurten lie (nearly) wholly in the old Meerstad; the overlaps are
    # the shares at tolerance 0, and at 300 m the same divided by what is left once the
    # thin 4% overlap with Lageland GN (a generalised border) is left out.
    old_meerstad = old["BU00141400"]
    for code in ("BU00141400", "BU00141403", "BU00141404", "BU00141405", "BU00141406"):
        assert new[code].intersection(old_meerstad).area / new[code].area > 0.9
    by_hand = {c: new[c].intersection(old_meerstad).area / old_meerstad.area for c in new
               if new[c].intersects(old_meerstad)}
    assert by_hand["BU00141402"] == pytest.approx(0.040, abs=0.001)
    strict = {to: share for frm, to, _, share in links(old, new) if frm == "BU00141400"}
    assert strict == pytest.approx({c: v for c, v in by_hand.items() if v >= 0.01}, abs=1e-4)
    for code, (_, share) in meerstad.items():
        assert share == pytest.approx(by_hand[code] / (1 - by_hand["BU00141402"]), abs=0.002)


def test_groningen_lineage_stored_and_command(db, shared_data, capsys):
    import_file(kind="boundaries", path=shared_data / BUURTEN_2017, options={"year": 2017})
    import_file(kind="boundaries", path=shared_data / BUURTEN_2022)
    audits = AuditEntry.objects.count()
    call_command("areas", "lineage", "--from", "2017", "--to", "2022", "--within", "GM0014",
                 "--level", "buurt", "--tolerance", "300", "--format", "json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["counts"] == {"split": 6, "merged": 1, "redrawn": 3}
    assert AreaLineage.objects.filter(from_year=2017, to_year=2022).count() == 10
    assert AuditEntry.objects.count() == audits + 1
    zeilen = next(link for link in payload["links"] if link["to_code"] == "BU00141405")
    assert (zeilen["from_name"], zeilen["to_name"]) == ("Meerstad", "De Zeilen")
    call_command("areas", "lineage", "--from", "2017", "--to", "2022", "--within", "GM0014",
                 "--tolerance", "300")
    assert "10 link(s): 0 recoded, 6 split, 1 merged, 3 redrawn" in capsys.readouterr().out
    assert AuditEntry.objects.count() == audits + 1


def test_lineage_command_reports_errors(db):
    with pytest.raises(CommandError, match="earlier year"):
        call_command("areas", "lineage", "--from", "2022", "--to", "2017")
