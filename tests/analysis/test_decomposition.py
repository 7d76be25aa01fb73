"""Decomposition: contributions add up exactly and name the drivers."""

import numpy as np
import pandas as pd
import pytest

from wijkbalans.analysis.decomposition import drivers
from wijkbalans.analysis.stacking import StackingConfig, stacking_index

from .test_stacking import HAND, TABLE, THEMES, X


def test_contributions_by_hand():
    result = stacking_index(HAND, TABLE, config=StackingConfig(themes=THEMES))
    d = result.domains.astype({"area": str, "domain": str}).set_index(["area", "domain"])
    # a: poverty 110 and health 110, equal weights: each (110 - 100) / 2 = 5 points.
    assert d.loc[("a", "poverty"), "index100_contribution"] == 5.0
    assert d.loc[("c", "poverty"), "index100_contribution"] == -5.0
    assert d.loc[("a", "health"), "deprivation_contribution"] == pytest.approx(
        X[0.25] / 2, abs=1e-5)
    ind = result.indicators.astype({"area": str, "indicator": str}).set_index(["area", "indicator"])
    # b's health is (z_h1 + z_h2) / 2 = (1 + 1) / 2; each indicator: 1/2 * (-10 * 1) / 2 = -2.5.
    assert ind.loc[("b", "h1"), "index100_contribution"] == -2.5
    assert ind.loc[("b", "h2"), "index100_contribution"] == -2.5
    assert ind.loc[("b", "p1"), "domain"] == "poverty"


def test_contributions_add_up_to_the_overall_scores():
    rng = np.random.default_rng(3)
    codes = ["p1", "h1", "h2"]
    rows = [(f"a{i}", "2020", c, rng.normal(10, 3)) for i in range(40) for c in codes]
    panel = pd.DataFrame(rows, columns=["area", "period", "indicator", "value"])
    panel.loc[rng.random(len(panel)) < 0.1, "value"] = np.nan
    config = StackingConfig(themes=THEMES, index_weights={"poverty": 3, "health": 1},
                            deprivation_weights={"poverty": 1, "health": 2}, allow_partial=True)
    result = stacking_index(panel, TABLE, config=config)
    scores = result.scores.astype({"area": str}).set_index("area")
    dom = result.domains.astype({"area": str}).groupby("area")
    ind = result.indicators.astype({"area": str}).groupby("area")
    np.testing.assert_allclose(dom["index100_contribution"].sum(min_count=1),
                               scores["index100"] - 100, atol=1e-9)
    np.testing.assert_allclose(dom["deprivation_contribution"].sum(min_count=1),
                               scores["deprivation"], atol=1e-9)
    np.testing.assert_allclose(ind["index100_contribution"].sum(min_count=1),
                               scores["index100"] - 100, atol=1e-9)


def test_drivers_worst_first():
    result = stacking_index(HAND, TABLE, config=StackingConfig(themes=THEMES))
    top = drivers(result, area="b", period="2020")
    assert top["domain"].astype(str).tolist() == ["health", "poverty"]  # -5 pulls hardest
    assert top["index100_contribution"].tolist() == [-5.0, 5.0]
    dep = drivers(result, area="c", period="2020", method="deprivation", n=1)
    assert dep["domain"].astype(str).tolist() == ["poverty"]  # X = 100 / 2 = 50
    ind = drivers(result, area="c", period="2020", level="indicator", n=1)
    assert ind["indicator"].astype(str).tolist() == ["p1"]  # 1/2 * -10 * 1 / 1 = -5
    with pytest.raises(ValueError):
        drivers(result, area="c", period="2020", level="indicator", method="deprivation")
