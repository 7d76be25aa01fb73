"""Groningen-Noord from the real files: the programme area's figures on its profile equal a
hand computation from the source files (counts summed, shares weighted by residents)."""

import json

import pandas as pd
import pytest

from wijkbalans.areas.services import area_set_save
from wijkbalans.indicators.services import import_file

pytestmark = pytest.mark.django_db

NOORD = ["Vinkhuizen-Noord", "Vinkhuizen-Zuid", "Paddepoel-Noord", "Paddepoel-Zuid",
         "Selwerd", "Indische buurt", "De Hoogte"]  # + every buurt of the Oosterparkwijk


@pytest.fixture
def groningen(shared_data, tmp_path):
    kaart = shared_data / "cbs-wijkbuurtkaart-2017-groningen"
    import_file(kind="boundaries", path=kaart / "wijk2017.csv", options={"year": 2017})
    import_file(kind="boundaries", path=kaart / "buurt2017.csv", options={"year": 2017})
    kwb = shared_data / "cbs-kwb" / "kwb-2024-nl-bevolking-statline.csv"
    import_file(kind="kwb", path=kwb, options={"year": 2024, "within": "GM0014"})
    # 2017 residents and share aged 65+ from the 2017 map's attribute table.
    source = pd.read_csv(kaart / "buurt2017.csv")
    extract = source[["BU_CODE", "AANT_INW", "P_65_EO_JR"]].rename(
        columns={"BU_CODE": "buurtcode", "AANT_INW": "inwoners", "P_65_EO_JR": "aandeel_65plus"})
    extract.to_csv(tmp_path / "buurten-2017.csv", index=False)
    (tmp_path / "defs.json").write_text(json.dumps([{
        "code": "aandeel_65plus", "name_nl": "Aandeel 65 jaar of ouder", "unit": "%",
        "aggregation": "weighted_mean", "denominator": "inwoners", "theme": "population"}]))
    import_file(kind="table", path=tmp_path / "buurten-2017.csv",
                options={"period": "2017", "prefix": "",
                         "indicators_file": str(tmp_path / "defs.json")})
    members = source[source["BU_NAAM"].isin(NOORD) | (source["WK_CODE"] == "WK001404")]
    assert len(members) == 12
    area_set_save(slug="groningen-noord", name="Groningen-Noord",
                  member_codes=members["BU_CODE"].tolist())
    return source, members, pd.read_csv(kwb, sep=";", encoding="utf-8-sig", dtype=str)


def test_profile_of_groningen_noord_matches_a_hand_computation(client, groningen):
    source, members, kwb = groningen
    codes = set(members["BU_CODE"])
    kwb["code"] = kwb["Regioaanduiding/Codering (code)"].str.strip()
    residents_2024 = kwb.loc[kwb["code"].isin(codes), "Bevolking/Aantal inwoners (aantal)"]
    expected_2024 = residents_2024.astype(int).sum()
    expected_2017 = members["AANT_INW"].sum()
    expected_share = (members["AANT_INW"] * members["P_65_EO_JR"]).sum() / expected_2017
    assert expected_2017 == 51785  # 3975 + 8480 + 6150 + ... + 800, by hand from the file

    response = client.get("/gebied/groningen-noord/")
    assert response.status_code == 200
    figures = {f.indicator.code: f for _, fs in response.context["profile"].figures_by_theme
               for f in fs}
    assert figures["inwoners"].period == "2024"
    assert figures["inwoners"].value == expected_2024
    assert figures["aandeel_65plus"].period == "2017"
    assert figures["aandeel_65plus"].value == pytest.approx(expected_share, abs=1e-9)

    trends = {t["indicator"].code: t for t in response.context["trends"]}
    first = dict(trends["inwoners"]["table"]["rows"])["2017"]
    assert first[0] == f"{expected_2017:,}".replace(",", ".")
    # the city column is the municipality's own figure, not the programme area's
    assert figures["inwoners"].references[0] != figures["inwoners"].text
