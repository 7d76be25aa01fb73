"""Simulations with a known injected effect: intervals cover the truth at their nominal
rate and the estimators are centred on it, in settings where theory says they should be.

Fixed seeds make every figure below reproducible; the values obtained are recorded in
docs/methods/effects.md. The bands are the nominal rate +- 5 points (a binomial standard
error at 200 simulations is about 2 points).
"""

import numpy as np
import pytest

from wijkbalans.analysis.effects.did import callaway_santanna, did
from wijkbalans.analysis.effects.sdid import sdid
from wijkbalans.analysis.effects.synth import synth


def factor_panel(rng, n=40, t=20, n_tr=5, t0=15, tau=1.0):
    """Homoskedastic: unit and time effects, two factors, iid N(0, 1) noise; the treated
    units are drawn at random, so placebo assignments are exchangeable with the real one."""
    y = (rng.normal(size=(n, 1)) + np.cumsum(rng.normal(scale=0.5, size=t))[None]
         + rng.normal(size=(n, 2)) @ rng.normal(size=(2, t)) + rng.normal(size=(n, t)))
    treated = rng.choice(n, size=n_tr, replace=False)
    y[treated, t0:] += tau
    return y, treated


def test_sdid_placebo_interval_covers_at_90_percent_over_200_simulations():
    rng = np.random.default_rng(2024)
    covered, estimates = 0, []
    for s in range(200):
        y, treated = factor_panel(rng)
        res = sdid(y, treated=treated, start=15, placebo_reps=200, seed=s, level=0.90)
        covered += res.ci[0] <= 1.0 <= res.ci[1]
        estimates.append(res.estimate)
    coverage = covered / 200
    assert 0.85 <= coverage <= 0.95, coverage
    bias_se = np.std(estimates, ddof=1) / np.sqrt(200)
    assert abs(np.mean(estimates) - 1.0) < 3 * bias_se, np.mean(estimates)


def test_did_interval_covers_at_90_percent_under_parallel_trends():
    rng = np.random.default_rng(7)
    covered, estimates = 0, []
    for _ in range(400):
        y = (rng.normal(size=(30, 1)) * 2 + np.cumsum(rng.normal(size=10))
             + rng.normal(size=(30, 10)))
        treated = rng.choice(30, size=6, replace=False)
        y[treated, 6:] += 0.5
        res = did(y, treated=treated, start=6, level=0.90, placebo_reps=0)
        covered += res.ci[0] <= 0.5 <= res.ci[1]
        estimates.append(res.estimate)
    assert 0.85 <= covered / 400 <= 0.95
    assert abs(np.mean(estimates) - 0.5) < 3 * np.std(estimates) / np.sqrt(400)


def test_callaway_santanna_interval_covers_the_population_att():
    rng = np.random.default_rng(11)
    slope = {3: 1.0, 5: 0.5, 7: 0.2}
    truth = np.mean([(s - g + 1) * d for g, d in slope.items() for s in range(g, 10)])
    covered, estimates = 0, []
    for _ in range(200):
        g = rng.choice([3, 5, 7, -1], size=200)
        y = rng.normal(size=(200, 1)) + np.cumsum(rng.normal(size=10)) + rng.normal(size=(200, 10))
        for i in np.flatnonzero(g >= 0):
            e = np.arange(10) - g[i] + 1
            y[i] += np.where(e > 0, e * slope[g[i]], 0.0)
        res = callaway_santanna(y, starts=g, level=0.90, bootstrap_reps=0)
        covered += res.ci[0] <= truth <= res.ci[1]
        estimates.append(res.estimate)
    assert 0.85 <= covered / 200 <= 0.95
    assert abs(np.mean(estimates) - truth) < 3 * np.std(estimates) / np.sqrt(200)


def test_synthetic_control_placebo_test_has_its_size_without_an_effect():
    """Treated area drawn at random, no effect: P(p <= 0.1) should be about 0.1."""
    rng = np.random.default_rng(5)
    rejections = 0
    for _ in range(200):
        y, treated = factor_panel(rng, n=20, t=30, n_tr=1, t0=20, tau=0.0)
        res = synth(y, treated=treated, start=20, leave_one_out=False)
        rejections += res.p_value <= 0.1
    assert rejections / 200 == pytest.approx(0.10, abs=0.05)
