"""Difference-in-differences, event study, and Callaway & Sant'Anna where TWFE fails."""

import json

import numpy as np
import pytest

from wijkbalans.analysis.effects.did import callaway_santanna, did


def block_panel(seed, n=40, t=10, n_tr=8, start=6, tau=2.0, trend_tr=0.0):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=(n, 1)) * 3 + np.cumsum(rng.normal(size=t)) + rng.normal(size=(n, t))
    y[:n_tr] += trend_tr * np.arange(t)
    y[:n_tr, start:] += tau
    return y


def staggered(seed, n=300, t=10):
    """Cohorts start at columns 3, 5, 7 (and never); effects grow with exposure and differ
    by cohort, the case in which two-way fixed effects weights some effects negatively."""
    rng = np.random.default_rng(seed)
    g = rng.choice([3, 5, 7, -1], size=n)
    y = rng.normal(size=(n, 1)) + np.cumsum(rng.normal(size=t)) + rng.normal(size=(n, t))
    slope = {3: 1.0, 5: 0.5, 7: 0.2}
    for i in np.flatnonzero(g >= 0):
        e = np.arange(t) - g[i] + 1
        y[i] += np.where(e > 0, e * slope[g[i]], 0.0)
    return y, g


def population_att(t=10):
    cells = [(s - g + 1) * d for g, d in [(3, 1.0), (5, 0.5), (7, 0.2)] for s in range(g, t)]
    return float(np.mean(cells))


def twfe(y, g):
    d = np.zeros_like(y)
    for i in np.flatnonzero(g >= 0):
        d[i, g[i]:] = 1.0

    def within(a):
        return a - a.mean(1, keepdims=True) - a.mean(0, keepdims=True) + a.mean()
    yd, dd = within(y), within(d)
    return float((yd * dd).sum() / (dd * dd).sum())


def test_two_by_two_is_the_difference_of_unit_differences():
    y = block_panel(0)
    res = did(y, treated=range(8), start=6)
    d = y[:, 6:].mean(1) - y[:, :6].mean(1)
    assert res.estimate == pytest.approx(d[:8].mean() - d[8:].mean())
    assert res.se == pytest.approx(np.sqrt(d[:8].var(ddof=1) / 8 + d[8:].var(ddof=1) / 32))
    assert res.ci[0] < 2.0 < res.ci[1] and res.p_value < 0.01
    assert res.p_value_method == "cluster-robust t"
    assert sum(res.unit_weights.values()) == pytest.approx(1.0)
    assert np.mean(res.gap[6:]) == pytest.approx(res.estimate)
    json.dumps(res.to_dict())


def test_noiseless_block_design_is_exact_and_its_leads_are_zero():
    y = np.tile(np.cumsum(np.arange(9.0)), (10, 1)) + np.arange(10.0)[:, None]
    y[:3, 5:] += 1.25
    res = did(y, treated=[0, 1, 2], start=5)
    assert res.estimate == pytest.approx(1.25)
    leads = [r["estimate"] for r in res.event_study if r["relative"] < 0]
    lags = [r["estimate"] for r in res.event_study if r["relative"] >= 0]
    assert np.allclose(leads, 0.0) and np.allclose(lags, 1.25)
    assert [r["relative"] for r in res.event_study] == [-5, -4, -3, -2, 0, 1, 2, 3]


def test_one_treated_area_gets_a_permutation_p_value():
    y = block_panel(1, n_tr=1, tau=10.0)
    res = did(y, treated=[0], start=6)
    assert res.se is None and res.p_value_method == "in-space permutation"
    assert len(res.placebo_estimates) == 39
    assert res.p_value == pytest.approx(1 / 40)


def test_event_study_flags_diverging_pre_trends():
    flat = did(block_panel(2), treated=range(8), start=6)
    diverging = did(block_panel(2, trend_tr=0.8), treated=range(8), start=6)
    assert flat.pretrend["p_value"] > 0.05
    assert diverging.pretrend["p_value"] < 0.001 and diverging.pretrend["df"] == (5, 34)


def test_noiseless_group_time_effects_are_exact():
    t = 8
    g = np.array([3] * 4 + [5] * 4 + [-1] * 4)
    y = np.tile(np.arange(t, dtype=float) ** 1.5, (12, 1)) + np.arange(12.0)[:, None]
    for i in range(8):
        y[i, g[i]:] += 2.0 + (np.arange(t)[g[i]:] - g[i])
    res = callaway_santanna(y, starts=g, bootstrap_reps=0)
    for cell in res.group_time:
        expect = 2.0 + (cell["period"] - cell["group"]) if cell["post"] else 0.0
        assert cell["att"] == pytest.approx(expect, abs=1e-9)
    dyn = {r["relative"]: r["estimate"] for r in res.event_study}
    assert dyn[0] == pytest.approx(2.0) and dyn[2] == pytest.approx(4.0)
    assert dyn[-2] == pytest.approx(0.0)


def test_callaway_santanna_recovers_the_truth_where_twfe_is_biased():
    truth = population_att()
    cs, tw = [], []
    for seed in range(40):
        y, g = staggered(seed)
        cs.append(callaway_santanna(y, starts=g, bootstrap_reps=0).estimate)
        tw.append(twfe(y, g))
    se_mean = np.std(cs, ddof=1) / np.sqrt(len(cs))
    assert abs(np.mean(cs) - truth) < 3 * se_mean + 0.02
    assert np.mean(tw) < truth - 1.0  # two-way fixed effects: far off (about 0.9 vs 2.45)


def test_not_yet_treated_controls_and_the_uniform_band():
    y, g = staggered(99)
    res = callaway_santanna(y, starts=g, control="notyet", bootstrap_reps=499, seed=1)
    assert res.control_group == "notyet"
    assert abs(res.estimate - population_att()) < 4 * res.se
    band = [r for r in res.event_study if r["relative"] == 2][0]
    assert res.uniform_critical_value > 1.96
    assert band["uniform_band"][0] < band["ci"][0]
    with_never = callaway_santanna(y, starts=g, bootstrap_reps=0)
    assert res.estimate != with_never.estimate


def test_units_treated_from_the_first_period_are_dropped_and_named():
    y, g = staggered(3, n=60)
    g[:2] = 0
    res = callaway_santanna(y, starts=g, units=[f"u{i}" for i in range(60)], bootstrap_reps=0)
    assert res.dropped == ["u0", "u1"]
    with pytest.raises(ValueError, match="control must be"):
        callaway_santanna(y, starts=g, control="everyone")
