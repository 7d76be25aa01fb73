"""The donor rules: who is left out, and why, in both languages."""

import numpy as np
import pytest

from wijkbalans.analysis.effects.donors import donor_pool, restrict
from wijkbalans.analysis.effects.panel import Panel, PanelError


def panel():
    y = np.arange(24, dtype=float).reshape(6, 4)
    y[3, 1] = np.nan  # D: a gap before the start
    y[4, 3] = np.nan  # E: a gap after it
    return Panel(units=tuple("ABCDEF"), times=(2018, 2019, 2020, 2021), y=y, outcome="score")


def test_every_rule_gives_its_reason():
    pool = donor_pool(panel(), treated=["A"], start=2020, similar=["B"], exclude=["F"])
    assert pool.donors == ("C",)
    reasons = {e.unit: (e.reason, e.detail_en, e.detail_nl) for e in pool.excluded}
    assert reasons["B"][0] == "similar_programme"
    assert reasons["D"] == ("missing_pre", "has missing values before the start: 2019",
                            "mist waarden vóór de start: 2019")
    assert reasons["E"][:2] == ("missing_post", "has missing values from the start on: 2021")
    assert reasons["F"][0] == "excluded"
    sub, rows = restrict(panel(), pool)
    assert sub.units == ("A", "C") and rows.tolist() == [0, 2]


def test_own_city_and_missing_predictors():
    cities = {"A": "GM0014", "B": "GM0014", "C": "GM0363", "D": "GM0014", "E": "GM0363",
              "F": "GM0599"}
    x = np.ones((6, 2))
    x[5, 1] = np.nan
    pool = donor_pool(panel(), treated=["A"], start=2020, city_of=cities, exclude_own_city=True,
                      predictors=x, predictor_names=["inkomen", "woz"])
    reasons = {e.unit: e for e in pool.excluded}
    assert reasons["B"].reason == "own_city" and reasons["B"].detail_en.endswith("(GM0014)")
    assert reasons["F"].reason == "missing_predictor" and reasons["F"].detail_en.endswith("woz")
    assert pool.donors == ("C",)
    assert pool.to_dict()["excluded"][0]["unit"] == "B"


def test_a_treated_area_with_gaps_or_no_donors_is_an_error():
    with pytest.raises(PanelError, match="treated unit 'D' has no value for 'score' in 2019"):
        donor_pool(panel(), treated=["D"], start=2020)
    with pytest.raises(PanelError, match="no comparison area is left"):
        donor_pool(panel(), treated=["A"], start=2020, similar=["B", "C", "F"])
    with pytest.raises(PanelError, match="needs the city"):
        donor_pool(panel(), treated=["A"], start=2020, exclude_own_city=True)
    with pytest.raises(PanelError, match="'Z' .* is not in the panel"):
        donor_pool(panel(), treated=["A"], start=2020, similar=["Z"])
