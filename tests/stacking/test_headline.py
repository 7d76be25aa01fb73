"""The NPLV headline set: its configuration and its values, the derived Leefbaarometer
share by hand, with dwellings where known and residents otherwise."""

from __future__ import annotations

import pandas as pd
import pytest

from wijkbalans.indicators import catalogue
from wijkbalans.stacking.headline import (
    BY_CODE,
    HEADLINE,
    LBM_ZWAK,
    headline_values,
    lbm_zwak_share,
)

pytestmark = pytest.mark.django_db


def test_the_headline_set_is_complete_and_says_where_figures_come_from():
    assert [item.code for item in HEADLINE] == [
        LBM_ZWAK, "werkzaam_pct", "laag_inkomen_hh_pct", "kinderen_armoede_pct",
        "jonge_verdachten_per_1000", "onderwijsachterstand_pct", "ervaren_gezondheid_pct"]
    for item in HEADLINE:
        assert item.indicator is None or item.indicator in catalogue.BY_CODE
        assert item.how_to_import
    not_open = {i.code for i in HEADLINE if not i.open_data}
    assert not_open == {"kinderen_armoede_pct", "jonge_verdachten_per_1000",
                        "onderwijsachterstand_pct"}
    assert "wijkbalans import table" in BY_CODE["kinderen_armoede_pct"].how_to_import
    assert "import rivm" in BY_CODE["ervaren_gezondheid_pct"].how_to_import


def test_lbm_share_rule_on_a_frame():
    panel = pd.DataFrame({
        "area": ["a", "b", "c"] * 3, "period": "2024",
        "indicator": ["lbm_klasse"] * 3 + ["woningen"] * 3 + ["inwoners"] * 3,
        "value": [4.0, 5.0, None, 100.0, 300.0, 100.0, 1.0, 1.0, 1.0]})
    out = lbm_zwak_share(panel, {"S": ["a", "b", "c"]}).iloc[0]
    # c has no class: left out; a (class 4, zwak) has 100 of the 400 dwellings scored.
    assert out["value"] == pytest.approx(25.0)
    assert out["weight"] == "woningen" and out["n_buurten"] == 2
    assert out["coverage"] == pytest.approx(400 / 500)
    thin = lbm_zwak_share(panel, {"S": ["a", "c"]}).iloc[0]  # coverage 100/200 = 0.5: kept
    assert thin["value"] == pytest.approx(100.0)
    # Dwellings known for b (100) and c (300) only; the scored a and b cover 100 of 400.
    sparse = pd.DataFrame({
        "area": ["a", "b", "c", "b", "c"], "period": "2024",
        "indicator": ["lbm_klasse", "lbm_klasse", "lbm_klasse", "woningen", "woningen"],
        "value": [4.0, 5.0, None, 100.0, 300.0]})
    low = lbm_zwak_share(sparse, {"S": ["a", "b", "c"]}).iloc[0]
    assert low["coverage"] == pytest.approx(0.25) and pd.isna(low["value"])


def test_headline_values_by_hand(country):
    frame = headline_values(place_codes_or_sets=["noord", "GM0777", "GM0778", "NL00"])
    value = {(r.place, r.headline, r.period): r for r in frame.itertuples()}
    # 2024, by dwellings: set b0..b2 classes 3, 4, 5 with 80, 100, 150 dwellings.
    noord = value[("noord", LBM_ZWAK, "2024")]
    assert noord.value == pytest.approx(100 * 180 / 330)
    assert noord.weight == "woningen" and noord.how == "derived"
    # GM0777: b0, b1 and b4 (class 2) are zwak or worse: 430 of 1080 dwellings.
    assert value[("GM0777", LBM_ZWAK, "2024")].value == pytest.approx(100 * 430 / 1080)
    assert value[("GM0778", LBM_ZWAK, "2024")].value == 0.0
    assert value[("NL00", LBM_ZWAK, "2024")].value == pytest.approx(100 * 430 / 2300)
    # 2021 has no dwelling counts: residents weigh (100 + 200 + 500 of 2100).
    city_2021 = value[("GM0777", LBM_ZWAK, "2021")]
    assert city_2021.weight == "inwoners"
    assert city_2021.value == pytest.approx(100 * 800 / 2100)
    # Catalogue figures: the set's aggregate, the gemeente's own, the country's own.
    assert value[("noord", "werkzaam_pct", "2024")].value == pytest.approx(36400 / 600)
    assert value[("noord", "werkzaam_pct", "2024")].how == "aggregated"
    assert value[("GM0777", "werkzaam_pct", "2019")].value == 66.0
    assert value[("GM0777", "werkzaam_pct", "2019")].how == "stored"
    assert value[("NL00", "ervaren_gezondheid_pct", "2019")].value == 78.0
    # Figures the store lacks have no rows.
    assert not (frame["headline"] == "kinderen_armoede_pct").any()
    only_2024 = headline_values(place_codes_or_sets=["noord"], periods=["2024"])
    assert set(only_2024["period"]) == {"2024"}
