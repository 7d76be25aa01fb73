"""The national index on the real open data, with Groningen's buurten: the figures quoted
in docs/analysis/groningen-stacking.md. Three national files are imported once (KWB 2024
population, Leefbaarometer 2024 buurten, RIVM 2020), read in place from the shared folder;
the NPLV Leefbaarometer share of Groningen-Noord is checked against a pandas computation
straight from the files."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from wijkbalans.areas.models import Area
from wijkbalans.areas.services import area_set_save
from wijkbalans.indicators.services import import_file
from wijkbalans.stacking import selectors
from wijkbalans.stacking.headline import LBM_ZWAK, headline_values

pytestmark = [pytest.mark.django_db, pytest.mark.shared_data]
NOORD = ["Vinkhuizen-Noord", "Vinkhuizen-Zuid", "Paddepoel-Noord", "Paddepoel-Zuid",
         "Selwerd", "Indische buurt", "De Hoogte"]  # + every buurt of the Oosterparkwijk


def lbm_share_by_hand(shared_data, codes: set[str]) -> float:
    """Residents in buurten of class <= 4, from the Groningen province file and the KWB."""
    features = json.loads((shared_data / "leefbaarometer-2024" / "buurten" / "20.geojson")
                          .read_text(encoding="utf-8"))["features"]
    klasse = {f["properties"]["code"].strip(): f["properties"]["raw"]["kscore"]
              for f in features}
    kwb = pd.read_csv(shared_data / "cbs-kwb" / "kwb-2024-nl-bevolking-statline.csv", sep=";",
                      encoding="utf-8-sig", dtype=str)
    people = dict(zip(kwb["Regioaanduiding/Codering (code)"].str.strip(),
                      pd.to_numeric(kwb["Bevolking/Aantal inwoners (aantal)"], errors="coerce"),
                      strict=True))
    scored = [c for c in codes if c in klasse]
    return 100 * sum(people[c] for c in scored if klasse[c] <= 4) / sum(people[c] for c in scored)


def test_groningen_in_the_national_index(shared_data):
    import_file(kind="kwb", path=shared_data / "cbs-kwb" / "kwb-2024-nl-bevolking-statline.csv",
                options={"year": 2024})
    import_file(kind="leefbaarometer", path=shared_data / "leefbaarometer-2024" / "buurten",
                options={"directory": True})
    import_file(kind="rivm", path=shared_data / "rivm-gezondheidsmonitor"
                / "RIVM_gezondheid2020_18plus.xlsx")

    result = selectors.index_panel(level="buurt")
    assert result.period == "2024"
    assert result.vintages["ervaren_gezondheid_pct"] == "2020"
    assert result.vintages["lbm_onv"] == "2024"
    assert result.domains == ("poverty", "housing", "health", "safety", "physical", "social")
    rows = selectors.index_rows(result)
    ranked = [r for r in rows if r["rank"] is not None]
    assert len(rows) == 14150 and len(ranked) == 10267
    groningen = [r for r in rows if r["code"].startswith("BU0014")]
    assert len(groningen) == 149 and sum(r["rank"] is not None for r in groningen) == 101
    assert sum(r["decile"] == 1 for r in groningen) == 16
    assert sum(r["decile"] == 10 for r in groningen) == 18
    top = groningen[0]
    assert (top["code"], top["name"], top["rank"]) == ("BU00140300", "De Hoogte", 267)
    assert top["score"] == pytest.approx(58.1738, abs=1e-4)

    city = selectors.index_rows(selectors.index_panel(level="buurt", within="GM0014",
                                                      reference="city"))
    assert [r["name"] for r in city[:3]] == ["De Hoogte", "Winschoterdiep", "Bloemenbuurt"]

    drivers = selectors.area_drivers(code_or_slug="BU00140300", method="deprivation")
    assert [d["domain"] for d in drivers["drivers"][:3]] == ["poverty", "social", "safety"]

    robust = selectors.index_robustness(level="buurt").set_index("variant")
    assert robust.loc["ID 2019 weights", "n_changed"] == 3207
    assert robust.loc["ID 2019 weights", "max_shift"] == 3
    assert robust.loc["without physical", "n_changed"] == 5160

    members = [c for c, name in Area.objects.filter(level="buurt", gemeentecode="GM0014")
               .values_list("code", "name") if name in NOORD or c.startswith("BU001404")]
    assert len(members) == 12
    area_set_save(slug="groningen-noord", name="Groningen-Noord", member_codes=members)
    values = headline_values(place_codes_or_sets=["groningen-noord", "GM0014"],
                             periods=["2020", "2024"])
    share = values[(values["headline"] == LBM_ZWAK)].set_index("place")
    assert share.loc["groningen-noord", "weight"] == "inwoners"  # no dwellings imported
    assert share.loc["groningen-noord", "value"] == pytest.approx(
        lbm_share_by_hand(shared_data, set(members)), abs=1e-9)
    assert share.loc["groningen-noord", "value"] == pytest.approx(28.4598, abs=1e-4)
    assert share.loc["GM0014", "value"] == pytest.approx(9.5042, abs=1e-4)
