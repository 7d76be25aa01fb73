"""Synthetic control: the Basque replication, exact recovery, placebos, leave-one-out."""

import json

import numpy as np
import pandas as pd
import pytest

from wijkbalans.analysis.effects.panel import unit_means, wide_panel
from wijkbalans.analysis.effects.synth import _Nested, _outcome_placebos, synth

TREATED = "Basque Country (Pais Vasco)"
# The example of the R package Synth (Abadie, Diamond & Hainmueller 2011), as published.
PREDICTORS = (
    [(c, range(1964, 1970)) for c in
     ["school.illit", "school.prim", "school.med", "school.high", "school.post.high", "invest"]]
    + [("gdpcap", range(1960, 1970))]
    + [(c, range(1961, 1970, 2)) for c in
       ["sec.agriculture", "sec.energy", "sec.industry", "sec.construction",
        "sec.services.venta", "sec.services.nonventa"]]
    + [("popdens", [1969])]
)


@pytest.fixture(scope="module")
def basque(shared_data):
    frame = pd.read_csv(shared_data / "synthetic-control-canon" / "basque.csv")
    frame = frame[frame["regionno"] != 1]  # Spain as a whole is not a donor (regions 2-18)
    panel = wide_panel(frame[frame["year"] >= 1960], unit="regionname", time="year",
                       outcome="gdpcap")
    x = np.column_stack([unit_means(frame, unit="regionname", time="year", column=c,
                                    units=panel.units, periods=list(p)) for c, p in PREDICTORS])
    return panel, x


def fit_basque(basque, **options):
    panel, x = basque
    return synth(panel.y, treated=panel.rows([TREATED]), start=panel.column(1970),
                 units=panel.units, times=panel.times, predictors=x,
                 predictor_names=[c for c, _ in PREDICTORS], **options)


def test_basque_data_as_expected(basque):
    panel, x = basque
    assert len(panel.units) == 17 and panel.times[0] == 1960 and panel.times[-1] == 1997
    # Hand check against the file: Basque gdpcap 1960 and mean invest 1964-1969.
    row = panel.rows([TREATED])[0]
    assert panel.y[row, 0] == pytest.approx(4.2859184, abs=1e-6)
    assert x[row, 5] == pytest.approx(24.647383, abs=1e-5)


def test_basque_replicates_the_published_weights_with_synths_procedure(basque):
    res = fit_basque(basque, starts=("equal", "regression"), random_starts=0,
                     placebos=False, leave_one_out=False)
    w = res.unit_weights
    assert w["Cataluna"] == pytest.approx(0.851, abs=0.03)
    assert w["Madrid (Comunidad De)"] == pytest.approx(0.149, abs=0.03)
    others = [v for k, v in w.items() if k not in ("Cataluna", "Madrid (Comunidad De)")]
    assert max(others) < 0.02
    # The figures obtained (documented in docs/methods/effects.md).
    assert w["Cataluna"] == pytest.approx(0.8508, abs=5e-4)
    assert res.loss == pytest.approx(0.0088645, abs=2e-6)
    assert sum(res.predictor_weights.values()) == pytest.approx(1.0)
    assert {s["start"] for s in res.starts} == {"equal", "regression"}


def test_basque_more_starts_find_a_lower_loss_and_report_every_start(basque):
    res = fit_basque(basque, random_starts=4, seed=0, placebos=False, leave_one_out=False)
    losses = {s["start"]: s["loss"] for s in res.starts}
    assert len(losses) == 6 and res.loss == min(losses.values())
    assert losses["equal"] == pytest.approx(0.0088645, abs=2e-6)
    # A different V with a clearly lower pre-period MSPE exists (and puts weight on Baleares).
    assert res.loss < 0.005
    assert res.unit_weights["Baleares (Islas)"] > 0.1


def test_basque_placebos_and_leave_one_out(basque):
    res = fit_basque(basque, random_starts=0)
    assert len(res.placebos) == 16
    ratios = np.array([p["ratio"] for p in res.placebos])
    assert res.p_value == pytest.approx((1 + np.sum(ratios >= res.rmspe_ratio)) / 17)
    assert res.estimate == pytest.approx(np.mean(res.gap[10:]))
    assert res.estimate < 0  # the synthetic Basque Country grew faster (Abadie & Gardeazabal)
    assert {r["dropped"] for r in res.leave_one_out} == {"Cataluna", "Madrid (Comunidad De)"}
    json.dumps(res.to_dict())


def test_outcome_path_recovers_an_exact_convex_combination():
    rng = np.random.default_rng(0)
    base = rng.normal(size=(8, 15)).cumsum(axis=1)
    y = np.vstack([0.6 * base[2] + 0.4 * base[5], base])
    y[0, 10:] += 1.5
    res = synth(y, treated=[0], start=10, leave_one_out=False)
    assert res.unit_weights["3"] == pytest.approx(0.6, abs=1e-6)
    assert res.unit_weights["6"] == pytest.approx(0.4, abs=1e-6)
    assert res.estimate == pytest.approx(1.5, abs=1e-6) and res.pre_rmspe < 1e-6
    assert res.p_value == pytest.approx(1 / 9)  # the largest ratio of all nine


def test_batched_placebos_equal_one_fit_at_a_time():
    rng = np.random.default_rng(2)
    y = rng.normal(size=(12, 20)).cumsum(axis=1)
    batched = _outcome_placebos(y, 14)
    for j in range(12):
        pool = [i for i in range(12) if i != j]
        single = synth(y[[j] + pool], treated=[0], start=14, placebos=False,
                       leave_one_out=False)
        assert np.abs(batched[j, pool] - list(single.unit_weights.values())).max() < 1e-6


def test_exact_gradient_of_the_outer_problem_matches_finite_differences():
    rng = np.random.default_rng(4)
    x0, x1 = rng.normal(size=(5, 9)), rng.normal(size=5)
    z0, z1 = rng.normal(size=(8, 9)), rng.normal(size=8)
    problem = _Nested(x0, x1, z0, z1)
    theta = rng.dirichlet(np.ones(5))
    _, grad = problem.loss_grad(theta)
    free_before = problem.w > 0
    for k in range(5):
        step = np.zeros(5)
        step[k] = 1e-7
        problem.w = None
        up = problem.loss(theta + step)
        assert (problem.w > 0).tolist() == free_before.tolist()  # same face: smooth there
        problem.w = None
        down = problem.loss(theta - step)
        assert grad[k] == pytest.approx((up - down) / 2e-7, rel=1e-4, abs=1e-8)


def test_a_predictor_without_variation_is_named():
    rng = np.random.default_rng(0)
    y = rng.normal(size=(6, 10))
    x = np.column_stack([rng.normal(size=6), np.ones(6)])
    with pytest.raises(ValueError, match="flat"):
        synth(y, treated=[0], start=6, predictors=x, predictor_names=["income", "flat"])
