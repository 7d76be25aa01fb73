"""Benchmark: the effect estimators against what a researcher would otherwise write.

Measured in one run, on this machine (``time.perf_counter``):

* **SDID with its placebo variance** (200 replications), simulated panel of 50 areas x 30
  periods, 5 treated: ``analysis.effects.sdid`` against :func:`reference_sdid` below, a
  straightforward numpy/scipy implementation of Arkhangelsky et al. (2021) Algorithms 1 and
  4 (one SLSQP solve per weight vector, a Python loop over the placebo draws, the same
  draws). Both must give the same estimate and standard error (to 1e-6).
* **Synthetic control with all in-space placebos** on the Basque data (Abadie &
  Gardeazabal 2003), outcome path and with predictors: ``analysis.effects.synth`` against
  :func:`reference_synth`, the algorithm of ``pysyncon`` 1.x (Nelder-Mead over ``V`` from
  equal weights, ``maxiter`` 1000; inner SLSQP without gradient) written out, fitted for
  the treated unit and each placebo. If the package ``pysyncon`` is installed its own
  ``Synth`` and ``PlaceboTest`` are timed as well; otherwise that row says "not installed".
* **Coverage of the SDID placebo interval**: 200 simulated panels (40 areas x 20 periods,
  5 treated, homoskedastic factor model, true effect 1), nominal 90%.

Run: ``.venv/bin/python benchmarks/bench_effects.py``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import LinearConstraint, minimize

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from wijkbalans.analysis.effects.panel import unit_means, wide_panel  # noqa: E402
from wijkbalans.analysis.effects.sdid import sdid  # noqa: E402
from wijkbalans.analysis.effects.synth import synth  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("WIJKBALANS_SHARED_DATA", ROOT.parent / "shared" / "data"))
BASQUE = DATA / "synthetic-control-canon" / "basque.csv"
SEED = 20240601
PREDICTORS = (
    [(c, list(range(1964, 1970))) for c in
     ["school.illit", "school.prim", "school.med", "school.high", "school.post.high", "invest"]]
    + [("gdpcap", list(range(1960, 1970)))]
    + [(c, list(range(1961, 1970, 2))) for c in
       ["sec.agriculture", "sec.energy", "sec.industry", "sec.construction",
        "sec.services.venta", "sec.services.nonventa"]]
    + [("popdens", [1969])]
)


# --- the straightforward implementations ------------------------------------------------

def _slsqp_simplex(fun, jac, n, extra=0):
    x0 = np.concatenate([np.zeros(extra), np.full(n, 1.0 / n)])
    cons = {"type": "eq", "fun": lambda x: x[extra:].sum() - 1.0,
            "jac": lambda x: np.concatenate([np.zeros(extra), np.ones(n)])}
    out = minimize(fun, x0, jac=jac, method="SLSQP", constraints=[cons],
                   bounds=[(None, None)] * extra + [(0.0, 1.0)] * n,
                   options={"ftol": 1e-15, "maxiter": 3000})
    return out.x[extra:]


def _ridge_weights(A, b, penalty):
    """min over (w0, w on the simplex) of ||w0 + A w - b||^2 + penalty ||w||^2."""
    def fun(x):
        r = x[0] + A @ x[1:] - b
        return r @ r + penalty * x[1:] @ x[1:]

    def jac(x):
        r = x[0] + A @ x[1:] - b
        return np.concatenate([[2 * r.sum()], 2 * A.T @ r + 2 * penalty * x[1:]])
    return _slsqp_simplex(fun, jac, A.shape[1], extra=1)


def _reference_tau(y, treated, t0, zeta_omega, zeta_lambda):
    co, tr = y[~treated], y[treated]
    omega = _ridge_weights(co[:, :t0].T, tr[:, :t0].mean(axis=0), zeta_omega**2 * t0)
    lam = _ridge_weights(co[:, :t0], co[:, t0:].mean(axis=1), zeta_lambda**2 * len(co))
    y_tr = tr.mean(axis=0)
    unit_dd = co[:, t0:].mean(axis=1) - co[:, :t0] @ lam
    return (y_tr[t0:].mean() - lam @ y_tr[:t0]) - omega @ unit_dd


def reference_sdid(y, treated_rows, t0, reps=200, seed=0):
    """Algorithms 1 and 4 written plainly: returns (estimate, placebo se)."""
    n = len(y)
    treated = np.zeros(n, dtype=bool)
    treated[list(treated_rows)] = True
    controls = y[~treated]
    sigma = np.std(np.diff(controls[:, :t0], axis=1), ddof=1)
    zeta_omega = (treated.sum() * (y.shape[1] - t0)) ** 0.25 * sigma
    zeta_lambda = 1e-6 * sigma
    tau = _reference_tau(y, treated, t0, zeta_omega, zeta_lambda)
    if not reps:
        return tau, None
    rng = np.random.default_rng(seed)
    n_co, n_tr = len(controls), int(treated.sum())
    draws = np.argsort(rng.random((reps, n_co)), axis=1)[:, :n_tr]
    taus = []
    for sel in draws:
        fake = np.zeros(n_co, dtype=bool)
        fake[sel] = True
        taus.append(_reference_tau(controls, fake, t0, zeta_omega, zeta_lambda))
    taus = np.array(taus)
    return tau, float(np.sqrt(np.mean((taus - taus.mean()) ** 2)))


def _pysyncon_w(v, x0, x1):
    """pysyncon's ``w_optimize``: SLSQP from equal weights, numerical gradient."""
    P = x0.T @ np.diag(v) @ x0
    q = x1 @ np.diag(v) @ x0
    n = x0.shape[1]
    out = minimize(lambda w: 0.5 * w @ P @ w - q @ w, np.full(n, 1.0 / n), method="SLSQP",
                   bounds=[(0.0, 1.0)] * n, constraints=LinearConstraint(np.ones(n), 1.0, 1.0),
                   options={"maxiter": 1000})
    return out.x


def _reference_fit(y_tr, y_do, x_tr, x_do, start):
    z0, z1 = y_do[:, :start].T, y_tr[:start]
    if x_tr is None:
        return _pysyncon_w(np.ones(start), z0, z1)
    x = np.column_stack([x_tr, x_do])
    x = x / x.std(axis=1, ddof=1, keepdims=True)
    x1, x0 = x[:, 0], x[:, 1:]

    def loss(theta):
        v = np.abs(theta) / np.abs(theta).sum()
        e = z1 - z0 @ _pysyncon_w(v, x0, x1)
        return e @ e / len(e)
    k = len(x1)
    out = minimize(loss, np.full(k, 1.0 / k), method="Nelder-Mead", options={"maxiter": 1000})
    v = np.abs(out.x) / np.abs(out.x).sum()
    return _pysyncon_w(v, x0, x1)


def reference_synth(y, treated_row, start, x=None):
    """Treated fit plus every in-space placebo, one at a time. Returns (weights, p-value)."""
    donors = [i for i in range(len(y)) if i != treated_row]
    xt = None if x is None else x[treated_row]
    w = _reference_fit(y[treated_row], y[donors], xt, None if x is None else x[donors].T, start)

    def ratio(path, synthetic):
        gap = path - synthetic
        return np.sqrt(np.mean(gap[start:] ** 2)) / np.sqrt(np.mean(gap[:start] ** 2))
    treated_ratio = ratio(y[treated_row], w @ y[donors])
    ratios = []
    for j in donors:
        pool = [d for d in donors if d != j]
        wj = _reference_fit(y[j], y[pool], None if x is None else x[j],
                            None if x is None else x[pool].T, start)
        ratios.append(ratio(y[j], wj @ y[pool]))
    return w, (1 + np.sum(np.array(ratios) >= treated_ratio)) / (len(ratios) + 1)


# --- data -----------------------------------------------------------------------------

def simulated_panel(rng, n=40, t=20, n_treated=5, t0=15, tau=1.0):
    """Homoskedastic two-factor model with unit and time effects; random treated units."""
    y = (rng.normal(size=(n, 1)) + np.cumsum(rng.normal(scale=0.5, size=t))[None]
         + rng.normal(size=(n, 2)) @ rng.normal(size=(2, t)) + rng.normal(size=(n, t)))
    treated = rng.choice(n, size=n_treated, replace=False)
    y[treated, t0:] += tau
    return y, treated


def basque():
    """Panel 1960-1997 without Spain as a whole, and the Synth example's predictors."""
    frame = pd.read_csv(BASQUE)
    frame = frame[frame["regionno"] != 1]
    panel = wide_panel(frame[frame["year"] >= 1960], unit="regionname", time="year",
                       outcome="gdpcap")
    x = np.column_stack([unit_means(frame, unit="regionname", time="year", column=c,
                                    units=panel.units, periods=p) for c, p in PREDICTORS])
    return panel, x


# --- the runs -------------------------------------------------------------------------

def _median_time(call, repeats: int = 3):
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = call()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), out


def bench_sdid(reps: int = 200) -> dict:
    y, treated = simulated_panel(np.random.default_rng(SEED), n=50, t=30, t0=20)
    fast_s, fast = _median_time(lambda: sdid(y, treated=treated, start=20, placebo_reps=reps,
                                             seed=SEED))
    t = time.perf_counter()
    ref_tau, ref_se = reference_sdid(y, treated, 20, reps=reps, seed=SEED)
    ref_s = time.perf_counter() - t
    return {"case": "sdid, 50 areas x 30 periods, 5 treated, 200 placebo replications",
            "seconds": fast_s, "baseline_seconds": ref_s, "ratio": ref_s / fast_s,
            "estimate": fast.estimate, "baseline_estimate": ref_tau,
            "se": fast.se, "baseline_se": ref_se,
            "max_difference": max(abs(fast.estimate - ref_tau), abs(fast.se - ref_se))}


def bench_synth(with_predictors: bool) -> dict:
    panel, x = basque()
    x = x if with_predictors else None
    row = panel.units.index("Basque Country (Pais Vasco)")
    start = panel.times.index(1970)
    names = [c for c, _ in PREDICTORS]
    # The fast runs are short: the median of three keeps the ratio from being one hiccup.
    same_s, same = _median_time(lambda: synth(
        panel.y, treated=[row], start=start, units=panel.units, predictors=x,
        predictor_names=names, random_starts=0, leave_one_out=False))
    robust_s, robust = _median_time(lambda: synth(
        panel.y, treated=[row], start=start, units=panel.units, predictors=x,
        predictor_names=names, leave_one_out=False))
    t = time.perf_counter()
    ref_w, ref_p = reference_synth(panel.y, row, start, x)
    ref_s = time.perf_counter() - t
    donors = [u for u in panel.units if u != panel.units[row]]
    top = {u: round(float(w), 4) for u, w in zip(donors, ref_w, strict=True) if w > 0.01}
    gap = panel.y[row, :start] - ref_w @ panel.y[[panel.units.index(u) for u in donors], :start]
    return {"case": "synthetic control, Basque, " + ("predictors" if with_predictors
                                                      else "outcome path")
            + ", treated fit + 16 in-space placebos",
            "seconds": same_s, "baseline_seconds": ref_s, "ratio": ref_s / same_s,
            "seconds_robust_starts": robust_s, "ratio_robust_starts": ref_s / robust_s,
            "weights": {u: round(w, 4) for u, w in same.unit_weights.items() if w > 0.01},
            "baseline_weights": top, "loss": same.loss, "loss_robust_starts": robust.loss,
            "baseline_loss": float(np.mean(gap**2)),
            "p_value": same.p_value, "baseline_p_value": float(ref_p)}


def bench_pysyncon() -> dict:
    """The real pysyncon package (a dev dependency): Synth on the Basque predictors, then
    its PlaceboTest over all 16 donors, against ours on the same task in the same run."""
    try:
        from pysyncon import Dataprep, Synth
        from pysyncon.utils import PlaceboTest
    except ImportError:
        return {"case": "pysyncon Synth + PlaceboTest (Basque)", "status": "not installed"}
    import contextlib
    import io

    frame = pd.read_csv(BASQUE)
    controls = sorted(set(frame["regionname"]) - {"Basque Country (Pais Vasco)",
                                                   "Spain (Espana)"})
    prep = Dataprep(
        foo=frame, predictors=[c for c, _ in PREDICTORS[:6]], predictors_op="mean",
        time_predictors_prior=range(1964, 1970),
        special_predictors=[(c, p, "mean") for c, p in PREDICTORS[6:]],
        dependent="gdpcap", unit_variable="regionname", time_variable="year",
        treatment_identifier="Basque Country (Pais Vasco)", controls_identifier=controls,
        time_optimize_ssr=range(1960, 1970))
    t = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # it prints a line per placebo
        fitted = Synth()
        fitted.fit(dataprep=prep)
        PlaceboTest().fit(dataprep=prep, scm=Synth())
    theirs = time.perf_counter() - t
    weights = {u: round(float(w), 4) for u, w in fitted.weights(round=6).items() if w > 0.01}
    panel, x = basque()
    row = panel.units.index("Basque Country (Pais Vasco)")
    names = [c for c, _ in PREDICTORS]
    ours_s, ours = _median_time(lambda: synth(
        panel.y, treated=[row], start=panel.times.index(1970), units=panel.units,
        predictors=x, predictor_names=names, random_starts=0, leave_one_out=False))
    return {"case": "pysyncon 1.x Synth + PlaceboTest (Basque, predictors, 16 placebos)",
            "status": "installed", "baseline_seconds": theirs, "seconds": ours_s,
            "ratio": theirs / ours_s, "baseline_weights": weights,
            "weights": {u: round(w, 4) for u, w in ours.unit_weights.items() if w > 0.01}}


def bench_coverage(sims: int = 200, reps: int = 200, level: float = 0.9) -> dict:
    rng = np.random.default_rng(SEED)
    t = time.perf_counter()
    covered, estimates = 0, []
    for s in range(sims):
        y, treated = simulated_panel(rng)
        r = sdid(y, treated=treated, start=15, placebo_reps=reps, seed=s, level=level)
        covered += r.ci[0] <= 1.0 <= r.ci[1]
        estimates.append(r.estimate)
    return {"case": f"sdid coverage, {sims} simulations, nominal {level:.0%}",
            "seconds": time.perf_counter() - t, "coverage": covered / sims,
            "mean_estimate": float(np.mean(estimates)), "true_effect": 1.0,
            "sd_estimate": float(np.std(estimates, ddof=1))}


def run(report=None) -> dict:
    """All runs; ``report`` (optional) is called with the result dict."""
    rows = [bench_sdid()]
    if BASQUE.is_file():
        rows += [bench_synth(False), bench_synth(True)]
        rows.append(bench_pysyncon())
    else:
        rows.append({"case": "synthetic control, Basque", "status": f"{BASQUE} not found"})
    rows.append(bench_coverage())
    result = {"name": "effects", "runs": rows,
              "min_ratio": min(r["ratio"] for r in rows if "ratio" in r)}
    if report:
        report(result)
    return result


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
