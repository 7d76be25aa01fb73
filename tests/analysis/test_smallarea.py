"""Minimum-population flags and Marshall's empirical Bayes shrinkage."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkbalans.analysis.smallarea import shrink_panel, shrink_rates, small_area_flags


def test_flags_below_minimum_and_unknown_is_not_small():
    flags = small_area_flags(pd.Series([0.0, 99.0, 100.0, np.nan]), min_population=100)
    assert flags.tolist() == [True, True, False, False]


def test_shrinkage_by_hand():
    # x = 1, 30, 20 events in n = 10, 100, 200: r = 0.1, 0.3, 0.1.
    # m = 51/310 = 0.164516; s2 = (10*0.004162 + 100*0.018356 + 200*0.004162)/310 = 0.008741
    # nbar = 103.33; A = s2 - m/nbar = 0.008741 - 0.001592 = 0.007149
    # C = A / (A + m/n) = 0.30291, 0.81292, 0.89681
    # theta = m + C (r - m) = 0.144974, 0.274653, 0.106658
    f = pd.DataFrame({"parent": "GM1", "numerator": [1.0, 30.0, 20.0],
                      "denominator": [10.0, 100.0, 200.0]})
    out = shrink_rates(f)
    assert out["prior_mean"].iloc[0] == pytest.approx(51 / 310)
    assert out["prior_var"].iloc[0] == pytest.approx(0.007149, abs=1e-6)
    np.testing.assert_allclose(out["weight"], [0.30291, 0.81292, 0.89681], atol=1e-5)
    np.testing.assert_allclose(out["shrunk_rate"], [0.144974, 0.274653, 0.106658], atol=1e-6)


def test_no_spread_beyond_noise_shrinks_to_the_parent():
    # Equal raw rates: s2 = 0 < m/nbar, so A = 0 and every area gets the parent rate.
    f = pd.DataFrame({"parent": "GM1", "numerator": [1.0, 2.0], "denominator": [10.0, 20.0]})
    assert shrink_rates(f)["shrunk_rate"].tolist() == pytest.approx([0.1, 0.1])


def test_groups_shrink_to_their_own_parent_and_missing_stays_missing():
    f = pd.DataFrame({"parent": ["A", "A", "B", "B", "B"],
                      "numerator": [5.0, 15.0, 50.0, 70.0, np.nan],
                      "denominator": [100.0, 100.0, 100.0, 100.0, 100.0]})
    out = shrink_rates(f)
    assert out["prior_mean"].iloc[:4].tolist() == pytest.approx([0.1, 0.1, 0.6, 0.6])
    assert math.isnan(out["shrunk_rate"].iloc[4])


def test_given_parent_rate_and_binomial_model():
    f = pd.DataFrame({"parent": "GM1", "numerator": [2.0, 8.0, 30.0],
                      "denominator": [10.0, 20.0, 100.0], "official": 0.25})
    out = shrink_rates(f, parent_rate="official", model="binomial")
    assert out["prior_mean"].tolist() == [0.25, 0.25, 0.25]
    with pytest.raises(ValueError):
        shrink_rates(f, model="normal")


def test_shrink_panel_replaces_the_rate():
    rows = []
    for area, (x, n) in {"BU1": (1, 10), "BU2": (30, 100), "BU3": (20, 200)}.items():
        rows += [(area, "2020", "events", float(x)), (area, "2020", "persons", float(n)),
                 (area, "2020", "rate_pct", 100 * x / n)]
    panel = pd.DataFrame(rows, columns=["area", "period", "indicator", "value"])
    out = shrink_panel(panel, rates={"rate_pct": ("events", "persons")},
                       parents={"BU1": "GM1", "BU2": "GM1", "BU3": "GM1"}, scale={"rate_pct": 100})
    rate = out[out.indicator == "rate_pct"].set_index("area")["value"]
    np.testing.assert_allclose(rate.loc[["BU1", "BU2", "BU3"]], [14.4974, 27.4653, 10.6658],
                               atol=1e-4)
    assert out[out.indicator == "events"]["value"].tolist() == [1.0, 30.0, 20.0]


groups = st.lists(st.tuples(st.integers(0, 200), st.integers(1, 5000)), min_size=2, max_size=15)


@settings(max_examples=80, deadline=None)
@given(rows=groups)
def test_shrunk_rates_lie_between_raw_and_parent(rows):
    f = pd.DataFrame({"parent": "P", "numerator": [float(min(x, n)) for x, n in rows],
                      "denominator": [float(n) for _, n in rows]})
    out = shrink_rates(f)
    lo = np.minimum(out["raw_rate"], out["prior_mean"]) - 1e-12
    hi = np.maximum(out["raw_rate"], out["prior_mean"]) + 1e-12
    assert ((out["shrunk_rate"] >= lo) & (out["shrunk_rate"] <= hi)).all()
    assert out["weight"].between(0, 1).all()


@settings(max_examples=80, deadline=None)
@given(rows=groups)
def test_larger_denominators_shrink_less(rows):
    f = pd.DataFrame({"parent": "P", "numerator": [float(min(x, n)) for x, n in rows],
                      "denominator": [float(n) for _, n in rows]})
    out = shrink_rates(f).sort_values("denominator")
    assert (np.diff(out["weight"].to_numpy()) >= -1e-12).all()
