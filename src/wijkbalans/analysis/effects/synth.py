"""Synthetic control, with in-space placebos and leave-one-out robustness.

Method: Abadie & Gardeazabal (2003), Abadie, Diamond & Hainmueller (2010, 2011 for the R
package ``Synth``). One treated unit (several treated units are averaged into one);
``J`` donors. Donor weights ``w`` lie on the simplex.

* **Outcome path** (no predictors): ``w`` minimises the pre-period MSPE
  ``mean_t (Y1[t] - sum_j w_j Y0[j, t])^2`` directly.
* **Predictors**: ``X1`` (k) and ``X0`` (k x J) are predictor values, each row divided by
  its standard deviation over the treated and donor units (as ``Synth`` does). For a
  diagonal predictor weighting ``V = diag(v)``, ``v >= 0``, ``sum(v) = 1``, the inner problem
  is ``w(v) = argmin (X1 - X0 w)' V (X1 - X0 w)``; the outer problem chooses ``v`` to
  minimise the pre-period MSPE of the outcome at ``w(v)`` (the nested optimisation).
  The outer problem is not convex, so it is started from several points: equal ``v``, the
  regression-based ``v`` of ``Synth`` (squared coefficients of the outcome on the
  predictors), and the ``random_starts`` best of ``screen`` flat-Dirichlet draws. From each
  start SLSQP runs on an exact gradient: on the free set ``F`` of ``w`` the KKT system
  ``[H_FF 1; 1' 0] [dw; dnu] = [X0[k, F] r_k; 0]`` (``r = X1 - X0 w``) gives ``dw/dv_k``.
  The best loss wins; every start's loss, weights and estimate are reported, because
  different ``v`` can pick different donors (Kloessner, Kaul, Pfeifer & Schieler 2018; on
  the Basque data the published weights are a local optimum, see docs/methods/effects.md).
  ``starts=("equal", "regression")`` with ``random_starts=0`` is the procedure of ``Synth``.

Inference (Abadie et al. 2010, section 4): every donor in turn is treated as if it were
treated, with the other donors as its pool; the ratio of post- to pre-period RMSPE of
the real treated unit is ranked among all ratios, ``p = (1 + #{placebo >= treated}) /
(J + 1)``. ``p_value_fit5`` repeats this with only the placebos whose pre-period MSPE is at
most five times the treated unit's. Leave-one-out (Abadie, Diamond & Hainmueller 2015):
each donor with positive weight is dropped in turn and the whole fit redone.

Example
-------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> base = rng.normal(size=(6, 12)).cumsum(axis=1)
>>> y = np.vstack([0.5 * base[1] + 0.5 * base[2], base[1:]])
>>> y[0, 8:] += 1.0
>>> res = synth(y, treated=[0], start=8)
>>> round(res.estimate, 3), round(res.unit_weights["1"], 3)
(1.0, 0.5)
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy.optimize import minimize

from .panel import jsonable
from .simplex import simplex_qp, simplex_qp_one

WEIGHT_SHOWN = 1e-6
FIT_FILTER = 5.0


@dataclass
class SCResult:
    """Estimate, placebo distribution and diagnostics of one synthetic-control fit."""

    estimate: float
    se: float | None
    p_value: float | None
    p_value_fit5: float | None
    unit_weights: dict[str, float]
    time_weights: None
    predictor_weights: dict[str, float] | None
    loss: float
    starts: list[dict]
    pre_rmspe: float
    post_rmspe: float
    rmspe_ratio: float
    n_treated: int
    n_controls: int
    n_pre: int
    n_post: int
    periods: list
    treated_path: list[float]
    counterfactual: list[float]
    gap: list[float]
    placebos: list[dict]
    leave_one_out: list[dict]
    timings: dict[str, float] = field(default_factory=dict)
    method: str = "sc"

    def to_dict(self) -> dict:
        return jsonable(asdict(self))


@dataclass
class _Fit:
    w: np.ndarray
    v: np.ndarray | None
    loss: float
    starts: list[dict]


def _scale(x: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """Divide each predictor (row) by its standard deviation over the units (columns)."""
    sd = x.std(axis=1, ddof=1)
    flat = [names[i] for i in np.flatnonzero(~(sd > 0))]
    if flat:
        raise ValueError(f"predictor(s) {', '.join(flat)} do not vary between the units")
    return x / sd[:, None]


class _Nested:
    """Loss and exact gradient of the outer problem for one treated unit."""

    def __init__(self, x0, x1, z0, z1):
        self.x0, self.x1, self.z0, self.z1 = x0, x1, z0, z1
        self.w = None
        self.evaluations = 0

    def inner(self, theta: np.ndarray) -> np.ndarray:
        xt = self.x0 * theta[:, None]
        self.w = simplex_qp_one(xt.T @ self.x0, self.x1 @ xt, w0=self.w)
        self.evaluations += 1
        return self.w

    def loss(self, theta: np.ndarray) -> float:
        e = self.z1 - self.z0 @ self.inner(theta)
        return float(e @ e / len(e))

    def loss_grad(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        theta = np.maximum(theta, 0.0)
        if theta.sum() <= 0:
            return 1e300, np.zeros_like(theta)
        w = self.inner(theta)
        free = np.flatnonzero(w > 0)
        e = self.z1 - self.z0 @ w
        r = self.x1 - self.x0 @ w
        m = len(free)
        xf = self.x0[:, free]
        kkt = np.zeros((m + 1, m + 1))
        kkt[:m, :m] = (xf * theta[:, None]).T @ xf
        kkt[:m, m] = kkt[m, :m] = 1.0
        rhs = np.zeros((m + 1, len(theta)))
        rhs[:m] = xf.T * r[None, :]
        try:
            dw = np.linalg.solve(kkt, rhs)[:m]
        except np.linalg.LinAlgError:  # a flat direction: take the least-norm derivative
            dw = np.linalg.lstsq(kkt, rhs, rcond=None)[0][:m]
        grad = -2.0 / len(e) * (e @ self.z0[:, free]) @ dw
        return float(e @ e / len(e)), grad


def _regression_start(x_all: np.ndarray, z_all: np.ndarray) -> np.ndarray | None:
    """``Synth``'s second start: ``diag(B B')`` of the regression of each fitted outcome on
    an intercept and the scaled predictors, over all units (None when singular)."""
    design = np.column_stack([np.ones(x_all.shape[1]), x_all.T])
    if np.linalg.matrix_rank(design) < design.shape[1]:
        return None
    beta = np.linalg.solve(design.T @ design, design.T @ z_all.T)[1:]
    v = np.einsum("ij,ij->i", beta, beta)
    return v / v.sum() if v.sum() > 0 else None


def fit_predictor_weights(x0, x1, z0, z1, *, names: Sequence[str], rng: np.random.Generator,
                          starts: Sequence[str] = ("equal", "regression"),
                          random_starts: int = 4, screen: int = 100) -> _Fit:
    """The nested optimisation for one treated unit; ``x`` already scaled.

    Starts: ``equal`` and ``regression`` (those of ``Synth``), then the ``random_starts``
    best of ``screen`` flat-Dirichlet draws of ``v`` (one inner solve each). From each
    start SLSQP runs on the exact gradient (L-BFGS-B would do as well but is slowed down
    badly by BLAS threads on a busy machine).
    """
    k = x0.shape[0]
    problem = _Nested(x0, x1, z0, z1)
    points: list[tuple[str, np.ndarray]] = []
    if "equal" in starts:
        points.append(("equal", np.full(k, 1.0 / k)))
    if "regression" in starts:
        reg = _regression_start(np.column_stack([x1, x0]), np.column_stack([z1, z0]))
        if reg is not None:
            points.append(("regression", reg))
    if random_starts > 0:
        draws = rng.dirichlet(np.ones(k), size=max(screen, random_starts))
        losses = np.array([problem.loss(d) for d in draws])
        for i, j in enumerate(np.argsort(losses, kind="stable")[:random_starts]):
            points.append((f"random-{i + 1}", draws[j]))
    if not points:
        raise ValueError("no start for the predictor weights")
    results = []
    for label, v_start in points:
        problem.w = None
        start_loss = problem.loss(v_start)
        out = minimize(problem.loss_grad, v_start, jac=True, method="SLSQP",
                       bounds=[(0.0, 1.0)] * k,
                       options={"maxiter": 500, "ftol": 1e-10 * max(start_loss, 1e-300)})
        theta = np.maximum(out.x, 0.0)
        v = theta / theta.sum() if theta.sum() > 0 else v_start
        problem.w = None
        loss = problem.loss(v)
        if loss > start_loss:  # a local search must not end worse than where it began
            v = v_start
            problem.w = None
            loss = problem.loss(v)
        results.append({"start": label, "loss": loss, "v": v, "w": problem.w.copy()})
    best = min(results, key=lambda r: r["loss"])
    report = [{"start": r["start"], "loss": r["loss"],
               "predictor_weights": dict(zip(names, r["v"].tolist(), strict=True)),
               "donor_weights": r["w"]} for r in results]
    return _Fit(w=best["w"], v=best["v"], loss=best["loss"], starts=report)


def _fit(y_tr, y_do, x_tr, x_do, start, names, rng, starts, random_starts) -> _Fit:
    """One synthetic control: treated path ``y_tr`` (T), donors ``y_do`` (J, T)."""
    z1, z0 = y_tr[:start], y_do[:, :start].T
    if x_tr is None:
        w = simplex_qp_one(z0.T @ z0, z0.T @ z1)
        e = z1 - z0 @ w
        return _Fit(w=w, v=None, loss=float(e @ e / len(e)), starts=[])
    scaled = _scale(np.column_stack([x_tr, x_do]), names)
    return fit_predictor_weights(scaled[:, 1:], scaled[:, 0], z0, z1, names=names, rng=rng,
                                 starts=starts, random_starts=random_starts)


def _rmspe(gap: np.ndarray, start: int) -> tuple[float, float]:
    pre = float(np.sqrt(np.mean(gap[:start] ** 2)))
    post = float(np.sqrt(np.mean(gap[start:] ** 2)))
    return pre, post


def _outcome_placebos(y_do: np.ndarray, start: int) -> np.ndarray:
    """Weights for every donor as treated, the others as its pool: one batched solve."""
    z0 = y_do[:, :start].T
    allowed = ~np.eye(len(y_do), dtype=bool)
    return simplex_qp(z0.T @ z0, (z0.T @ z0).T, allowed=allowed).w


def synth(y: np.ndarray, *, treated: Sequence[int], start: int,
          units: Sequence[str] | None = None, times: Sequence | None = None,
          predictors: np.ndarray | None = None, predictor_names: Sequence[str] | None = None,
          starts: Sequence[str] = ("equal", "regression"), random_starts: int = 4,
          placebo_random_starts: int | None = None, seed: int = 0, placebos: bool = True,
          leave_one_out: bool = True) -> SCResult:
    """Synthetic control for the (average of the) ``treated`` rows of ``y`` (N x T).

    ``start`` is the column of the first post-period; every earlier column is fitted.
    ``predictors`` is ``(N, k)`` (row per unit, as in ``y``) or None for the outcome-path
    version. Placebo and leave-one-out fits use ``placebo_random_starts`` random starts
    (default: the same as the real fit).
    """
    t_begin = time.perf_counter()
    y = np.asarray(y, dtype=float)
    n, t = y.shape
    tr = np.zeros(n, dtype=bool)
    tr[list(treated)] = True
    donors = np.flatnonzero(~tr)
    if len(donors) < 2 or not 1 <= start < t:
        raise ValueError("synthetic control needs two donors, a pre- and a post-period")
    if not np.isfinite(y).all():
        raise ValueError("the panel has missing values; apply the donor rules first")
    units = list(units) if units is not None else [str(i) for i in range(n)]
    times = list(times) if times is not None else list(range(t))
    x = None if predictors is None else np.asarray(predictors, dtype=float)
    names = list(predictor_names or ([] if x is None else [f"x{i}" for i in range(x.shape[1])]))
    if x is not None and not np.isfinite(x).all():
        raise ValueError("a predictor is missing for a unit; apply the donor rules first")
    rng = np.random.default_rng(seed)
    placebo_random = random_starts if placebo_random_starts is None else placebo_random_starts

    y_tr = y[tr].mean(axis=0)
    x_tr = None if x is None else x[tr].mean(axis=0)
    y_do, x_do = y[donors], (None if x is None else x[donors].T)
    fit = _fit(y_tr, y_do, x_tr, x_do, start, names, rng, starts, random_starts)
    synthetic = fit.w @ y_do
    gap = y_tr - synthetic
    pre, post = _rmspe(gap, start)
    t_fit = time.perf_counter()

    placebo_rows: list[dict] = []
    p_value = p_fit5 = None
    if placebos:
        if x is None:
            weights = _outcome_placebos(y_do, start)
        else:
            weights = np.zeros((len(donors), len(donors)))
            for j in range(len(donors)):
                pool = np.delete(np.arange(len(donors)), j)
                f = _fit(y_do[j], y_do[pool], x_do[:, j], x_do[:, pool], start, names, rng,
                         starts, placebo_random)
                weights[j, pool] = f.w
        gaps = y_do - weights @ y_do
        for j, g in enumerate(gaps):
            p_pre, p_post = _rmspe(g, start)
            placebo_rows.append({"unit": units[donors[j]], "pre_rmspe": p_pre,
                                 "post_rmspe": p_post,
                                 "ratio": p_post / p_pre if p_pre > 0 else np.inf,
                                 "estimate": float(g[start:].mean()), "gap": g.tolist()})
        ratio = post / pre if pre > 0 else np.inf
        ratios = np.array([r["ratio"] for r in placebo_rows])
        p_value = float((1 + np.sum(ratios >= ratio)) / (len(ratios) + 1))
        good = np.array([r["pre_rmspe"] ** 2 <= FIT_FILTER * pre**2 for r in placebo_rows])
        p_fit5 = float((1 + np.sum(ratios[good] >= ratio)) / (good.sum() + 1))
    t_placebo = time.perf_counter()

    loo_rows: list[dict] = []
    if leave_one_out:
        for j in np.flatnonzero(fit.w > WEIGHT_SHOWN):
            pool = np.delete(np.arange(len(donors)), j)
            f = _fit(y_tr, y_do[pool], x_tr, None if x_do is None else x_do[:, pool], start,
                     names, rng, starts, placebo_random)
            g = y_tr - f.w @ y_do[pool]
            l_pre, _ = _rmspe(g, start)
            loo_rows.append({"dropped": units[donors[j]], "estimate": float(g[start:].mean()),
                             "pre_rmspe": l_pre, "gap": g.tolist(),
                             "unit_weights": {units[donors[pool[i]]]: float(f.w[i])
                                              for i in np.flatnonzero(f.w > WEIGHT_SHOWN)}})
    t_loo = time.perf_counter()

    for s in fit.starts:
        w_s = s["donor_weights"]
        s["estimate"] = float((y_tr[start:] - w_s @ y_do[:, start:]).mean())
        s["donor_weights"] = {units[donors[i]]: float(w_s[i])
                              for i in np.flatnonzero(w_s > WEIGHT_SHOWN)}
    return SCResult(
        estimate=float(gap[start:].mean()), se=None, p_value=p_value, p_value_fit5=p_fit5,
        unit_weights={units[d]: float(w) for d, w in zip(donors, fit.w, strict=True)},
        time_weights=None,
        predictor_weights=None if fit.v is None else dict(zip(names, fit.v.tolist(), strict=True)),
        loss=fit.loss, starts=fit.starts, pre_rmspe=pre, post_rmspe=post,
        rmspe_ratio=post / pre if pre > 0 else float("inf"), n_treated=int(tr.sum()),
        n_controls=len(donors), n_pre=start, n_post=t - start, periods=times,
        treated_path=y_tr.tolist(), counterfactual=synthetic.tolist(), gap=gap.tolist(),
        placebos=placebo_rows, leave_one_out=loo_rows,
        timings={"fit": t_fit - t_begin, "placebo": t_placebo - t_fit,
                 "leave_one_out": t_loo - t_placebo, "total": t_loo - t_begin},
    )
