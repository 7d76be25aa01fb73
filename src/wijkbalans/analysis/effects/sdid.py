"""Synthetic difference-in-differences with its placebo variance.

Method: Arkhangelsky, Athey, Hirshberg, Imbens & Wager (2021), "Synthetic
Difference-in-Differences", American Economic Review 111(12), Algorithm 1 (estimate) and
Algorithm 4 (placebo variance). Panel ``Y`` is ``(N, T)``; the first ``T0`` periods are
before the start, the ``T1 = T - T0`` others after; ``N_tr`` units are treated throughout
the post-period (a block design), the ``N_co`` others never.

1. Regularisation: ``sigma`` is the standard deviation of the first differences
   ``Y[i, t+1] - Y[i, t]`` of the control units over the pre-period;
   ``zeta_omega = (N_tr * T1) ** (1/4) * sigma`` and ``zeta_lambda = 1e-6 * sigma``.
2. Unit weights (eq. 2.2): ``omega0, omega`` minimise
   ``sum_t<=T0 (omega0 + sum_i omega_i Y[i,t] - Ybar_tr[t])^2 + zeta_omega^2 T0 ||omega||^2``
   over ``omega`` on the simplex.
3. Time weights (eq. 2.3): ``lambda0, lambda`` minimise
   ``sum_i in co (lambda0 + sum_t lambda_t Y[i,t] - Ybar[i, post])^2``
   ``+ zeta_lambda^2 N_co ||lambda||^2``.
4. The estimate is the weighted double difference
   ``tau = (Ybar_tr,post - lambda' Ybar_tr,pre) - sum_i omega_i (Ybar_i,post - lambda' Y_i,pre)``,
   identical to the weighted two-way fixed-effects regression of eq. (1.1).
5. Placebo variance (Algorithm 4): ``B`` times, draw ``N_tr`` of the controls as pseudo-treated,
   re-estimate on the controls only, and take ``V = mean((tau_b - mean(tau_b))^2)``;
   ``se = sqrt(V)``. As in the authors' R package ``synthdid``, ``zeta`` is kept at the
   value of the real fit. It needs more controls than treated units, and is justified
   when the errors are homoskedastic across units (the paper, section 5).

The convex problems are solved to optimality (``simplex.py``) rather than stopped early
and sparsified as ``synthdid`` does by default, so its estimates differ from these in
the third or fourth digit.

Example
-------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> y = rng.normal(size=(20, 10)) + np.arange(10)
>>> y[:3, 7:] += 2.0
>>> res = sdid(y, treated=[0, 1, 2], start=7, placebo_reps=50, seed=1)
>>> round(res.estimate, 1)
2.2
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy.stats import norm

from .panel import jsonable
from .simplex import simplex_qp


@dataclass
class SDIDResult:
    """Estimate, uncertainty and everything a user needs to judge it."""

    estimate: float
    se: float | None
    level: float
    ci: tuple[float, float] | None
    p_value: float | None
    placebo_p_value: float | None
    unit_weights: dict[str, float]
    time_weights: dict[str, float]
    omega0: float
    lambda0: float
    noise_level: float
    zeta_omega: float
    zeta_lambda: float
    n_treated: int
    n_controls: int
    n_pre: int
    n_post: int
    periods: list
    treated_path: list[float]
    counterfactual: list[float]
    gap: list[float]
    pre_rmspe: float
    placebo_estimates: list[float]
    timings: dict[str, float] = field(default_factory=dict)
    method: str = "sdid"

    def to_dict(self) -> dict:
        return jsonable(asdict(self))


@dataclass
class _Fit:
    tau: np.ndarray
    omega: np.ndarray
    omega0: np.ndarray
    lam: np.ndarray
    lam0: np.ndarray


def noise_level(y_controls_pre: np.ndarray) -> float:
    """Standard deviation (ddof 1) of all pre-period first differences of the controls."""
    diffs = np.diff(y_controls_pre, axis=1)
    if diffs.size < 2:
        raise ValueError("SDID needs at least two pre-periods and one control")
    return float(np.std(diffs, ddof=1))


def fit_batch(y: np.ndarray, treated: np.ndarray, t0: int, zeta_omega: float,
              zeta_lambda: float, omega_start: np.ndarray | None = None) -> _Fit:
    """Algorithm 1 for ``B`` treatment assignments at once.

    ``y`` is ``(N, T)``; ``treated`` is ``(B, N)`` boolean, with the same number of treated
    units in every row. Unit weights share one Gram matrix (only the target and the allowed
    units change); time weights get one ``T0 x T0`` matrix per assignment.
    """
    treated = np.atleast_2d(treated)
    B, N = treated.shape
    controls = ~treated
    n_tr = treated.sum(axis=1)
    n_co = controls.sum(axis=1)
    pre, post = y[:, :t0], y[:, t0:]
    post_mean = post.mean(axis=1)
    y_tr = (treated @ y) / n_tr[:, None]
    # Unit weights: the intercept is profiled out by centring over the pre-periods.
    a = pre.T - pre.T.mean(axis=0)
    h_unit = a.T @ a + zeta_omega**2 * t0 * np.eye(N)
    b = y_tr[:, :t0] - y_tr[:, :t0].mean(axis=1, keepdims=True)
    omega = simplex_qp(h_unit, b @ a, allowed=controls, w0=omega_start).w
    omega0 = (y_tr[:, :t0] - omega @ pre).mean(axis=1)
    # Time weights: intercept profiled out by centring over each assignment's controls.
    m = controls.astype(float)
    a_bar = (m @ pre) / n_co[:, None]
    p_bar = (m @ post_mean) / n_co
    h_time = np.matmul((pre[None] * m[:, :, None]).transpose(0, 2, 1), pre[None])
    h_time -= n_co[:, None, None] * a_bar[:, :, None] * a_bar[:, None, :]
    h_time += (zeta_lambda**2 * n_co)[:, None, None] * np.eye(t0)
    c_time = (m * post_mean) @ pre - n_co[:, None] * a_bar * p_bar[:, None]
    lam = simplex_qp(h_time, c_time).w
    lam0 = p_bar - np.einsum("bt,bt->b", lam, a_bar)
    unit_dd = post_mean[None, :] - lam @ pre.T  # (B, N): Ybar_i,post - lambda' Y_i,pre
    tr_dd = y_tr[:, t0:].mean(axis=1) - np.einsum("bt,bt->b", lam, y_tr[:, :t0])
    tau = tr_dd - np.einsum("bi,bi->b", omega, unit_dd)
    return _Fit(tau=tau, omega=omega, omega0=omega0, lam=lam, lam0=lam0)


def placebo_estimates(y_controls: np.ndarray, n_treated: int, t0: int, zeta_omega: float,
                      zeta_lambda: float, reps: int, rng: np.random.Generator,
                      omega: np.ndarray | None = None, chunk: int = 100) -> np.ndarray:
    """Algorithm 4: ``reps`` SDID estimates with ``n_treated`` random controls as treated.

    ``omega`` (the real fit's weights on the controls) warm-starts the unit weights.
    """
    n_co = y_controls.shape[0]
    draws = np.argsort(rng.random((reps, n_co)), axis=1)[:, :n_treated]
    out = np.empty(reps)
    for lo in range(0, reps, chunk):
        sel = draws[lo:lo + chunk]
        mask = np.zeros((len(sel), n_co), dtype=bool)
        np.put_along_axis(mask, sel, True, axis=1)
        start = None
        if omega is not None:
            start = np.where(mask, 0.0, omega[None, :])
            empty = start.sum(axis=1) <= 0
            start[empty] = np.where(mask[empty], 0.0, 1.0)
        fit = fit_batch(y_controls, mask, t0, zeta_omega, zeta_lambda, omega_start=start)
        out[lo:lo + chunk] = fit.tau
    return out


def sdid(y: np.ndarray, *, treated: Sequence[int], start: int, units: Sequence[str] | None = None,
         times: Sequence | None = None, placebo_reps: int = 200, seed: int = 0,
         level: float = 0.95) -> SDIDResult:
    """Synthetic difference-in-differences for a block design (see the module docstring).

    ``y`` is ``(N, T)`` without missing values; ``treated`` are row numbers; ``start`` is the
    column of the first post-period. ``placebo_reps = 0`` skips the variance. The
    confidence interval is ``estimate +- z * se`` and ``p_value`` its two-sided normal
    p-value; ``placebo_p_value`` is ``(1 + #{|tau_b| >= |tau|}) / (B + 1)``.
    """
    t_start = time.perf_counter()
    y = np.asarray(y, dtype=float)
    n, t = y.shape
    if not np.isfinite(y).all():
        raise ValueError("the panel has missing values; apply the donor rules first")
    tr = np.zeros(n, dtype=bool)
    tr[list(treated)] = True
    if not 2 <= start < t:
        raise ValueError("SDID needs at least two pre-periods and one post-period")
    if tr.all() or not tr.any():
        raise ValueError("SDID needs at least one treated and one control unit")
    units = list(units) if units is not None else [str(i) for i in range(n)]
    times = list(times) if times is not None else list(range(t))
    controls = np.flatnonzero(~tr)
    n_tr, n_co = int(tr.sum()), len(controls)
    sigma = noise_level(y[controls, :start])
    zeta_omega = (n_tr * (t - start)) ** 0.25 * sigma
    zeta_lambda = 1e-6 * sigma
    fit = fit_batch(y, tr[None, :], start, zeta_omega, zeta_lambda)
    tau = float(fit.tau[0])
    omega, lam = fit.omega[0], fit.lam[0]
    t_fit = time.perf_counter()

    se = ci = p_value = placebo_p = None
    placebo = np.array([])
    if placebo_reps and n_co > n_tr:
        rng = np.random.default_rng(seed)
        placebo = placebo_estimates(y[controls], n_tr, start, zeta_omega, zeta_lambda,
                                    placebo_reps, rng, omega=omega[controls])
        se = float(np.sqrt(np.mean((placebo - placebo.mean()) ** 2)))
        z = norm.ppf(0.5 + level / 2)
        ci = (tau - z * se, tau + z * se)
        p_value = float(2 * norm.sf(abs(tau) / se)) if se > 0 else None
        placebo_p = float((1 + np.sum(np.abs(placebo) >= abs(tau))) / (len(placebo) + 1))
    t_placebo = time.perf_counter()

    y_tr = y[tr].mean(axis=0)
    synthetic = omega @ y
    shift = lam @ (y_tr[:start] - synthetic[:start])
    counterfactual = synthetic + shift
    pre_fit = fit.omega0[0] + synthetic[:start] - y_tr[:start]
    return SDIDResult(
        estimate=tau, se=se, level=level, ci=ci, p_value=p_value, placebo_p_value=placebo_p,
        unit_weights={units[i]: float(omega[i]) for i in controls},
        time_weights={str(times[s]): float(lam[s]) for s in range(start)},
        omega0=float(fit.omega0[0]), lambda0=float(fit.lam0[0]), noise_level=sigma,
        zeta_omega=zeta_omega, zeta_lambda=zeta_lambda, n_treated=n_tr, n_controls=n_co,
        n_pre=start, n_post=t - start, periods=times, treated_path=y_tr.tolist(),
        counterfactual=counterfactual.tolist(), gap=(y_tr - counterfactual).tolist(),
        pre_rmspe=float(np.sqrt(np.mean(pre_fit**2))), placebo_estimates=placebo.tolist(),
        timings={"fit": t_fit - t_start, "placebo": t_placebo - t_fit,
                 "total": t_placebo - t_start},
    )
