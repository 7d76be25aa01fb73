"""Robustness: how many areas change decile under another weighting."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkbalans.analysis.robustness import decile_changes, robustness, weight_variants
from wijkbalans.analysis.stacking import StackingConfig, stacking_index

TABLE = pd.DataFrame({"code": ["p", "h"], "theme": ["poverty", "health"],
                      "polarity": ["higher_worse", "higher_worse"]})
THEMES = ("poverty", "health")


def panel_from(p, h):
    areas = [f"a{i:02d}" for i in range(len(p))]
    return pd.DataFrame({"area": areas * 2, "period": "2020",
                         "indicator": ["p"] * len(p) + ["h"] * len(h), "value": list(p) + list(h)})


def test_decile_changes_by_hand():
    # Ten areas: poverty ranks them 0..9, health in the opposite order.
    panel = panel_from(range(10), range(9, -1, -1))
    only_p = stacking_index(panel, TABLE, config=StackingConfig(
        themes=THEMES, deprivation_weights={"poverty": 1, "health": 0}))
    only_h = stacking_index(panel, TABLE, config=StackingConfig(
        themes=THEMES, deprivation_weights={"poverty": 0, "health": 1}))
    # Ten areas, ten deciles: reversing the order moves every area (a4 -> a5 swap etc.).
    out = decile_changes(only_p, only_h)
    assert out.loc[0, "n_compared"] == 10 and out.loc[0, "n_changed"] == 10
    assert out.loc[0, "max_shift"] == 9.0  # decile 1 <-> decile 10
    assert out.loc[0, "rank_correlation"] == pytest.approx(-1.0)
    same = decile_changes(only_p, only_p)
    assert same.loc[0, "n_changed"] == 0 and same.loc[0, "rank_correlation"] == pytest.approx(1.0)


def test_two_swapped_areas_change_two_deciles():
    # Health equals poverty except that a00 and a09 swap places: 2 of 10 change decile.
    panel = panel_from(range(10), [9, 1, 2, 3, 4, 5, 6, 7, 8, 0])
    configs = [StackingConfig(themes=THEMES, deprivation_weights=w)
               for w in ({"poverty": 1, "health": 0}, {"poverty": 0, "health": 1})]
    a, b = (stacking_index(panel, TABLE, config=c) for c in configs)
    out = decile_changes(a, b)
    assert out.loc[0, "n_changed"] == 2 and out.loc[0, "share_changed"] == 0.2
    # Under the index-100 method the overall uses equal weights in both, so nothing moves.
    assert decile_changes(a, b, method="index100").loc[0, "n_changed"] == 0


def test_robustness_over_variants():
    rng = np.random.default_rng(11)
    latent = rng.normal(size=60)
    panel = panel_from(latent + rng.normal(scale=0.3, size=60),
                       latent + rng.normal(scale=0.3, size=60))
    base = StackingConfig(themes=THEMES)
    variants = weight_variants(base, THEMES)
    assert set(variants) == {"equal weights", "ID 2019 weights", "without poverty",
                             "without health"}
    out = robustness(panel, TABLE, variants=variants, base=base)
    by = out.set_index("variant")
    assert by.loc["equal weights", "n_changed"] == 0
    assert 0 < by.loc["without health", "n_changed"] <= 60
    assert by.loc["without health", "rank_correlation"] > 0.5  # correlated domains


@settings(max_examples=25, deadline=None)
@given(p=st.lists(st.floats(0, 100, allow_nan=False), min_size=5, max_size=25),
       weight=st.floats(0.1, 10))
def test_changes_are_counted_within_bounds(p, weight):
    h = p[::-1]
    panel = panel_from(p, h)
    a = stacking_index(panel, TABLE, config=StackingConfig(themes=THEMES))
    b = stacking_index(panel, TABLE, config=StackingConfig(
        themes=THEMES, deprivation_weights={"poverty": weight, "health": 1}))
    out = decile_changes(a, b)
    if len(out):
        assert 0 <= out.loc[0, "n_changed"] <= out.loc[0, "n_compared"]
        manual = (a.scores["deprivation_decile"] != b.scores["deprivation_decile"]) & \
            a.scores["deprivation_decile"].notna() & b.scores["deprivation_decile"].notna()
        assert out.loc[0, "n_changed"] == manual.sum()
