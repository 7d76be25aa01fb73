"""SDID: exact on noiseless panels, equal to a plain implementation, placebo variance."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from wijkbalans.analysis.effects.sdid import noise_level, sdid

BENCH = Path(__file__).resolve().parents[3] / "benchmarks" / "bench_effects.py"


def bench():
    spec = importlib.util.spec_from_file_location("bench_effects", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def factor_panel(seed, n=30, t=15, n_tr=3, t0=10, tau=1.0, noise=0.5):
    rng = np.random.default_rng(seed)
    y = (rng.normal(size=(n, 2)) @ rng.normal(size=(2, t)) + rng.normal(size=(n, 1))
         + 0.3 * np.arange(t) + rng.normal(scale=noise, size=(n, t)))
    y[:n_tr, t0:] += tau
    return y


def test_noiseless_parallel_trends_give_exactly_the_injected_effect():
    rng = np.random.default_rng(1)
    y = 3 * rng.normal(size=(25, 1)) + np.cumsum(rng.normal(size=12))[None, :]
    y[:4, 8:] += 2.5
    res = sdid(y, treated=range(4), start=8, placebo_reps=0)
    assert res.estimate == pytest.approx(2.5, abs=1e-9)
    assert res.se is None and res.p_value is None


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_same_estimate_as_the_plain_implementation(seed):
    y = factor_panel(seed)
    ours = sdid(y, treated=[0, 1, 2], start=10, placebo_reps=0).estimate
    plain, _ = bench().reference_sdid(y, [0, 1, 2], 10, reps=0)
    assert ours == pytest.approx(plain, abs=1e-6)


def test_same_placebo_standard_error_as_the_plain_implementation():
    y = factor_panel(5, n=20, t=10, t0=7)
    ours = sdid(y, treated=[0, 1, 2], start=7, placebo_reps=20, seed=9)
    plain_tau, plain_se = bench().reference_sdid(y, [0, 1, 2], 7, reps=20, seed=9)
    assert ours.estimate == pytest.approx(plain_tau, abs=1e-6)
    assert ours.se == pytest.approx(plain_se, abs=1e-6)


def test_weights_regularisation_and_paths():
    y = factor_panel(3)
    res = sdid(y, treated=[0, 1, 2], start=10, placebo_reps=50, seed=4,
               units=[f"u{i}" for i in range(30)], times=list(range(2001, 2016)))
    omega = np.array(list(res.unit_weights.values()))
    lam = np.array(list(res.time_weights.values()))
    assert len(omega) == 27 and "u0" not in res.unit_weights
    assert omega.min() >= 0 and omega.sum() == pytest.approx(1.0)
    assert list(res.time_weights) == [str(y) for y in range(2001, 2011)]
    assert lam.min() >= 0 and lam.sum() == pytest.approx(1.0)
    sigma = noise_level(y[3:, :10])
    assert res.zeta_omega == pytest.approx((3 * 5) ** 0.25 * sigma)
    assert res.zeta_lambda == pytest.approx(1e-6 * sigma)
    # The gap averaged over the post-period is the estimate (synthdid's plot identity).
    assert np.mean(res.gap[10:]) == pytest.approx(res.estimate, abs=1e-9)
    assert res.ci[0] < res.estimate < res.ci[1] and 0 < res.p_value <= 1
    json.dumps(res.to_dict())


def test_invariant_to_unit_effects_and_a_linear_trend():
    y = factor_panel(8)
    shifted = y + np.random.default_rng(0).normal(size=(30, 1)) * 10 + 0.7 * np.arange(15)
    a = sdid(y, treated=[0, 1, 2], start=10, placebo_reps=0).estimate
    b = sdid(shifted, treated=[0, 1, 2], start=10, placebo_reps=0).estimate
    assert a == pytest.approx(b, abs=1e-7)


def test_placebo_variance_is_reproducible_and_needs_more_controls_than_treated():
    y = factor_panel(4)
    a = sdid(y, treated=[0, 1, 2], start=10, placebo_reps=40, seed=1)
    b = sdid(y, treated=[0, 1, 2], start=10, placebo_reps=40, seed=1)
    c = sdid(y, treated=[0, 1, 2], start=10, placebo_reps=40, seed=2)
    assert a.se == b.se and a.se != c.se and len(a.placebo_estimates) == 40
    few = sdid(y[:5], treated=[0, 1, 2], start=10, placebo_reps=40)
    assert few.se is None and few.placebo_estimates == []


def test_bad_input_is_refused():
    y = factor_panel(0)
    with pytest.raises(ValueError, match="two pre-periods"):
        sdid(y, treated=[0], start=1)
    y[5, 3] = np.nan
    with pytest.raises(ValueError, match="missing values"):
        sdid(y, treated=[0], start=10)
