"""Aggregation of areas to area sets by rule, with the members that did not count."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkbalans.analysis.aggregate import aggregate_areas

TABLE = pd.DataFrame({
    "code": ["inwoners", "bijstand_pct", "lbm_klasse", "woningen"],
    "theme": ["population", "work_income", "liveability", "housing"],
    "polarity": ["neutral", "higher_worse", "higher_better", "neutral"],
    "aggregation": ["sum", "weighted_mean", "none", "sum"],
    "denominator": ["", "inwoners", "", ""],
})


def panel(rows):
    return pd.DataFrame(rows, columns=["area", "period", "indicator", "value", "status"])


ROWS = [
    ("BU1", "2020", "inwoners", 1000.0, "value"),
    ("BU1", "2020", "bijstand_pct", 10.0, "value"),
    ("BU2", "2020", "inwoners", 3000.0, "value"),
    ("BU2", "2020", "bijstand_pct", 2.0, "value"),
    ("BU3", "2020", "inwoners", 500.0, "value"),
    ("BU3", "2020", "bijstand_pct", np.nan, "suppressed"),
    ("BU1", "2020", "lbm_klasse", 5.0, "value"),
    ("BU2", "2020", "lbm_klasse", 7.0, "value"),
]


def value(result, area_set, indicator):
    v = result.values.set_index(["area_set", "indicator"])
    return v.loc[(area_set, indicator)]


def test_weighted_mean_of_a_rate_by_its_denominator():
    result = aggregate_areas(panel(ROWS), TABLE, {"noord": ["BU1", "BU2", "BU3"]})
    row = value(result, "noord", "bijstand_pct")
    # (10 * 1000 + 2 * 3000) / (1000 + 3000) = 4.0 (a plain mean of rates would say 6).
    assert row["value"] == 4.0
    assert row["coverage"] == pytest.approx(4000 / 4500)
    assert row["n_used"] == 2 and row["n_members"] == 3
    missing = result.members
    assert missing[missing.indicator == "bijstand_pct"][["area", "state"]].values.tolist() == [
        ["BU3", "suppressed"]]


def test_sum_is_missing_when_a_member_is_missing():
    rows = ROWS + [("BU1", "2020", "woningen", 400.0, "value"),
                   ("BU2", "2020", "woningen", 900.0, "value")]
    result = aggregate_areas(panel(rows), TABLE, {"noord": ["BU1", "BU2", "BU3"]})
    assert value(result, "noord", "inwoners")["value"] == 4500.0
    row = value(result, "noord", "woningen")
    assert math.isnan(row["value"]) and row["reason"] == "member(s) without a value"
    assert result.members.query("indicator == 'woningen'")["state"].tolist() == ["absent"]
    partial = aggregate_areas(panel(rows), TABLE, {"noord": ["BU1", "BU2", "BU3"]},
                              partial_sums=True)
    assert value(partial, "noord", "woningen")["value"] == 1300.0
    assert value(partial, "noord", "woningen")["reason"] == "partial sum"


def test_scores_are_not_aggregable_unless_the_set_is_one_area():
    result = aggregate_areas(panel(ROWS), TABLE, {"noord": ["BU1", "BU2"], "een": ["BU2"]})
    assert math.isnan(value(result, "noord", "lbm_klasse")["value"])
    assert value(result, "noord", "lbm_klasse")["reason"] == "not aggregable"
    assert value(result, "een", "lbm_klasse")["value"] == 7.0


def test_low_coverage_and_missing_denominator():
    rows = [("BU1", "2020", "inwoners", 100.0, "value"),
            ("BU1", "2020", "bijstand_pct", 10.0, "value"),
            ("BU2", "2020", "inwoners", 900.0, "value"),
            ("BU2", "2020", "bijstand_pct", np.nan, "missing"),
            ("BU3", "2020", "bijstand_pct", 5.0, "value")]
    result = aggregate_areas(panel(rows), TABLE, {"s": ["BU1", "BU2", "BU3"]})
    row = value(result, "s", "bijstand_pct")
    assert math.isnan(row["value"]) and row["reason"] == "coverage below minimum"
    assert row["coverage"] == pytest.approx(0.1)
    states = dict(result.members.query("indicator == 'bijstand_pct'")[["area", "state"]].values)
    assert states == {"BU2": "missing", "BU3": "no_denominator"}
    lenient = aggregate_areas(panel(rows), TABLE, {"s": ["BU1", "BU2", "BU3"]}, min_coverage=0.0)
    assert value(lenient, "s", "bijstand_pct")["value"] == 10.0


def test_unknown_rule_is_an_error():
    with pytest.raises(ValueError, match="aggregation"):
        aggregate_areas(panel(ROWS), TABLE.assign(aggregation="median"), {"s": ["BU1"]})


@settings(max_examples=50, deadline=None)
@given(data=st.lists(st.tuples(st.floats(0, 100), st.floats(1, 1e4)), min_size=2, max_size=10),
       seed=st.integers(0, 2**32 - 1))
def test_aggregation_does_not_depend_on_member_order(data, seed):
    rows = []
    for i, (rate, n) in enumerate(data):
        rows += [(f"BU{i}", "2020", "bijstand_pct", rate, "value"),
                 (f"BU{i}", "2020", "inwoners", n, "value")]
    members = [f"BU{i}" for i in range(len(data))]
    shuffled = list(np.random.default_rng(seed).permutation(members))
    a = aggregate_areas(panel(rows), TABLE, {"s": members}).values
    b = aggregate_areas(panel(rows).sample(frac=1.0, random_state=seed % 1000), TABLE,
                        {"s": shuffled}).values
    np.testing.assert_allclose(a["value"], b["value"], rtol=1e-12)
    want = sum(r * n for r, n in data) / sum(n for _, n in data)
    assert value(aggregate_areas(panel(rows), TABLE, {"s": members}), "s", "bijstand_pct")[
        "value"] == pytest.approx(want, rel=1e-12)
