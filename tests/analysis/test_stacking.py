"""The stacked-problem index: a hand-computed case for each method, and its invariants."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from wijkbalans.analysis.stacking import StackingConfig, stacking_index
from wijkbalans.analysis.standardise import Reference

THEMES = ("poverty", "health")
TABLE = pd.DataFrame({
    "code": ["p1", "h1", "h2", "inwoners"],
    "theme": ["poverty", "health", "health", "population"],
    "polarity": ["higher_worse", "higher_better", "higher_worse", "neutral"],
})
CONFIG = StackingConfig(themes=THEMES)


def long(values: dict[str, list[float]], areas="abcd", period="2020") -> pd.DataFrame:
    rows = [(a, period, ind, v) for ind, vs in values.items()
            for a, v in zip(areas, vs, strict=True)]
    return pd.DataFrame(rows, columns=["area", "period", "indicator", "value"])


# Every indicator has mean 2 and population sd 1, so the problem z-scores are:
#   p1 (higher_worse)  1, 1, 3, 3  -> -1, -1, +1, +1   poverty = -1, -1, 1, 1
#   h1 (higher_better) 3, 1, 3, 1  -> -1, +1, -1, +1
#   h2 (higher_worse)  1, 3, 3, 1  -> -1, +1, +1, -1   health  = -1, 1, 0, 0
HAND = long({"p1": [1, 1, 3, 3], "h1": [3, 1, 3, 1], "h2": [1, 3, 3, 1]})
X = {0.25: 6.517733, 0.5: 15.646790, 0.75: 31.009144, 1.0: 100.0}  # -23 ln(1 - R(1 - e^-100/23))


def by_area(result):
    return result.scores.astype({"area": str}).set_index("area")


def domain(result, area, dom, column):
    d = result.domains.astype({"area": str, "domain": str})
    return float(d[(d.area == area) & (d.domain == dom)][column].iloc[0])


def test_method_a_index_100_by_hand():
    s = by_area(stacking_index(HAND, TABLE, config=CONFIG))
    # poverty 110, 110, 90, 90; health 110, 90, 100, 100; overall the mean of the two.
    assert s["index100"].tolist() == [110.0, 100.0, 95.0, 95.0]
    # Lower is worse: c and d tie at rank 1 ('min'), b is 3, a is 4.
    assert s["index100_rank"].tolist() == [4.0, 3.0, 1.0, 1.0]
    # Deciles of 4 ranked areas: ceil(10 * rank / 4) = 10, 8, 3, 3.
    assert s["index100_decile"].tolist() == [10.0, 8.0, 3.0, 3.0]


def test_domain_scores_wide():
    wide = stacking_index(HAND, TABLE, config=CONFIG).domain_scores()
    assert list(wide.columns) == ["area", "period", "poverty", "health"]
    assert wide["health"].tolist() == [110.0, 90.0, 100.0, 100.0]
    z = stacking_index(HAND, TABLE, config=CONFIG).domain_scores("z_problem")
    assert z["poverty"].tolist() == [-1.0, -1.0, 1.0, 1.0]


def test_method_b_exponential_by_hand():
    result = stacking_index(HAND, TABLE, config=CONFIG)
    s = by_area(result)
    # R poverty: 2/4, 2/4, 4/4, 4/4 (ties share the larger R); health: 1/4, 4/4, 3/4, 3/4.
    assert domain(result, "b", "health", "position") == 1.0
    assert domain(result, "c", "health", "position") == 0.75
    want = [(X[0.5] + X[0.25]) / 2, (X[0.5] + X[1.0]) / 2, (X[1.0] + X[0.75]) / 2,
            (X[1.0] + X[0.75]) / 2]
    np.testing.assert_allclose(s["deprivation"], want, atol=1e-5)
    assert s["deprivation_rank"].tolist() == [4.0, 3.0, 1.0, 1.0]


def test_method_b_with_weights_by_hand():
    config = StackingConfig(themes=THEMES, deprivation_weights={"poverty": 22.5, "health": 13.5})
    s = by_area(stacking_index(HAND, TABLE, config=config))
    # a: (22.5 * 15.646790 + 13.5 * 6.517733) / 36 = 12.223394
    assert s.loc["a", "deprivation"] == pytest.approx(12.223394, abs=1e-5)
    # b: (22.5 * 15.646790 + 13.5 * 100) / 36 = 47.279244; c: (22.5 * 100 + 13.5 * 31.009144) / 36
    assert s.loc["b", "deprivation"] == pytest.approx(47.279244, abs=1e-5)
    assert s.loc["c", "deprivation"] == pytest.approx(74.128429, abs=1e-5)


def test_method_c_stacking_count_by_hand():
    # Worst decile of 4 areas: k = ceil(0.4) = 1, the single worst value and its ties.
    s = by_area(stacking_index(HAND, TABLE, config=CONFIG))
    assert s["stack_count"].tolist() == [0.0, 1.0, 1.0, 1.0]  # poverty: c, d; health: b
    # Worst half: k = 2; poverty cut-off 1 (c, d), health cut-off 0 (b, c, d).
    half_config = StackingConfig(themes=THEMES, worst_share=0.5)
    half = by_area(stacking_index(HAND, TABLE, config=half_config))
    assert half["stack_count"].tolist() == [0.0, 1.0, 2.0, 2.0]


def test_missing_indicator_uses_the_mean_of_the_others():
    panel = HAND.copy()
    panel.loc[(panel.area == "b") & (panel.indicator == "h2"), "value"] = np.nan
    result = stacking_index(panel, TABLE, config=CONFIG)
    # h2 without b: values 1, 3, 1 -> mean 5/3, sd 0.942809; b's health = z(h1) = +1 only.
    assert domain(result, "b", "health", "z_problem") == 1.0
    assert domain(result, "b", "health", "n_present") == 1
    # With 0 instead of NaN, b's health would average in a z of (0 - 1.25)/1.0897 = -1.147.
    zeroed = HAND.copy()
    zeroed.loc[(zeroed.area == "b") & (zeroed.indicator == "h2"), "value"] = 0.0
    assert domain(stacking_index(zeroed, TABLE, config=CONFIG), "b", "health", "z_problem") < 0


def test_too_few_indicators_leaves_the_area_unranked():
    panel = HAND[~((HAND.area == "a") & HAND.indicator.isin(["h1", "h2"]))]
    s = by_area(stacking_index(panel, TABLE, config=CONFIG))
    assert math.isnan(s.loc["a", "index100"]) and math.isnan(s.loc["a", "deprivation_rank"])
    assert math.isnan(s.loc["a", "stack_count"])  # a count over missing domains is not 0
    assert s.loc["a", "reason"] == "missing domain score"
    assert s["deprivation_rank"].notna().sum() == 3
    partial = by_area(stacking_index(panel, TABLE, config=StackingConfig(
        themes=THEMES, allow_partial=True)))
    assert partial.loc["a", "index100"] == 110.0  # poverty only
    assert partial.loc["a", "domains_assessed"] == 1


def test_small_areas_are_flagged_and_not_ranked():
    pop = pd.DataFrame({"area": list("abcd"), "period": "2020",
                        "population": [50.0, 500.0, np.nan, 800.0]})
    s = by_area(stacking_index(HAND, TABLE, population=pop, config=CONFIG))
    assert s["small"].tolist() == [True, False, False, False]  # unknown population is not small
    assert math.isnan(s.loc["a", "deprivation_rank"])
    assert s.loc["a", "reason"] == "population below minimum"
    assert not math.isnan(s.loc["a", "deprivation"])  # still scored, just not ranked
    ranked = by_area(stacking_index(HAND, TABLE, population=pop,
                                    config=StackingConfig(themes=THEMES, rank_small_areas=True)))
    assert ranked["deprivation_rank"].notna().all()


def test_population_from_an_indicator_in_the_panel():
    panel = pd.concat([HAND, long({"inwoners": [50, 500, 600, 800]})])
    s = by_area(stacking_index(panel, TABLE, population="inwoners", config=CONFIG))
    assert s["small"].tolist() == [True, False, False, False]


def test_ranking_set_and_notes():
    config = StackingConfig(themes=(*THEMES, "safety"), rank_areas=("c", "d"))
    result = stacking_index(HAND, TABLE, config=config)
    s = by_area(result)
    assert s["deprivation_rank"].notna().tolist() == [False, False, True, True]
    assert s.loc["a", "reason"] == "not in ranking set"
    assert result.domains_used == THEMES
    assert any("safety" in note for note in result.notes)


def test_fixed_base_period_shows_absolute_change():
    panel = pd.concat([HAND, long({"p1": [1, 1, 3, 3], "h1": [3, 1, 3, 1], "h2": [0, 2, 2, 0]},
                                  period="2021")])
    config = StackingConfig(themes=THEMES, reference=Reference(base_period="2020"))
    s = stacking_index(panel, TABLE, config=config).scores.astype({"area": str, "period": str})
    s = s.set_index(["area", "period"])
    # h2 fell by 1 (= one base sd) everywhere: health z -0.5 lower, index +5 points.
    assert s.loc[("a", "2021"), "index100"] == pytest.approx(112.5)
    relative = stacking_index(panel, TABLE, config=CONFIG).scores.astype(
        {"area": str, "period": str}).set_index(["area", "period"])
    assert relative.loc[("a", "2021"), "index100"] == pytest.approx(110.0)


def test_relative_reference_can_reorder_others():
    """A known property of re-standardising each period: raising a's value shrinks the
    reference sd, which moves b's z further, so a's position can fall (counterexample
    found by search; documented in docs/methods/stacking.md). Against a fixed base it cannot."""
    table = pd.DataFrame({"code": ["i", "j"], "theme": "poverty", "polarity": "higher_worse"})
    config = StackingConfig(themes=("poverty",))
    before = long({"i": [0, 16, 14, 15], "j": [13, 0, 1, 5]})
    after = long({"i": [10, 16, 14, 15], "j": [13, 0, 1, 5]})
    s0 = by_area(stacking_index(before, table, config=config))
    s1 = by_area(stacking_index(after, table, config=config))
    assert s1.loc["a", "index100"] < s0.loc["a", "index100"]  # a's own score is worse
    assert s1.loc["a", "deprivation"] < s0.loc["a", "deprivation"]  # R fell from 3/4 to 2/4
    fixed = StackingConfig(themes=("poverty",), reference=Reference(base_period="2020"))
    both = pd.concat([before, after.assign(period="2021")])
    s = stacking_index(both, table, config=fixed).scores.astype({"area": str, "period": str})
    s = s.set_index(["area", "period"])
    assert s.loc[("a", "2021"), "deprivation"] >= s.loc[("a", "2020"), "deprivation"]


# --- properties ---------------------------------------------------------------------

CODES = ["p1", "p2", "h1", "h2"]
PTABLE = pd.DataFrame({
    "code": CODES, "theme": ["poverty", "poverty", "health", "health"],
    "polarity": ["higher_worse", "higher_better", "higher_worse", "higher_worse"],
})


@st.composite
def panels(draw, periods=("2020",)):
    n = draw(st.integers(3, 8))
    value = st.floats(1, 100, allow_nan=False)
    rows = []
    for p in periods:
        for code in CODES:
            vals = draw(st.lists(value, min_size=n, max_size=n))
            assume(len(set(vals)) > 1)
            rows += [(f"a{i}", p, code, v) for i, v in enumerate(vals)]
    return pd.DataFrame(rows, columns=["area", "period", "indicator", "value"])


def run(panel, **kw):
    config = StackingConfig(themes=THEMES, **kw)
    return stacking_index(panel, PTABLE, config=config)


@settings(max_examples=40, deadline=None)
@given(panel=panels(), area=st.integers(0, 7), bump=st.floats(0.5, 50))
def test_more_of_a_higher_worse_indicator_never_helps_own_score(panel, area, bump):
    # Relative reference: the area's own domain score and index cannot improve.
    name = f"a{area % panel['area'].nunique()}"
    worse = panel.copy()
    at = (worse.area == name) & (worse.indicator == "p1")
    worse.loc[at, "value"] += bump
    a, b = by_area(run(panel)), by_area(run(worse))
    assert b.loc[name, "index100"] <= a.loc[name, "index100"] + 1e-9


@settings(max_examples=40, deadline=None)
@given(panel=panels(periods=("2020", "2021")), area=st.integers(0, 7), bump=st.floats(0.5, 50))
def test_monotonic_against_a_fixed_reference(panel, area, bump):
    name = f"a{area % panel['area'].nunique()}"
    worse = panel.copy()
    at = (worse.area == name) & (worse.indicator == "h1") & (worse.period == "2021")
    worse.loc[at, "value"] += bump
    fixed = Reference(base_period="2020")

    def row(p):
        return run(p, reference=fixed).scores.astype({"area": str, "period": str}).set_index(
            ["area", "period"]).loc[(name, "2021")]

    a, b = row(panel), row(worse)
    assert b["deprivation"] >= a["deprivation"] - 1e-9
    assert b["deprivation_rank"] <= a["deprivation_rank"]
    assert b["index100"] <= a["index100"] + 1e-9
    assert b["stack_count"] >= a["stack_count"]


@settings(max_examples=40, deadline=None)
@given(panel=panels(), cell=st.integers(0, 1000))
def test_nan_is_never_zero(panel, cell):
    cell = cell % len(panel)
    with_nan = panel.copy()
    with_nan.iloc[cell, with_nan.columns.get_loc("value")] = np.nan
    dropped = with_nan.drop(index=with_nan.index[cell])
    zeroed = with_nan.fillna({"value": 0.0})
    a, b, c = run(with_nan), run(dropped), run(zeroed)
    # A NaN row is exactly an absent row ...
    pd.testing.assert_frame_equal(a.scores, b.scores, check_exact=False, rtol=1e-12, atol=1e-12)
    # ... and not a zero: the cell's own z differs (0 lies below every drawn value).
    key = tuple(panel.iloc[cell][["area", "indicator"]])
    za = a.indicators.astype({"area": str, "indicator": str}).set_index(["area", "indicator"])
    zc = c.indicators.astype({"area": str, "indicator": str}).set_index(["area", "indicator"])
    assert np.isnan(za.loc[key, "z_problem"]) and not np.isnan(zc.loc[key, "z_problem"])


@settings(max_examples=30, deadline=None)
@given(panel=panels())
def test_flipping_every_polarity_mirrors_the_index(panel):
    flipped = PTABLE.assign(polarity=PTABLE["polarity"].map(
        {"higher_worse": "higher_better", "higher_better": "higher_worse"}))
    a = by_area(run(panel))
    b = by_area(stacking_index(panel, flipped, config=StackingConfig(themes=THEMES)))
    np.testing.assert_allclose(a["index100"] - 100, 100 - b["index100"], atol=1e-9)
