"""Orientation and standardisation against a reference, by hand and by property."""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkbalans.analysis.standardise import (
    Reference,
    indicator_table,
    orientation,
    standardise,
    to_cube,
)


def panel_of(values: dict[str, dict[str, list[float]]], areas="abc") -> pd.DataFrame:
    """{period: {indicator: [value per area]}} as a long panel."""
    rows = [(a, p, i, v) for p, by_ind in values.items() for i, vs in by_ind.items()
            for a, v in zip(areas, vs, strict=True)]
    return pd.DataFrame(rows, columns=["area", "period", "indicator", "value"])


TABLE = pd.DataFrame({"code": ["x", "y", "n"], "theme": ["poverty", "health", "population"],
                      "polarity": ["higher_worse", "higher_better", "neutral"]})


def z_of(frame, area, period="2020", indicator="x"):
    row = frame[(frame.area == area) & (frame.period == period) & (frame.indicator == indicator)]
    return float(row["z_problem"].iloc[0])


def test_z_by_hand_and_orientation():
    # x = 1, 2, 3: mean 2, population sd sqrt(2/3) = 0.816497; z = -1.224745, 0, 1.224745.
    out = standardise(panel_of({"2020": {"x": [1, 2, 3], "y": [1, 2, 3], "n": [1, 2, 3]}}), TABLE)
    assert z_of(out, "c") == pytest.approx(1.224745, abs=1e-6)
    assert z_of(out, "a") == pytest.approx(-1.224745, abs=1e-6)
    # higher_better: the same values, the other sign (high y is good, so a is worst).
    assert z_of(out, "a", indicator="y") == pytest.approx(1.224745, abs=1e-6)
    assert out.loc[out.indicator == "n", "z_problem"].isna().all()  # neutral: no orientation
    assert out["ref_mean"].iloc[0] == 2.0


def test_city_reference():
    # Reference a and b only: mean 1.5, sd 0.5, so c (3) is (3 - 1.5) / 0.5 = 3 sd worse.
    out = standardise(panel_of({"2020": {"x": [1, 2, 3]}}), TABLE,
                      reference=Reference(areas=("a", "b")))
    assert z_of(out, "c") == pytest.approx(3.0)
    assert z_of(out, "a") == pytest.approx(-1.0)


def test_fixed_base_period_keeps_trends_absolute():
    panel = panel_of({"2020": {"x": [1, 2, 3]}, "2021": {"x": [2, 3, 4]}})
    relative = standardise(panel, TABLE)
    fixed = standardise(panel, TABLE, reference=Reference(base_period="2020"))
    # Relative: every area keeps its z although all rose by 1. Fixed on 2020: all rose.
    assert z_of(relative, "b", "2021") == pytest.approx(0.0)
    assert z_of(fixed, "b", "2021") == pytest.approx(1 / math.sqrt(2 / 3))
    assert z_of(fixed, "c", "2021") == pytest.approx(2 / math.sqrt(2 / 3))
    with pytest.raises(ValueError, match="base period"):
        standardise(panel, TABLE, reference=Reference(base_period="2019"))


def test_missing_values_are_left_out_not_zero():
    out = standardise(panel_of({"2020": {"x": [1, np.nan, 3]}}), TABLE)
    # Mean of 1 and 3 is 2 (with a zero it would be 4/3), sd 1.
    assert out["ref_mean"].iloc[0] == 2.0
    assert z_of(out, "c") == pytest.approx(1.0)
    assert math.isnan(z_of(out, "b"))


def test_constant_indicator_cannot_be_standardised():
    out = standardise(panel_of({"2020": {"x": [2, 2, 2]}}), TABLE)
    assert out["z_problem"].isna().all()


def test_excluded_areas_stay_out_of_the_reference():
    exclude = pd.Series([True], index=pd.MultiIndex.from_tuples([("c", "2020")]))
    out = standardise(panel_of({"2020": {"x": [1, 2, 30]}}), TABLE, exclude=exclude)
    assert out["ref_mean"].iloc[0] == 1.5
    assert z_of(out, "c") == pytest.approx((30 - 1.5) / 0.5)


def test_repeated_rows_are_an_error():
    panel = panel_of({"2020": {"x": [1, 2, 3]}})
    with pytest.raises(ValueError, match="repeated"):
        to_cube(pd.concat([panel, panel.head(1)]))


def test_missing_codes_are_an_error():
    panel = panel_of({"2020": {"x": [1, 2, 3]}})
    panel.loc[0, "area"] = None
    with pytest.raises(ValueError, match="missing codes"):
        to_cube(panel)


def test_indicator_table_from_specs_and_validation():
    @dataclass
    class Spec:
        code: str
        theme: str
        polarity: str
        aggregation: str = "weighted_mean"
        denominator: str = "inwoners"

    table = indicator_table([Spec("a", "poverty", "higher_worse"),
                             {"code": "b", "theme": "health", "polarity": "neutral"}])
    assert table.loc["a", "denominator"] == "inwoners"
    assert table.loc["b", "aggregation"] == "none"
    with pytest.raises(ValueError, match="polarity"):
        indicator_table([{"code": "c", "theme": "x", "polarity": "up"}])
    with pytest.raises(ValueError, match="polarity"):
        orientation("sideways")


def _big_panel(layout: str) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    areas, periods, inds = [f"BU{i:04d}" for i in range(300)], ["2020", "2021"], list("xyz")
    idx = pd.MultiIndex.from_product([areas, periods, inds], names=["area", "period", "indicator"])
    panel = pd.DataFrame({"value": rng.normal(size=len(idx))}, index=idx).reset_index()
    if layout == "shuffled":
        panel = panel.sample(frac=1.0, random_state=1)
    if layout == "categorical":
        panel = panel.astype({"area": "category", "period": "category", "indicator": "category"})
    return panel


@pytest.mark.parametrize("layout", ["shuffled", "categorical"])
def test_cube_does_not_depend_on_row_order_or_dtype(layout):
    # Sorted panels take the fast paths (runs, repeated blocks); the rest must agree.
    want = to_cube(_big_panel("sorted"))
    got = to_cube(_big_panel(layout))
    assert list(got.areas) == list(want.areas) and list(got.indicators) == list(want.indicators)
    np.testing.assert_array_equal(got.values, want.values)


values = st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=3, max_size=8)


@settings(max_examples=60, deadline=None)
@given(values=values, missing=st.lists(st.booleans(), min_size=8, max_size=8))
def test_flipping_polarity_flips_orientation(values, missing):
    vals = [np.nan if m else v for v, m in zip(values, missing, strict=False)]
    areas = [f"a{i}" for i in range(len(vals))]
    panel = panel_of({"2020": {"x": vals}}, areas=areas)
    worse = standardise(panel, TABLE)
    flipped = TABLE.assign(polarity=TABLE["polarity"].replace({"higher_worse": "higher_better"}))
    better = standardise(panel, flipped)
    np.testing.assert_array_equal(worse["z_problem"].to_numpy(), -better["z_problem"].to_numpy())


@settings(max_examples=60, deadline=None)
@given(values=values, where=st.integers(0, 7))
def test_a_missing_value_is_the_same_as_no_row(values, where):
    where = where % len(values)
    areas = [f"a{i}" for i in range(len(values))]
    with_nan = panel_of({"2020": {"x": [np.nan if i == where else v
                                        for i, v in enumerate(values)]}}, areas=areas)
    dropped = with_nan.drop(index=where)
    a = standardise(with_nan, TABLE).set_index("area")["z_problem"].drop(areas[where])
    b = standardise(dropped, TABLE).set_index("area")["z_problem"]
    # Equal up to the order of summation.
    np.testing.assert_allclose(a.to_numpy(), b.loc[a.index].to_numpy(), rtol=1e-12, atol=1e-12)
